package dev.calltracker.reconcile;

import dev.calltracker.db.Database;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * What is kept of each run: its row in {@code reconcile_runs} (the diagnostics of every replica) and one log
 * line, whatever the backlog, or the line of a run that failed; each call's decision is in {@code call_events}.
 */
@ApplicationScoped
public class ReconcileRunLog {

    // The reconciler's category, where operators look for its runs.
    private static final Logger LOG = Logger.getLogger(StuckCallReconciler.class);

    private final Database database;
    private final StuckCallRepository stuckCalls;

    public ReconcileRunLog(Database database, StuckCallRepository stuckCalls) {
        this.database = database.forBackgroundWork();
        this.stuckCalls = stuckCalls;
    }

    Uni<Void> record(ReconcileReport report) {
        return database.withConnection(db -> stuckCalls.saveRun(db, report)).invoke(() -> log(report));
    }

    /** A run that failed as a whole (its calls' claims lapse and the next run takes them). */
    static void failed(String trigger, Throwable failure) {
        LOG.warnf("Reconciliation (%s) failed: %s", trigger, failure.toString());
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
