package dev.calltracker.reconcile;

import jakarta.inject.Inject;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** When the reconciler runs on its own: on its schedule ({@code reconcile.every}), and at start-up. */
@ApplicationScoped
public class ReconcileSchedule {

    @Inject
    StuckCallReconciler reconciler;
    @Inject
    ReconcileConfig config;

    /**
     * With the schedule off, {@code reconcile.run-at-startup} still makes one run at start-up. With a schedule,
     * its first tick comes as soon as the service has started and is that run ({@link FirstTickUnlessRunAtStartup}).
     */
    void onStart(@Observes StartupEvent start) {
        if (config.runAtStartup() && ReconcileConfig.isOff(config.every())) {
            reconciler.run("startup").subscribe().with(
                    report -> { },
                    failure -> ReconcileRunLog.failed("startup", failure));
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
                .onFailure().invoke(failure -> ReconcileRunLog.failed("schedule", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
