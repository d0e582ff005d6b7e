package dev.calltracker.twilio;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature}: Base64(HMAC-SHA1(authToken, url + sorted name/value pairs)).
 *
 * <p>Same algorithm as {@code com.twilio.security.RequestValidator}, which the tests use as an oracle;
 * the SDK itself is not a runtime dependency (it brings its own HTTP stack and Jackson setup that the
 * reactive service and the native image do not need for one HMAC).
 */
public final class TwilioSignature {

    private final byte[] key;

    public TwilioSignature(String authToken) {
        this.key = authToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature Twilio computes for a form POST to {@code url} with these parameters. */
    public String sign(String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        // Byte order of UTF-16 code units equals byte order of ASCII names, which is what Twilio sorts.
        new TreeMap<>(params).forEach((name, values) -> values.forEach(v -> data.append(name).append(v)));
        return Base64.getEncoder().encodeToString(hmacSha1(data.toString()));
    }

    /**
     * True when {@code signature} matches the URL as given or with its default port toggled (Twilio
     * drops {@code :443} for https; the official validators accept both forms). Constant-time compare.
     */
    public boolean isValid(String url, Map<String, List<String>> params, String signature) {
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (String candidate : urlVariants(url)) {
            // No short-circuit: every variant is checked so timing does not reveal which one matched.
            valid |= MessageDigest.isEqual(sign(candidate, params).getBytes(StandardCharsets.UTF_8), given);
        }
        return valid;
    }

    static List<String> urlVariants(String url) {
        List<String> variants = new ArrayList<>(2);
        variants.add(url);
        java.net.URI uri;
        try {
            uri = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            return variants;
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.getRawAuthority() == null) {
            return variants;
        }
        int defaultPort = "https".equalsIgnoreCase(scheme) ? 443 : "http".equalsIgnoreCase(scheme) ? 80 : -1;
        if (defaultPort < 0) {
            return variants;
        }
        String authority = uri.getRawAuthority();
        String prefix = scheme + "://";
        String rest = url.substring(prefix.length() + authority.length());
        if (uri.getPort() == defaultPort) {
            variants.add(prefix + authority.substring(0, authority.lastIndexOf(':')) + rest);
        } else if (uri.getPort() == -1) {
            variants.add(prefix + authority + ":" + defaultPort + rest);
        }
        return variants;
    }

    private byte[] hmacSha1(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
