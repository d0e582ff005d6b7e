package dev.calltracker.twilio;

import dev.calltracker.config.CallingConfig;
import dev.calltracker.config.TwilioConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Decides what a Twilio request's {@code X-Twilio-Signature} must match, and checks it.
 *
 * <p>Which key: without {@link SignatureSettings#HEADER}, the Auth Token (HMAC-SHA1). With it, only the
 * Webhook Rules SharedKey it names, configured in {@code twilio.webhook-shared-keys}, with HMAC-SHA256; an
 * unknown key, another algorithm or a malformed header is refused, and so is a valid Auth Token signature
 * (no downgrade: whoever can add the header must not choose the weaker check).
 *
 * <p>Over which URLs: the public base URL with the request's raw path and query, as configured and with its
 * default port toggled; for the {@link CallbackUrls callback URLs} also each of those with the
 * connection-override fragment, because Twilio does not document whether it signs the fragment. So the voice
 * webhook accepts two URL forms and each callback endpoint four, all computed and compared every time.
 *
 * <p>Created at start-up, so that a malformed {@code TWILIO_WEBHOOK_SHARED_KEYS} stops the service.
 */
@Startup
@Singleton
public class TwilioSignatureVerifier {

    private static final Logger LOG = Logger.getLogger(TwilioSignatureVerifier.class);
    static final String SHARED_KEYS_VARIABLE = "TWILIO_WEBHOOK_SHARED_KEYS";

    /** Who signed: the label of the signatures metric. */
    public enum Scheme {
        AUTH_TOKEN("auth-token"),
        SHARED_KEY("shared-key");

        public final String label;

        Scheme(String label) {
            this.label = label;
        }
    }

    /**
     * How a request's signature verified.
     *
     * @param withFragment over the callback URL with the connection-override fragment
     */
    public record Verified(Scheme scheme, boolean withFragment) {
    }

    /** The public base URL as configured, and with its default port toggled when it has one to toggle. */
    private final List<String> baseUrls;
    private final CallbackUrls callbacks;
    private final TwilioSignature authToken;
    private final Map<String, TwilioSignature> sharedKeys;

    @Inject
    public TwilioSignatureVerifier(CallingConfig calling, TwilioConfig twilio) {
        this(new CallbackUrls(calling), calling.publicBaseUrl(), twilio.authToken(),
                twilio.webhookSharedKeys().orElse(List.of()));
        LOG.infof("Twilio signatures: the Auth Token%s", sharedKeys.isEmpty() ? ""
                : ", and the SharedKeys " + String.join(", ", sharedKeys.keySet()) + " when a request names one");
    }

    TwilioSignatureVerifier(CallbackUrls callbacks, String publicBaseUrl, String authToken, List<String> sharedKeys) {
        this.baseUrls = TwilioSignature.urlVariants(publicBaseUrl);
        this.callbacks = callbacks;
        this.authToken = TwilioSignature.authToken(authToken);
        this.sharedKeys = parseSharedKeys(sharedKeys);
    }

    /**
     * @param path            the raw path Twilio requested
     * @param query           its raw query, or null
     * @param settingsHeader  {@link SignatureSettings#HEADER}, or null
     * @param signatureHeader {@code X-Twilio-Signature}, or null
     * @param params          every form parameter received
     * @throws TwilioRequestRejected 403, when the signature does not verify
     */
    public Verified verify(String endpoint, String path, String query, String settingsHeader, String signatureHeader,
                           Map<String, List<String>> params) {
        Scheme scheme;
        TwilioSignature key;
        if (settingsHeader == null) {
            scheme = Scheme.AUTH_TOKEN;
            key = authToken;
        } else {
            scheme = Scheme.SHARED_KEY;
            key = sharedKeyNamedIn(endpoint, path, settingsHeader);
        }
        if (signatureHeader == null || signatureHeader.isEmpty()) {
            throw refused(endpoint, path, "missing X-Twilio-Signature", "no signature");
        }
        String pathAndQuery = query == null ? path : path + "?" + query;
        boolean fragmentForms = callbacks.mayBeSignedWithFragment(path, query);
        List<String> urls = new ArrayList<>(2 * baseUrls.size());
        for (String base : baseUrls) {
            urls.add(base + pathAndQuery);
        }
        if (fragmentForms) {
            for (String base : baseUrls) {
                urls.add(base + pathAndQuery + callbacks.fragment());
            }
        }
        int matched = key.matches(urls, TwilioSignature.signedParameters(params),
                signatureHeader.getBytes(StandardCharsets.UTF_8));
        if (matched == 0) {
            throw refused(endpoint, path, "invalid X-Twilio-Signature", "an invalid " + scheme.label + " signature");
        }
        // Bits 0..n-1 are the URL forms without the fragment, bits n.. those with it.
        return new Verified(scheme, (matched >>> baseUrls.size()) != 0);
    }

    private TwilioSignature sharedKeyNamedIn(String endpoint, String path, String header) {
        SignatureSettings settings;
        try {
            settings = SignatureSettings.parse(header);
        } catch (SignatureSettings.Malformed e) {
            throw refused(endpoint, path, "malformed " + SignatureSettings.HEADER + ": " + e.getMessage(),
                    "a malformed " + SignatureSettings.HEADER + " (" + e.getMessage() + ")");
        }
        if (!settings.isHmacSha256()) {
            throw refused(endpoint, path, "unsupported signature algorithm in " + SignatureSettings.HEADER
                    + "; SharedKey signatures are HMAC_SHA256", "an unsupported SharedKey algorithm");
        }
        TwilioSignature key = sharedKeys.get(settings.keyId());
        if (key == null) {
            // The id is in KEY_ID's alphabet (parse checked it): safe to log, and what the operator needs to know.
            throw refused(endpoint, path, "unknown SharedKey in " + SignatureSettings.HEADER,
                    "SharedKey " + settings.keyId() + ", which " + SHARED_KEYS_VARIABLE + " does not list");
        }
        return key;
    }

    private static TwilioRequestRejected refused(String endpoint, String path, String answer, String logged) {
        LOG.warnf("Refused %s request to %s: %s", endpoint, path, logged);
        return TwilioRequestRejected.forbidden(endpoint, answer);
    }

    /**
     * {@code id=secret} pairs (split at the first {@code =}: a secret may contain more); the secret is used as
     * written, its UTF-8 bytes the HMAC key, as twilio-node uses it. Nothing of a secret is ever logged or put
     * in a message.
     */
    static Map<String, TwilioSignature> parseSharedKeys(List<String> entries) {
        Map<String, TwilioSignature> keys = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String id = eq < 0 ? entry : entry.substring(0, eq).trim();
            String secret = eq < 0 ? "" : entry.substring(eq + 1).trim();
            String which = "entry " + (i + 1);
            if (eq < 0 || secret.isEmpty()) {
                problems.add(which + " is not id=secret");
            } else if (!SignatureSettings.KEY_ID.matcher(id).matches()) {
                problems.add(which + " has an id that is not letters, digits, _ . : - (at most 128)");
            } else if (keys.containsKey(id)) {
                problems.add(which + " repeats the id " + id);
            } else {
                keys.put(id, TwilioSignature.sharedKey(secret));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + SHARED_KEYS_VARIABLE
                    + " must be comma-separated id=secret pairs (SharedKey id, its secret): " + String.join("; ", problems));
        }
        return Collections.unmodifiableMap(keys);
    }
}
