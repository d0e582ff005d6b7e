package dev.calltracker.twilio;

import dev.calltracker.config.CallingConfig;
import dev.calltracker.config.TwilioConfig;
import dev.calltracker.http.RequestRejected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;

/**
 * The gate of every Twilio endpoint: parses the form body and checks {@code X-Twilio-Signature} over
 * the public URL Twilio requested. Nothing reaches the database before this passes.
 */
@ApplicationScoped
public class TwilioRequestVerifier {

    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    private static final Logger LOG = Logger.getLogger(TwilioRequestVerifier.class);
    private static final java.util.regex.Pattern PARAMETER_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final int MAX_VALUE_LENGTH = 2048;

    private final String publicBaseUrl;
    private final TwilioSignature signature;
    private final TwilioConfig twilio;
    private final TwilioRequestMetrics metrics;

    public TwilioRequestVerifier(CallingConfig calling, TwilioConfig twilio, TwilioRequestMetrics metrics) {
        this.publicBaseUrl = stripTrailingSlash(calling.publicBaseUrl());
        this.signature = new TwilioSignature(twilio.authToken());
        this.twilio = twilio;
        this.metrics = metrics;
    }

    /**
     * @param kind   metric label of the endpoint
     * @param uri    the request as the server saw it (only its path and query are used: behind a proxy the
     *               host is the proxy's, while Twilio signed the public URL)
     */
    public TwilioParams verify(String kind, UriInfo uri, String signatureHeader, byte[] body) {
        FormBody form = metrics.countingInvalid(kind, () -> {
            try {
                return FormBody.parse(body);
            } catch (FormBody.MalformedFormException e) {
                throw new RequestRejected(400, e.getMessage(), null);
            }
        });
        String url = signedUrl(uri);
        if (!signature.isValid(url, form.all(), signatureHeader)) {
            metrics.rejectedSignature(kind);
            LOG.warnf("Refused %s request: %s signature for %s", kind,
                    signatureHeader == null ? "missing" : "invalid", uri.getPath());
            throw RequestRejected.forbidden("missing or invalid " + SIGNATURE_HEADER);
        }
        String accountSid = form.first("AccountSid");
        if (twilio.accountSid().isPresent() && accountSid != null && !twilio.accountSid().get().equals(accountSid)) {
            metrics.rejectedSignature(kind);
            LOG.warnf("Refused %s request: signed, but for another account", kind);
            throw RequestRejected.forbidden("AccountSid does not match this service's account");
        }
        return metrics.countingInvalid(kind, () -> {
            checkHygiene(form);
            return new TwilioParams(form);
        });
    }

    /**
     * Rules every parameter obeys, whatever the endpoint: Twilio's names are identifiers, its values
     * short and free of control characters, its standard fields in their formats
     * ({@link TwilioParameterFormats}). The fields the service reads are checked further by {@link TwilioParams}.
     */
    static void checkHygiene(FormBody form) {
        for (var entry : form.all().entrySet()) {
            String name = entry.getKey();
            if (!PARAMETER_NAME.matcher(name).matches()) {
                throw RequestRejected.badField(name.length() > 64 ? name.substring(0, 64) : name,
                        "parameter names are letters, digits and underscores (at most 64)");
            }
            for (String value : entry.getValue()) {
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw RequestRejected.badField(name, name + " is longer than " + MAX_VALUE_LENGTH + " characters");
                }
                if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw RequestRejected.badField(name, name + " contains control characters");
                }
                TwilioParameterFormats.check(name, value);
            }
        }
    }

    String signedUrl(UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        return publicBaseUrl + uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
