package dev.calltracker.voice;

import jakarta.inject.Inject;
import dev.calltracker.config.CallingConfig;
import dev.calltracker.config.TwilioConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Mints Twilio Voice access tokens: a JWT signed HS256 with the API key's secret, in the shape Twilio's helper
 * libraries write ({@code cty: twilio-fpa;v=1}, {@code iss} the key, {@code sub} the account, {@code jti}
 * {@code <key>-<seconds>}, {@code grants.identity} and {@code grants.voice}). Signed with jose4j, which the build
 * already carries for verifying the CRM's tokens (smallrye-jwt uses it) and which writes JSON with its own small
 * writer, no reflection: nothing new in the native image. twilio-java's {@code AccessToken} would bring the whole SDK,
 * jjwt and Jackson-by-reflection for one HMAC.
 */
@ApplicationScoped
public class VoiceAccessTokens {

    /** Twilio's content type of access tokens ("first-party authorization"). */
    static final String CONTENT_TYPE = "twilio-fpa;v=1";

    @Inject
    CallingConfig calling;
    @Inject
    TwilioConfig twilio;
    @Inject
    Clock clock;

    /** The settings minting needs and lacks, by environment variable; empty when tokens can be minted. */
    public List<String> missingSettings() {
        List<String> missing = new ArrayList<>();
        if (twilio.accountSid().isEmpty()) {
            missing.add("TWILIO_ACCOUNT_SID");
        }
        if (twilio.apiKeySid().isEmpty()) {
            missing.add("TWILIO_API_KEY_SID");
        }
        if (twilio.apiKeySecret().filter(secret -> !secret.isBlank()).isEmpty()) {
            missing.add("TWILIO_API_KEY_SECRET");
        }
        if (calling.twimlAppSid().isEmpty()) {
            missing.add("CALLING_TWIML_APP_SID");
        }
        return missing;
    }

    /** A token for this agent, valid from now for {@code calling.token-ttl}. Call only when nothing is missing. */
    public AccessToken mint(String identity) {
        String keySid = twilio.apiKeySid().orElseThrow();
        long now = clock.instant().getEpochSecond();
        long expires = now + calling.tokenTtl().toSeconds();

        JwtClaims claims = new JwtClaims();
        claims.setJwtId(keySid + "-" + now);
        claims.setIssuer(keySid);
        claims.setSubject(twilio.accountSid().orElseThrow());
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setNotBefore(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(expires));
        Map<String, Object> voice = new LinkedHashMap<>();
        // The service places calls only; nothing routes incoming calls to a browser.
        voice.put("incoming", Map.of("allow", false));
        voice.put("outgoing", Map.of("application_sid", calling.twimlAppSid().orElseThrow()));
        Map<String, Object> grants = new LinkedHashMap<>();
        grants.put("identity", identity);
        grants.put("voice", voice);
        claims.setClaim("grants", grants);

        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "JWT");
        jws.setContentTypeHeaderValue(CONTENT_TYPE);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(twilio.apiKeySecret().orElseThrow().getBytes(StandardCharsets.UTF_8)));
        jws.setPayload(claims.toJson());
        try {
            return new AccessToken(jws.getCompactSerialization(), identity,
                    Instant.ofEpochSecond(expires).atOffset(ZoneOffset.UTC));
        } catch (JoseException e) {
            // Only a secret shorter than HS256's 256 bits fails here, and the configuration check refuses those.
            throw new IllegalStateException("could not sign the access token: " + e.getMessage(), e);
        }
    }
}
