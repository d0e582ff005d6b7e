package dev.calltracker.webhook;

import dev.calltracker.config.WebhooksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as Standard Webhooks does (standardwebhooks.com): {@code webhook-signature: v1,<base64 of
 * HMAC-SHA256(key, id + "." + timestamp + "." + body)>}. The timestamp is signed so that a captured request cannot
 * be replayed later; the id so that the CRM can drop a re-delivery.
 */
@ApplicationScoped
public class WebhookSigner {

    static final String STANDARD_PREFIX = "whsec_";
    /** HMAC-SHA256's own block of security: a shorter key is easier to guess than the MAC. */
    public static final int MIN_KEY_BYTES = 32;

    private final byte[] key;

    public WebhookSigner(WebhooksConfig config) {
        this.key = config.secret().flatMap(WebhookSigner::keyOf).orElse(null);
    }

    /** The key bytes of a configured secret; empty when it is not valid base64 after {@code whsec_}. */
    public static Optional<byte[]> keyOf(String secret) {
        if (secret.startsWith(STANDARD_PREFIX)) {
            try {
                return Optional.of(Base64.getDecoder().decode(secret.substring(STANDARD_PREFIX.length())));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(secret.getBytes(StandardCharsets.UTF_8));
    }

    public String sign(String id, long timestampSeconds, String body) {
        try {
            // A Mac per signature: it is not thread-safe, and signing is rare next to the POST it goes with.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
