package dev.calltracker.reconcile;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** When the reconciler runs on its own: on its schedule ({@code reconcile.every}), and at start-up. */
@ApplicationScoped
public class ReconcileSchedule {

    private static final Logger LOG = Logger.getLogger(StuckCallReconciler.class);

    private final StuckCallReconciler reconciler;
    private final ReconcileConfig config;

    public ReconcileSchedule(StuckCallReconciler reconciler, ReconcileConfig config) {
        this.reconciler = reconciler;
        this.config = config;
    }

    /**
     * With the schedule off, {@code reconcile.run-at-startup} still makes one run at start-up. With a schedule,
     * its first tick comes as soon as the service has started and is that run ({@link FirstTickUnlessRunAtStartup}).
     */
    void onStart(@Observes StartupEvent start) {
        if (config.runAtStartup() && ReconcileConfig.isOff(config.every())) {
            reconciler.run("startup").subscribe().with(
                    report -> { },
                    failure -> LOG.warnf("Start-up reconciliation failed: %s", failure.toString()));
        }
    }

    /**
     * A tick starts a run, and a run that reached its time limit is followed by the next at once, until one
     * drains: a backlog is worked on without pause, in runs of bounded length (each with its log line and
     * its row in the run log). SKIP: a tick while that goes on does nothing.
     */
    @Scheduled(identity = "stuck-call-reconciler", every = "${reconcile.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = FirstTickUnlessRunAtStartup.class)
    Uni<Void> onSchedule() {
        return Multi.createBy().repeating().uni(() -> reconciler.run("schedule"))
                .whilst(report -> report.stoppedBecause().equals(ReconcileReport.TIME_LIMIT))
                .collect().last()
                .onFailure().invoke(f -> LOG.warnf("Reconciliation failed: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
