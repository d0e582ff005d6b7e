package dev.calltracker.twilio;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key Twilio signs {@code X-Twilio-Signature} with: Base64(HMAC(secret, url + sorted name/value pairs)),
 * the HMAC keyed with the secret's UTF-8 bytes.
 *
 * <p>The Auth Token signs with HMAC-SHA1, as {@code com.twilio.security.RequestValidator} (twilio-java) checks,
 * which the tests use as an oracle. A Webhook Rules SharedKey signs the same string with HMAC-SHA256, as
 * twilio-node 6.3 ({@code lib/webhooks/webhooks.js}, {@code getExpectedTwilioSignature} with
 * {@code HMAC_SHA256}) computes it; twilio-java has no such validator. The SDKs are not runtime dependencies
 * (they bring their own HTTP stack and Jackson set-up that the reactive service and the native image do not
 * need for one HMAC).
 */
public final class TwilioSignature {

    /** The algorithms Twilio names in {@code X-Twilio-Webhooks-Signature-Settings}, with their JCA names. */
    public enum Algorithm {
        HMAC_SHA1("HmacSHA1"),
        HMAC_SHA256("HmacSHA256");

        private final String jcaName;

        Algorithm(String jcaName) {
            this.jcaName = jcaName;
        }
    }

    /** Keyed once; each check works on a clone, which copies the keyed state instead of deriving it again. */
    private final Mac prototype;

    public TwilioSignature(String secret, Algorithm algorithm) {
        try {
            prototype = Mac.getInstance(algorithm.jcaName);
            prototype.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm.jcaName));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jcaName + " is not available", e);
        }
        newMac(); // a provider whose Mac cannot be cloned fails here, at start-up, not on a request
    }

    /** The Auth Token's signature (HMAC-SHA1): every request without a signature-settings header. */
    public static TwilioSignature authToken(String token) {
        return new TwilioSignature(token, Algorithm.HMAC_SHA1);
    }

    /** A Webhook Rules SharedKey's signature (HMAC-SHA256). */
    public static TwilioSignature sharedKey(String secret) {
        return new TwilioSignature(secret, Algorithm.HMAC_SHA256);
    }

    /** The signature Twilio computes for a form POST to {@code url} with these parameters. */
    public String sign(String url, Map<String, List<String>> params) {
        Mac mac = newMac();
        mac.update(url.getBytes(StandardCharsets.UTF_8));
        mac.update(signedParameters(params));
        return Base64.getEncoder().encodeToString(mac.doFinal());
    }

    /**
     * True when {@code signature} matches the URL as given or with its default port toggled (Twilio
     * drops {@code :443} for https; the official validators accept both forms). Constant-time compare. The
     * same computation {@link TwilioSignatureVerifier} makes for one URL, in the form twilio-java's
     * {@code RequestValidator} offers, so the tests can compare the two.
     */
    boolean isValid(String url, Map<String, List<String>> params, String signature) {
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        return matches(urlVariants(url), signedParameters(params), signature.getBytes(StandardCharsets.UTF_8)) != 0;
    }

    /**
     * Which of the candidate URLs {@code given} was computed over, as a bit set (bit {@code i}: candidate
     * {@code i}; at most 32 candidates). Every candidate is computed and compared in constant time whatever
     * matched, so the time taken does not reveal which one did.
     */
    int matches(List<String> urls, byte[] signedParameters, byte[] given) {
        Mac mac = newMac();
        Base64.Encoder base64 = Base64.getEncoder();
        int matched = 0;
        for (int i = 0; i < urls.size(); i++) {
            mac.update(urls.get(i).getBytes(StandardCharsets.UTF_8));
            mac.update(signedParameters);
            // doFinal resets the clone to its keyed state, ready for the next candidate.
            boolean equal = MessageDigest.isEqual(base64.encode(mac.doFinal()), given);
            matched |= (equal ? 1 : 0) << i;
        }
        return matched;
    }

    /**
     * What follows the URL in the signed string: every parameter sorted by name, each name followed by its
     * value (every value of a repeated name, in the order received), no separators. Built once per request,
     * whatever the number of candidate URLs and keys.
     */
    static byte[] signedParameters(Map<String, List<String>> params) {
        String[] names = params.keySet().toArray(new String[0]);
        // The natural order of UTF-16 code units equals byte order for the ASCII names Twilio sends.
        Arrays.sort(names);
        StringBuilder data = new StringBuilder(64 * names.length);
        for (String name : names) {
            for (String value : params.get(name)) {
                data.append(name).append(value);
            }
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The URL as given, and with its default port (443 for https, 80 for http) removed or added. */
    static List<String> urlVariants(String url) {
        List<String> variants = new ArrayList<>(2);
        variants.add(url);
        URI uri;
        try {
            uri = URI.create(url);
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

    private Mac newMac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(prototype.getAlgorithm() + " cannot be cloned", e);
        }
    }
}
