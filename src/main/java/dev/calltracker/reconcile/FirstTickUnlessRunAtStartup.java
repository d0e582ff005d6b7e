package dev.calltracker.reconcile;

import jakarta.inject.Inject;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scheduler fires an {@code every} job as soon as the service has started: that first tick is the
 * start-up run, and the only one (a start-up observer as well would make two runs race at start). With
 * {@code reconcile.run-at-startup=false} the first tick is skipped.
 */
@Singleton
public class FirstTickUnlessRunAtStartup implements Scheduled.SkipPredicate {

    @Inject
    ReconcileConfig config;
    private final AtomicBoolean firstTick = new AtomicBoolean(true);

    @Override
    public boolean test(ScheduledExecution execution) {
        return firstTick.getAndSet(false) && !config.runAtStartup();
    }
}
