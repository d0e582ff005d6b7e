package dev.calltracker.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The deliverer's counters ({@code calltracker.webhooks.delivered}, {@code .failed}, {@code .dead}, by event type)
 * and the outbox's gauges ({@code calltracker.webhooks.backlog}, {@code .oldest.age.seconds}, {@code .dead.kept}),
 * set after each delivery run so that a scrape never queries the database.
 */
@ApplicationScoped
@Startup // the gauges exist from the start, also before the first run
public class WebhookMetrics {

    private final MeterRegistry registry;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    private final AtomicLong deadKept = new AtomicLong();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("calltracker.webhooks.backlog", backlog);
        registry.gauge("calltracker.webhooks.oldest.age.seconds", oldestAgeSeconds);
        registry.gauge("calltracker.webhooks.dead.kept", deadKept);
    }

    void delivered(String type) {
        registry.counter("calltracker.webhooks.delivered", "type", type).increment();
    }

    void failed(String type, boolean dead) {
        registry.counter("calltracker.webhooks.failed", "type", type).increment();
        if (dead) {
            registry.counter("calltracker.webhooks.dead", "type", type).increment();
        }
    }

    void outboxIs(WebhookOutbox.Backlog now) {
        backlog.set(now.pending());
        oldestAgeSeconds.set(Math.round(now.oldestSeconds()));
        deadKept.set(now.dead());
    }
}
