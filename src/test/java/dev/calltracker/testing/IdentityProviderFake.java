package dev.calltracker.testing;

import java.util.List;
import java.util.Map;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * The CRM's identity provider, as Supabase Auth is: signing keys published as a JWKS (an RS256 and an ES256
 * key, each with its {@code kid}), tokens with {@code iss}, {@code aud: authenticated} and
 * {@code role: authenticated}. Tokens are signed by jose4j, a real JOSE library; the JWKS is served over
 * HTTP by {@link IdentityProviderTestResource}.
 */
public final class IdentityProviderFake {

    public static final String ISSUER = "https://test-project.supabase.co/auth/v1";
    public static final String AUDIENCE = "authenticated";

    private static final RsaJsonWebKey RSA = rsa("rsa-2026-11");
    private static final EllipticCurveJsonWebKey EC = ec("ec-2026-11");
    /** A key published later (rotation): not in the JWKS until {@link #rotate()} is called. */
    private static final RsaJsonWebKey NEXT = rsa("rsa-2026-12");
    /** Never published. */
    private static final RsaJsonWebKey UNKNOWN = rsa("rsa-unknown");
    private static volatile boolean rotated;

    private IdentityProviderFake() {
    }

    /** The published keys, as {@code /auth/v1/.well-known/jwks.json} answers them. */
    public static String jwks() {
        List<JsonWebKey> keys = rotated ? List.of(NEXT, EC) : List.of(RSA, EC);
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Publishes the next RSA key and retires the current one, as a key rotation does. */
    public static void rotate() {
        rotated = true;
    }

    /** A CRM user's token (RS256), valid for ten minutes. */
    public static String crmUser() {
        return crmUserWith(Map.of());
    }

    public static String crmUserEs256() {
        return signed(claims(Map.of()), EC, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    }

    public static String signedWithNextKey() {
        return signed(claims(Map.of()), NEXT, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    public static String signedWithUnknownKey() {
        return signed(claims(Map.of()), UNKNOWN, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** A token with these claims changed (a null value removes the claim). */
    public static String crmUserWith(Map<String, Object> changes) {
        return signed(claims(changes), currentRsaKey(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    private static RsaJsonWebKey currentRsaKey() {
        return rotated ? NEXT : RSA;
    }

    /** {@code alg: none}: no signature at all. */
    public static String unsigned() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(Map.of()).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setKeyIdHeaderValue(currentRsaKey().getKeyId());
        return serialize(jws);
    }

    /** Key confusion: HS256 with the RSA public key (as published) used as the HMAC secret. */
    public static String hs256WithThePublicKey() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(Map.of()).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(currentRsaKey().getKeyId());
        jws.setKey(new HmacKey(currentRsaKey().getPublicKey().getEncoded()));
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    private static JwtClaims claims(Map<String, Object> changes) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject("0b6f0c1e-7d1a-4a55-9a3e-3c2b1f0e9d11");
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTimeMinutesInTheFuture(10);
        // As Supabase issues them: every signed-in user has role and aud "authenticated"; what makes a CRM user is
        // the claim the project's server side writes into app_metadata (%test.auth.crm-user-claim).
        claims.setClaim("role", "authenticated");
        claims.setClaim("app_metadata", Map.of("provider", "email", "crm_role", "agent"));
        claims.setClaim("email", "agent@example.com");
        changes.forEach((name, value) -> {
            if (value == null) {
                claims.unsetClaim(name);
            } else if (value instanceof NumericDate date) {
                claims.setNumericDateClaim(name, date);
            } else {
                claims.setClaim(name, value);
            }
        });
        return claims;
    }

    private static String signed(JwtClaims claims, PublicJsonWebKey key, String algorithm) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(algorithm);
        return serialize(jws);
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey rsa(String kid) {
        return published(() -> RsaJwkGenerator.generateJwk(2048), kid, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    private static EllipticCurveJsonWebKey ec(String kid) {
        return published(() -> EcJwkGenerator.generateJwk(org.jose4j.keys.EllipticCurves.P256), kid,
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    }

    private interface KeyGenerator<K extends PublicJsonWebKey> {
        K generate() throws JoseException;
    }

    /** A new signing key as a JWKS publishes it: with its kid, algorithm and use. */
    private static <K extends PublicJsonWebKey> K published(KeyGenerator<K> generator, String kid, String algorithm) {
        try {
            K key = generator.generate();
            key.setKeyId(kid);
            key.setAlgorithm(algorithm);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
