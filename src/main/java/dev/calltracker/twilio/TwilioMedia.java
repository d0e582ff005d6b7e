package dev.calltracker.twilio;

import dev.calltracker.config.TwilioConfig;
import dev.calltracker.http.CannotAnswer;
import dev.calltracker.http.RequestRejected;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Streams a recording's audio from Twilio's REST API with the account's credentials, without holding it: the body
 * is handed on chunk by chunk as the client reads it (back-pressure through Vert.x's {@code fetch}), so a long
 * recording costs one chunk of memory, and nothing blocks the event loop. Only Twilio's API is asked: the URL is
 * built from the configured base ({@code TWILIO_API_BASE_URL}) and sids checked against their format, never taken
 * from what a row says, so a stored URL pointing elsewhere cannot make the service fetch it (SSRF). Twilio may
 * redirect media to a short-lived URL on its CDN; such a redirect is followed without the credentials.
 */
@ApplicationScoped
public class TwilioMedia {

    private static final Logger LOG = Logger.getLogger(TwilioMedia.class);

    /** Where Twilio's recording callbacks and REST answers say a recording is. */
    static final String TWILIO_API_HOST = "api.twilio.com";
    /** {@code /2010-04-01/Accounts/{AC}/Recordings/{RE}}, with an optional format extension. */
    private static final Pattern RECORDING_PATH = Pattern.compile(
            "/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})(\\.(mp3|wav|json))?");
    /** A byte range as browsers send it ({@code bytes=0-}, {@code bytes=100-199}, several ranges, a suffix). */
    private static final Pattern RANGE = Pattern.compile("bytes=[0-9]{0,15}-[0-9]{0,15}(, ?[0-9]{0,15}-[0-9]{0,15}){0,7}");
    /** The headers of Twilio's answer that say what the client receives. */
    private static final List<String> PASSED_ON = List.of("Content-Type", "Content-Range", "Accept-Ranges",
            "Last-Modified", "ETag");
    static final int MOST_REDIRECTS = 3;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Longest silence from Twilio, before the answer's head and between chunks, before the download is given up. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);

    private final TwilioConfig config;
    private final TwilioCredentials credentials;
    private final HttpClient client;

    public TwilioMedia(TwilioConfig config, TwilioCredentials credentials, Vertx vertx) {
        this.config = config;
        this.credentials = credentials;
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(32).setKeepAlive(true)
                .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis()));
    }

    /**
     * What Twilio answered for a recording's audio, its body not read yet.
     *
     * @param status  200, or 206 for a range
     * @param headers what of Twilio's headers the client gets, with {@code Cache-Control: no-store}
     * @param body    the audio, read from Twilio as it is consumed
     */
    public record Audio(int status, Map<String, List<String>> headers, Multi<Buffer> body) {
    }

    /**
     * The MP3 of a call's recording, or of the range asked for (an invalid {@code Range} is ignored, as HTTP allows:
     * the whole file). Fails with {@link RequestRejected} 404 when Twilio does not have it, 416 for a range outside it,
     * and {@link CannotAnswer} when Twilio cannot be asked or fails.
     *
     * @param recordingSid the stored sid; may be null when the stored URL names it
     * @param storedUrl    the stored {@code RecordingUrl}; only checked, never fetched as it is
     */
    public Uni<Audio> audio(String recordingSid, String storedUrl, String range) {
        if (!credentials.present()) {
            return Uni.createFrom().failure(new CannotAnswer(503, "recordings cannot be fetched: set TWILIO_ACCOUNT_SID "
                    + "and TWILIO_API_KEY_SID/TWILIO_API_KEY_SECRET (or TWILIO_AUTH_TOKEN)", null));
        }
        Optional<String> path = mediaPath(recordingSid, storedUrl, credentials.accountSid(), apiHost());
        if (path.isEmpty()) {
            LOG.warnf("Refused to fetch recording %s: its stored URL is not a recording of account %s on Twilio's API",
                    recordingSid, credentials.accountSid());
            return Uni.createFrom().failure(new CannotAnswer(502,
                    "the call's stored recording is not on Twilio's API for this account; not fetched", null));
        }
        String byteRange = range != null && RANGE.matcher(range).matches() ? range : null;
        return send(URI.create(apiBase() + path.get()), byteRange, 0);
    }

    /** One GET, with the credentials only on the API's own scheme, host and port. */
    private Uni<Audio> send(URI url, String range, int redirects) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString())
                .setIdleTimeout(IDLE_TIMEOUT.toMillis());
        if (sameOrigin(url, URI.create(apiBase()))) {
            request.putHeader(HttpHeaders.AUTHORIZATION, credentials.authorization());
        }
        if (range != null) {
            request.putHeader("Range", range);
        }
        return client.request(request).flatMap(r -> r.send())
                .onFailure().transform(TwilioMedia::noAnswer)
                .flatMap(response -> answer(url, range, response, redirects));
    }

    private Uni<Audio> answer(URI url, String range, HttpClientResponse response, int redirects) {
        int status = response.statusCode();
        if (status == 200 || status == 206) {
            // Nothing is read before the client asks for it: the stream starts paused and fetches as it is consumed.
            response.pause();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : PASSED_ON) {
                String value = response.getHeader(name);
                if (value != null) {
                    headers.put(name, List.of(value));
                }
            }
            headers.put("Cache-Control", List.of("no-store"));
            Multi<Buffer> body = response.toMulti().map(io.vertx.mutiny.core.buffer.Buffer::getDelegate)
                    // A client that goes away stops the download, instead of leaving Twilio's answer unread.
                    .onCancellation().invoke(() -> {
                        response.exceptionHandler(ignored -> { });
                        response.request().reset();
                    });
            return Uni.createFrom().item(new Audio(status, headers, body));
        }
        String location = response.getHeader("Location");
        String retryAfter = response.getHeader("Retry-After");
        // Twilio's error or redirect bodies are a few bytes: let them pass unread, keeping the connection for the next.
        return response.end().onFailure().recoverWithNull().flatMap(ended -> {
            if (isRedirect(status) && location != null && redirects < MOST_REDIRECTS) {
                return redirectTarget(url, location).map(next -> send(next, range, redirects + 1))
                        .orElseGet(() -> Uni.createFrom().failure(new CannotAnswer(502,
                                "Twilio redirected the recording somewhere this service does not follow", null)));
            }
            return Uni.createFrom().failure(refusal(status, retryAfter));
        });
    }

    /** Where a redirect leads, if it is http(s): https, or plain http only when the API itself is (a test's fake). */
    private Optional<URI> redirectTarget(URI from, String location) {
        URI to;
        try {
            to = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String apiScheme = URI.create(apiBase()).getScheme();
        boolean scheme = "https".equals(to.getScheme()) || apiScheme.equals(to.getScheme());
        return to.getHost() != null && scheme ? Optional.of(to) : Optional.empty();
    }

    /**
     * The API path of a recording's MP3, from the stored sid and URL, or empty when they do not name a recording of
     * this account on Twilio's API (a URL on another host, another account, or a sid other than the stored one).
     */
    static Optional<String> mediaPath(String recordingSid, String storedUrl, String accountSid, String apiHost) {
        String sid = recordingSid;
        if (storedUrl != null && !storedUrl.isBlank()) {
            URI url;
            try {
                url = new URI(storedUrl.trim());
            } catch (java.net.URISyntaxException e) {
                return Optional.empty();
            }
            boolean twiliosHost = url.getHost() != null
                    && (TWILIO_API_HOST.equalsIgnoreCase(url.getHost()) || url.getHost().equalsIgnoreCase(apiHost));
            Matcher path = url.getRawPath() == null ? null : RECORDING_PATH.matcher(url.getRawPath());
            if (!twiliosHost || url.getRawQuery() != null || path == null || !path.matches()
                    || !path.group(1).equals(accountSid) || (sid != null && !path.group(2).equals(sid))) {
                return Optional.empty();
            }
            sid = path.group(2);
        }
        if (!TwilioFormats.isSid(sid, TwilioFormats.RECORDING_SID_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of("/2010-04-01/Accounts/" + accountSid + "/Recordings/" + sid + ".mp3");
    }

    private static Throwable refusal(int status, String retryAfter) {
        if (status == 404) {
            return new RequestRejected(404, "recording not found at Twilio", "callSid");
        }
        if (status == 416) {
            return new RequestRejected(416, "Range is outside the recording", "Range");
        }
        if (status == 429) {
            Duration pause = retryAfter != null && retryAfter.trim().matches("[0-9]{1,6}")
                    ? Duration.ofSeconds(Long.parseLong(retryAfter.trim())) : Duration.ofSeconds(1);
            return new CannotAnswer(503, "Twilio is limiting this account's requests; retry", pause);
        }
        if (status == 401 || status == 403) {
            LOG.warnf("Twilio refused the credentials for a recording (HTTP %d): check TWILIO_ACCOUNT_SID and "
                    + "TWILIO_API_KEY_SID/TWILIO_API_KEY_SECRET (or TWILIO_AUTH_TOKEN)", status);
            return new CannotAnswer(502, "Twilio refused this service's credentials for the recording", null);
        }
        LOG.warnf("Twilio answered HTTP %d for a recording", status);
        return new CannotAnswer(502, "Twilio answered HTTP " + status + " for the recording", null);
    }

    private static CannotAnswer noAnswer(Throwable failure) {
        LOG.warnf("Twilio did not answer for a recording: %s", failure.toString());
        return new CannotAnswer(503, "Twilio did not answer for the recording; retry", Duration.ofSeconds(1));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private String apiBase() {
        String base = config.apiBaseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private String apiHost() {
        return URI.create(apiBase()).getHost();
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }
}
