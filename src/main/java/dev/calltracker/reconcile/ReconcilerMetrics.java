package dev.calltracker.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reconciler's gauges ({@code calltracker.calls.stuck}, {@code calltracker.reconciler.backlog}) and its
 * decisions counter. The gauges are set after each batch, so a scrape never queries the database.
 */
@ApplicationScoped
@Startup // its gauges exist from the start, before any run (with the schedule off, maybe none)
public class ReconcilerMetrics {

    private final MeterRegistry registry;
    private final AtomicLong stuck = new AtomicLong();
    private final AtomicLong backlog = new AtomicLong();

    public ReconcilerMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("calltracker.calls.stuck", stuck);
        registry.gauge("calltracker.reconciler.backlog", backlog);
    }

    void backlogIs(StuckCallRepository.Backlog now) {
        backlog.set(now.candidates());
        stuck.set(now.stuckBeyondAlert());
    }

    /** Stuck calls at the last count, examined or not. */
    long backlog() {
        return backlog.get();
    }

    /** One decision, by the source of what was applied and its outcome ({@code unchanged}: applied nothing new). */
    void decided(ReconcileReport.Entry e) {
        String outcome = e.applied() || e.kind().leavesCallOpen() ? e.outcome() : "unchanged";
        registry.counter("calltracker.reconciler.decisions", "source", e.source() == null ? "none" : e.source(),
                "outcome", outcome).increment();
    }
}
