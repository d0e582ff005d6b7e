package dev.calltracker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Delivers callbacks as Twilio does with the service's callback URL fragment: each attempt gives up after the
 * read timeout ({@code rt=7000}), and a 503 or a timeout is tried again.
 */
public final class TwilioDelivery {

    /** Twilio's read timeout, the fragment's {@code rt}: an answer later than this is no answer. */
    public static final Duration READ_TIMEOUT = Duration.ofMillis(7_000);

    /** One attempt: its status (-1 without an answer in time), its {@code Retry-After}, and how long it took. */
    public record Attempt(int status, String retryAfter, Duration took) {
        public boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }

    private final TwilioFake twilio;

    public TwilioDelivery(TwilioFake twilio) {
        this.twilio = twilio;
    }

    public Attempt once(Map<String, String> request) {
        long started = System.nanoTime();
        HttpResponse<Void> response = twilio.exchange(TwilioFake.pathOf(request), request, READ_TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return response == null ? new Attempt(-1, null, took)
                : new Attempt(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), took);
    }

    /** Tries again, as Twilio's retries do, until the request is acknowledged (at most 10 more times). */
    public Attempt untilAcknowledged(Map<String, String> request) {
        Attempt attempt = once(request);
        for (int retry = 0; !attempt.acknowledged() && retry < 10; retry++) {
            attempt = once(request);
        }
        return attempt;
    }

    /** Every request at once on {@code clients}. */
    public List<Attempt> allAtOnce(List<Map<String, String>> requests, ExecutorService clients) {
        List<CompletableFuture<Attempt>> attempts = requests.stream()
                .map(r -> CompletableFuture.supplyAsync(() -> once(r), clients)).toList();
        return attempts.stream().map(CompletableFuture::join).toList();
    }

    /**
     * Sends every request again in rounds, each round all at once, until each is acknowledged (fails after 90 s);
     * how long after {@code sinceNanos} the first one was.
     */
    public Duration retriedUntilAllAcknowledged(List<Map<String, String>> requests, ExecutorService clients,
                                                long sinceNanos) throws InterruptedException {
        List<Map<String, String>> pending = new ArrayList<>(requests);
        Duration first = null;
        while (!pending.isEmpty() && System.nanoTime() - sinceNanos < Duration.ofSeconds(90).toNanos()) {
            List<Attempt> round = allAtOnce(pending, clients);
            List<Map<String, String>> still = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                if (!round.get(i).acknowledged()) {
                    still.add(pending.get(i));
                } else if (first == null) {
                    first = Duration.ofNanos(System.nanoTime() - sinceNanos);
                }
            }
            pending = still;
            if (!pending.isEmpty()) {
                Thread.sleep(500);
            }
        }
        assertThat(pending).as("requests never acknowledged").isEmpty();
        return first;
    }
}
