package dev.calltracker.testing;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A client of {@code GET /api/leads/{id}/activities/stream} as a CRM's browser reads it (fetch-based SSE): the
 * bearer token in the Authorization header, {@code Last-Event-ID} to resume. Parses the event stream line by
 * line (the text/event-stream format) on a thread of its own.
 */
public final class LiveStreamClient implements AutoCloseable {

    /** One event: its id, name and data. */
    public record Event(String id, String name, String data) {
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private volatile boolean ended;

    private LiveStreamClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "live-stream-client");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Opens the lead's stream on the service at {@code baseUrl}; {@code lastEventId} may be null. */
    public static LiveStreamClient open(String baseUrl, UUID leadId, String bearerToken, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/leads/" + leadId + "/activities/stream"))
                .header("Accept", "text/event-stream");
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new LiveStreamClient(HttpClient.newHttpClient()
                    .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("could not open the live stream", e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next event, or null when none arrives within {@code timeout}. */
    public Event next(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every event that arrives within {@code quiet} of the previous one. */
    public List<Event> nextUntilQuiet(Duration quiet) {
        List<Event> received = new ArrayList<>();
        for (Event e = next(quiet); e != null; e = next(quiet)) {
            received.add(e);
        }
        return received;
    }

    /** Comment lines received (heartbeats). */
    public int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id:")) {
                    id = value(line);
                } else if (line.startsWith("event:")) {
                    name = value(line);
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(value(line));
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // the connection was closed (IllegalStateException: by close(), before the first line)
        } finally {
            ended = true;
        }
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}
