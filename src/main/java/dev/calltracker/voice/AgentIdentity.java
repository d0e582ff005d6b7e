package dev.calltracker.voice;

import dev.calltracker.http.RequestRejected;
import dev.calltracker.security.TokenClaims;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who an agent is to Twilio: the identity of its access token, which Twilio sends back on the voice webhook as
 * {@code From=client:<identity>}. Twilio recommends letters, digits and underscores only (other characters break
 * the {@code client:} address or are refused, error 31105) and at most 256 characters. The configured claim's value
 * is used as it is, except that hyphens become underscores: identity providers' subjects are UUIDs
 * ({@code 0b6f0c1e-7d1a-...} becomes {@code 0b6f0c1e_7d1a_...}), which have no underscore of their own, so no two
 * subjects meet. A value with any other character is refused rather than rewritten: two agents must never share
 * one identity.
 */
final class AgentIdentity {

    static final int MAX_LENGTH = 256;
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private AgentIdentity() {
    }

    /** The identity of the token's holder, or 422 naming the claim when it has none Twilio could use. */
    static String of(JsonWebToken token, String claim) {
        String value = TokenClaims.text(token, claim).orElseThrow(() -> new RequestRejected(422,
                "the token has no '" + claim + "' claim to name the agent to Twilio (CALLING_IDENTITY_CLAIM)", claim));
        return fromClaimValue(value).orElseThrow(() -> new RequestRejected(422,
                "the token's '" + claim + "' claim cannot be a Twilio client identity: letters, digits, _ and - only, "
                        + "1 to " + MAX_LENGTH + " characters (CALLING_IDENTITY_CLAIM names another claim)", claim));
    }

    /** The identity a claim value maps to, if it maps to one. */
    static java.util.Optional<String> fromClaimValue(String value) {
        if (!ACCEPTED.matcher(value).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(value.replace('-', '_'));
    }
}
