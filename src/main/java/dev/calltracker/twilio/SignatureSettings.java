package dev.calltracker.twilio;

import java.util.regex.Pattern;

/**
 * The {@code X-Twilio-Webhooks-Signature-Settings} header Twilio adds to a request it signed with a Webhook
 * Rules SharedKey instead of the Auth Token: {@code key=<sharedKeyId>,algorithm=HMAC_SHA256}.
 *
 * <p>Read as twilio-node 6.3 reads it ({@code getSignatureAlgorithm} in {@code lib/webhooks/webhooks.js}:
 * comma-separated {@code name=value} parts, each trimmed), but strictly, because the header is the attacker's
 * to write: a part without {@code =}, an empty name or value, a repeated or missing {@code key} or
 * {@code algorithm} make it malformed, where twilio-node would fall back to HMAC-SHA1. Other parameters are
 * ignored, so that one Twilio adds later does not refuse every request; they name neither key nor algorithm.
 *
 * @param keyId     the SharedKey's id, in {@link #KEY_ID}'s alphabet (safe to log)
 * @param algorithm as written (twilio-node compares it case-insensitively)
 */
public record SignatureSettings(String keyId, String algorithm) {

    public static final String HEADER = "X-Twilio-Webhooks-Signature-Settings";
    /** SharedKey ids as this service accepts them, in the header and in the configuration alike. */
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,31}");
    private static final Pattern ALGORITHM = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MAX_LENGTH = 512;

    /** The only algorithm a SharedKey signature is accepted with. */
    public boolean isHmacSha256() {
        return TwilioSignature.Algorithm.HMAC_SHA256.name().equalsIgnoreCase(algorithm);
    }

    /**
     * @throws Malformed saying what is wrong, without repeating the header (it is the attacker's text)
     */
    public static SignatureSettings parse(String header) {
        if (header.isEmpty()) {
            throw new Malformed("it is empty");
        }
        if (header.length() > MAX_LENGTH) {
            throw new Malformed("it is longer than " + MAX_LENGTH + " characters");
        }
        String keyId = null;
        String algorithm = null;
        for (String part : header.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new Malformed("each part is name=value");
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (!PARAMETER_NAME.matcher(name).matches() || value.isEmpty()) {
                throw new Malformed("each part is name=value");
            }
            if (name.equals("key")) {
                if (keyId != null) {
                    throw new Malformed("key appears twice");
                }
                if (!KEY_ID.matcher(value).matches()) {
                    throw new Malformed("the key id is not letters, digits, _ . : - (at most 128)");
                }
                keyId = value;
            } else if (name.equals("algorithm")) {
                if (algorithm != null) {
                    throw new Malformed("algorithm appears twice");
                }
                if (!ALGORITHM.matcher(value).matches()) {
                    throw new Malformed("the algorithm is not a name such as HMAC_SHA256");
                }
                algorithm = value;
            }
        }
        if (keyId == null) {
            throw new Malformed("it names no key");
        }
        if (algorithm == null) {
            throw new Malformed("it names no algorithm");
        }
        return new SignatureSettings(keyId, algorithm);
    }

    /** A header that cannot be read: the request is refused, never checked against the Auth Token instead. */
    public static final class Malformed extends RuntimeException {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }
}
