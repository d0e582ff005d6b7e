package dev.calltracker.reconcile;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The bookkeeping of one run while it goes on: its batches, the calls they claimed, the Twilio requests made
 * since it started, and when it must stop claiming; at its end, its {@link ReconcileReport}.
 */
final class ReconcileRun {

    private final String id = UUID.randomUUID().toString();
    private final String trigger;
    private final Replica replica;
    private final OffsetDateTime startedAt;
    private final OffsetDateTime deadline;
    private final int batchSize;
    private final TwilioConcurrencyLimit twilioLimit;
    private final long requestsBefore;
    private final long rateLimitedBefore;
    private final List<ReconcileReport.Entry> entries = new ArrayList<>();
    private int batches;
    private int lastBatchSize;

    ReconcileRun(String trigger, Replica replica, OffsetDateTime startedAt, ReconcileConfig config,
                 TwilioConcurrencyLimit twilioLimit) {
        this.trigger = trigger;
        this.replica = replica;
        this.startedAt = startedAt;
        this.deadline = startedAt.plus(config.runTimeLimit());
        this.batchSize = config.batchSize();
        this.twilioLimit = twilioLimit;
        this.requestsBefore = twilioLimit.requests();
        this.rateLimitedBefore = twilioLimit.rateLimitedAnswers();
    }

    String id() {
        return id;
    }

    Replica replica() {
        return replica;
    }

    OffsetDateTime startedAt() {
        return startedAt;
    }

    int batchSize() {
        return batchSize;
    }

    /** The batch of ended calls awaiting their detection result: counted only when it claimed any. */
    void awaitingAmdResults(List<ReconcileReport.Entry> batch) {
        if (!batch.isEmpty()) {
            batches++;
            entries.addAll(batch);
        }
    }

    void stuckCalls(List<ReconcileReport.Entry> batch) {
        batches++;
        lastBatchSize = batch.size();
        entries.addAll(batch);
    }

    /** Another batch follows a full one while the run's time limit is not reached. */
    boolean goesOnAfter(List<ReconcileReport.Entry> batch, OffsetDateTime now) {
        return batch.size() == batchSize && now.isBefore(deadline);
    }

    ReconcileReport report(OffsetDateTime finishedAt, long backlogAfter) {
        String stopped = lastBatchSize < batchSize ? ReconcileReport.DRAINED : ReconcileReport.TIME_LIMIT;
        return new ReconcileReport(id, trigger, replica.name(), startedAt, finishedAt, stopped, batches, entries.size(),
                twilioLimit.requests() - requestsBefore, twilioLimit.rateLimitedAnswers() - rateLimitedBefore,
                backlogAfter, List.copyOf(entries));
    }
}
