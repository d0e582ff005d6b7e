package dev.calltracker.twilio;

import jakarta.inject.Inject;
import dev.calltracker.config.TwilioConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerHttpRequest;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * The gate of every Twilio endpoint: a resource method that takes {@link TwilioParams} gets them only from a
 * form body whose {@code X-Twilio-Signature} verifies over the public URL Twilio requested
 * ({@link TwilioSignatureVerifier}: the Auth Token, or the SharedKey the request names), for this service's
 * account, with every parameter in the shape Twilio sends. Nothing reaches the resource, let alone the
 * database, before this passes. The endpoint label of metrics and refusals is the resource method's name.
 */
@Provider
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class TwilioRequestReader implements ServerMessageBodyReader<TwilioParams> {

    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    private static final Logger LOG = Logger.getLogger(TwilioRequestReader.class);

    @Inject
    TwilioSignatureVerifier signatures;
    @Inject
    TwilioRequestMetrics metrics;
    @Inject
    TwilioConfig twilio;
    @Inject
    Clock clock;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo method, MediaType mediaType) {
        return type == TwilioParams.class;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == TwilioParams.class;
    }

    @Override
    public TwilioParams readFrom(Class<TwilioParams> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        OffsetDateTime receivedAt = OffsetDateTime.now(clock);
        String endpoint = context.getResteasyReactiveResourceInfo().getName();
        // Quarkus REST has read the whole body before a non-blocking method's readers run: no blocking read here.
        byte[] body = context.getInputStream().readAllBytes();
        // The one implementation of ServerRequestContext; the interface does not expose the raw path and query.
        ServerHttpRequest request = ((ResteasyReactiveRequestContext) context).serverRequest();
        HttpHeaders headers = context.getRequestHeaders();
        return verify(endpoint, receivedAt, request.getRequestPath(), request.query(),
                headers.getHeaderString(SignatureSettings.HEADER), headers.getHeaderString(SIGNATURE_HEADER), body);
    }

    @Override
    public TwilioParams readFrom(Class<TwilioParams> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                                 MultivaluedMap<String, String> httpHeaders, InputStream entityStream) {
        throw new IllegalStateException("Twilio requests are read only by Quarkus REST's server reader");
    }

    /**
     * Checks the signature over the URL Twilio signed: the public base URL with the request's raw path and query
     * (behind a proxy the host the server sees is the proxy's).
     */
    TwilioParams verify(String endpoint, OffsetDateTime receivedAt, String path, String query, String settingsHeader,
                        String signatureHeader, byte[] body) {
        FormBody form;
        try {
            form = FormBody.parse(body);
        } catch (FormBody.MalformedFormException e) {
            throw TwilioRequestRejected.invalid(endpoint, null, e.getMessage());
        }
        metrics.signatureVerified(endpoint,
                signatures.verify(endpoint, path, query, settingsHeader, signatureHeader, form.all()));
        String accountSid = form.first("AccountSid");
        if (twilio.accountSid().isPresent() && accountSid != null && !twilio.accountSid().get().equals(accountSid)) {
            LOG.warnf("Refused %s request: signed, but for another account", endpoint);
            throw TwilioRequestRejected.forbidden(endpoint, "AccountSid does not match this service's account");
        }
        checkShape(endpoint, form);
        return new TwilioParams(endpoint, receivedAt, form);
    }

    /**
     * Rules every parameter obeys, whatever the endpoint: Twilio's names are identifiers, its values short and
     * free of control characters, its standard fields in their formats. The fields an endpoint reads are
     * checked further by {@link TwilioParams}.
     */
    private static void checkShape(String endpoint, FormBody form) {
        for (Map.Entry<String, List<String>> entry : form.all().entrySet()) {
            String name = entry.getKey();
            if (!TwilioFormats.isParameterName(name)) {
                throw TwilioRequestRejected.invalid(endpoint,
                        name.length() > TwilioFormats.MAX_PARAMETER_NAME_LENGTH
                                ? name.substring(0, TwilioFormats.MAX_PARAMETER_NAME_LENGTH) : name,
                        "parameter names are letters, digits and underscores (at most 64)");
            }
            for (String value : entry.getValue()) {
                if (value.length() > TwilioFormats.MAX_VALUE_LENGTH) {
                    throw TwilioRequestRejected.invalid(endpoint, name,
                            name + " is longer than " + TwilioFormats.MAX_VALUE_LENGTH + " characters");
                }
                if (hasControlCharacter(value)) {
                    throw TwilioRequestRejected.invalid(endpoint, name, name + " contains control characters");
                }
                if (!TwilioFormats.isStandardFormat(name, value)) {
                    throw TwilioRequestRejected.invalid(endpoint, name, name + " is not in the format Twilio sends");
                }
            }
        }
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
