package dev.calltracker.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Verifies the Twilio access tokens the service signs (with jose4j) using another library, jjwt, as Twilio would
 * with the API key's secret. The test profile's API key, TwiML App and account are here too.
 */
public final class AccessTokenVerifier {

    public static final String API_KEY_SID = "SK" + "0".repeat(32);
    public static final String API_KEY_SECRET = "test-api-key-secret-not-a-secret";
    public static final String TWIML_APP_SID = "AP" + "0".repeat(32);

    private AccessTokenVerifier() {
    }

    /** A token jjwt verified: its header, and its claims. */
    public record Verified(JwsHeader header, Map<String, Object> claims) {
        public long seconds(String claim) {
            return ((Number) claims.get(claim)).longValue();
        }

        public Map<?, ?> grants() {
            return (Map<?, ?>) claims.get("grants");
        }
    }

    /**
     * Verifies the signature with jjwt. Twilio's {@code cty: twilio-fpa;v=1} makes jjwt take the payload for content
     * of that type rather than claims, so the claims are read from the verified payload here.
     */
    public static Verified verified(String token, String secret) {
        Jws<byte[]> jws = Jwts.parser().verifyWith(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8))).build()
                .parseSignedContent(token);
        try {
            return new Verified(jws.getHeader(), new ObjectMapper().readValue(jws.getPayload(), new TypeReference<>() { }));
        } catch (IOException e) {
            throw new AssertionError("the payload is not JSON", e);
        }
    }

    /** Verified with the test profile's API key secret. */
    public static Verified verified(String token) {
        return verified(token, API_KEY_SECRET);
    }
}
