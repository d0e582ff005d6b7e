import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Twilio's REST API as the reconciler uses it, for bench/drain.sh: every call has ended ({@code completed},
 * 30 s), each answer takes LATENCY_MS, and beyond LIMIT requests in flight the answer is Twilio's 429
 * (error 20429, {@code Retry-After: 1}) at once, as Twilio answers an account over its concurrency limit.
 * {@code GET /stats} answers the counts as JSON.
 *
 * <pre>java bench/FakeTwilioApi.java PORT LATENCY_MS LIMIT</pre>
 */
public class FakeTwilioApi {

    static final AtomicInteger inFlight = new AtomicInteger();
    static final AtomicInteger maxInFlight = new AtomicInteger();
    static final AtomicLong requests = new AtomicLong();
    static final AtomicLong rateLimited = new AtomicLong();
    static final AtomicLong firstRequestAtMs = new AtomicLong();
    static final AtomicLong lastAnswerAtMs = new AtomicLong();

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long latencyMs = Long.parseLong(args[1]);
        int limit = Integer.parseInt(args[2]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        // A thread per request in flight: the latency is a sleep, and the limit is what is measured, not this server.
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/stats", exchange -> answer(exchange, 200, """
                {"requests": %d, "rate_limited": %d, "max_in_flight": %d, "first_request_at_ms": %d, "last_answer_at_ms": %d}"""
                .formatted(requests.get(), rateLimited.get(), maxInFlight.get(), firstRequestAtMs.get(), lastAnswerAtMs.get())));
        server.createContext("/2010-04-01/", exchange -> {
            firstRequestAtMs.compareAndSet(0, System.currentTimeMillis());
            requests.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            int status = 200;
            String body;
            if (now > limit) {
                rateLimited.incrementAndGet();
                exchange.getResponseHeaders().add("Retry-After", "1");
                status = 429;
                body = "{\"code\": 20429, \"message\": \"Too many requests\", \"status\": 429}";
            } else {
                try {
                    Thread.sleep(latencyMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                body = body(exchange);
            }
            // Out of flight before the answer leaves: the client's next request may arrive before this thread runs on.
            inFlight.decrementAndGet();
            lastAnswerAtMs.set(System.currentTimeMillis());
            answer(exchange, status, body);
        });
        server.start();
        System.out.println("fake Twilio REST API on 127.0.0.1:" + port + ", " + latencyMs + " ms, limit " + limit);
    }

    /** Calls/{sid}.json: the call, ended; Calls.json?ParentCallSid=: one dialed leg, ended. */
    static String body(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String end = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
                .format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(20));
        if (path.endsWith("/Calls.json")) {
            String query = exchange.getRequestURI().getRawQuery();
            String parent = URLDecoder.decode(query.replaceFirst(".*ParentCallSid=([^&]*).*", "$1"), StandardCharsets.UTF_8);
            String child = "CA" + new StringBuilder(parent.substring(2)).reverse();
            return "{\"calls\": [" + call(child, parent, end) + "]}";
        }
        String sid = path.substring(path.lastIndexOf('/') + 1, path.length() - ".json".length());
        return call(sid, null, end);
    }

    static String call(String sid, String parent, String end) {
        return """
                {"sid": "%s", "parent_call_sid": %s, "status": "completed", "duration": "30", "start_time": "%s",
                 "end_time": "%s", "direction": "outbound-dial", "to": "+15551230000"}"""
                .formatted(sid, parent == null ? "null" : "\"" + parent + "\"", end, end);
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
