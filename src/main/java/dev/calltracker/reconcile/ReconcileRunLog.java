package dev.calltracker.reconcile;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * What is kept of each run: its row in {@code reconcile_runs} (the diagnostics of every replica) and one log
 * line, whatever the backlog; each call's decision is in {@code call_events}.
 */
@ApplicationScoped
public class ReconcileRunLog {

    // The reconciler's category, where operators look for its runs.
    private static final Logger LOG = Logger.getLogger(StuckCallReconciler.class);

    private final Pool pool;
    private final StuckCallRepository stuckCalls;

    public ReconcileRunLog(Pool pool, StuckCallRepository stuckCalls) {
        this.pool = pool;
        this.stuckCalls = stuckCalls;
    }

    Uni<Void> record(ReconcileReport report) {
        return pool.withConnection(db -> stuckCalls.saveRun(db, report)).invoke(() -> log(report));
    }

    private static void log(ReconcileReport report) {
        String line = "Reconciliation %s (%s): %d calls examined in %d batches, %d closed, %d left open; %d Twilio requests, "
                + "%d answered 429; %d ms, %s; backlog %d";
        Object[] args = {report.runId(), report.trigger(), report.claimed(), report.batches(), report.closedCount(),
                report.leftOpenCount(), report.twilioRequests(), report.rateLimited(), report.duration().toMillis(),
                report.stoppedBecause(), report.backlogAfter()};
        if (report.claimed() > 0) {
            LOG.infof(line, args);
        } else {
            LOG.debugf(line, args);
        }
    }
}
