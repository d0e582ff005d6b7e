package dev.calltracker.security;

import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Reads a claim of the identity provider's token by the name the configuration gives: a plain name, or a dotted
 * one leading into object claims ({@code app_metadata.crm_role}). Who is a CRM user ({@link TokenRoles}) and who an
 * agent is to Twilio ({@code voice/AgentIdentity}) are read the same way.
 */
public final class TokenClaims {

    private TokenClaims() {
    }

    /** The claim's value (a list for a JSON array), or null when the token does not carry it. */
    public static Object value(JsonWebToken token, String claim) {
        if (claim.indexOf('.') < 0) {
            return plain(token.getClaim(claim));
        }
        String[] path = claim.split("\\.");
        Object value = token.getClaim(path[0]);
        for (int i = 1; i < path.length && value != null; i++) {
            value = value instanceof jakarta.json.JsonObject object ? object.get(path[i])
                    : value instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        return plain(value);
    }

    /** The claim as text when it is a single string or number; empty when absent, an object or a list. */
    public static Optional<String> text(JsonWebToken token, String claim) {
        Object value = value(token, claim);
        if (value == null || value instanceof Iterable<?> || value instanceof Map<?, ?>
                || value instanceof jakarta.json.JsonStructure || value == jakarta.json.JsonValue.NULL) {
            return Optional.empty();
        }
        return Optional.of(unquoted(value));
    }

    /** Claims arrive as JSON values (a JsonString prints with its quotes). */
    public static String unquoted(Object value) {
        if (value instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return String.valueOf(value);
    }

    private static Object plain(Object value) {
        if (value instanceof jakarta.json.JsonArray array) {
            return array.stream().toList();
        }
        return value;
    }
}
