package dev.calltracker.reconcile;

import dev.calltracker.call.CallEventRecorder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Finds calls whose end never arrived and asks Twilio's REST API for the truth; without an answer it
 * decides only from evidence the service holds ({@link StuckCallPolicy}). Every conclusion goes through
 * the same transition rule as callbacks ({@link CallEventRecorder}), leads included.
 *
 * <p>Safe with several replicas: candidates are claimed with {@code FOR UPDATE SKIP LOCKED} and a
 * timed claim, so each is handled by one replica; Twilio is asked without holding a row lock, and the
 * conclusion is applied under the row lock only if no event arrived meanwhile.
 */
@ApplicationScoped
public class StuckCallReconciler {

    private final ReconcileBatch batches;
    private final ReconcileRunLog runLog;
    private final ReconcilerMetrics metrics;
    private final TwilioConcurrencyLimit twilioLimit;
    private final ReconcileConfig config;
    private final Clock clock;
    private final Replica replica;

    public StuckCallReconciler(ReconcileBatch batches, ReconcileRunLog runLog, ReconcilerMetrics metrics,
                               TwilioConcurrencyLimit twilioLimit, ReconcileConfig config, Clock clock, Replica replica) {
        this.batches = batches;
        this.runLog = runLog;
        this.metrics = metrics;
        this.twilioLimit = twilioLimit;
        this.config = config;
        this.clock = clock;
        this.replica = replica;
    }

    /**
     * One run: claims a batch of candidates, decides them (up to {@code reconcile.twilio-concurrency} at once),
     * releases them with the time each is due again, and goes on with the next batch while candidates remain
     * and {@code reconcile.run-time-limit} is not reached. One run at a time per replica.
     */
    public Uni<ReconcileReport> run(String trigger) {
        // Deferred: the run (and its one-at-a-time flag) starts when subscribed, not when the Uni is built.
        return Uni.createFrom().deferred(() -> start(trigger));
    }

    private Uni<ReconcileReport> start(String trigger) {
        OffsetDateTime startedAt = OffsetDateTime.now(clock);
        if (!replica.startRun()) {
            return Uni.createFrom().item(ReconcileReport.skipped(UUID.randomUUID().toString(), trigger, replica.name(),
                    startedAt));
        }
        ReconcileRun run = new ReconcileRun(trigger, replica, startedAt, config, twilioLimit);
        return batches.awaitingAmdResults(run)
                .invoke(run::awaitingAmdResults)
                .onItem().transformToMulti(awaiting -> Multi.createBy().repeating()
                        .uni(() -> batches.stuckCalls(run))
                        .whilst(batch -> run.goesOnAfter(batch, OffsetDateTime.now(clock))))
                .onItem().invoke(run::stuckCalls)
                .collect().last()
                .replaceWith(() -> run.report(OffsetDateTime.now(clock), metrics.backlog()))
                .call(runLog::record)
                .onTermination().invoke(replica::endRun);
    }
}
