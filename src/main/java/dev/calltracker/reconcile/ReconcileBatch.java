package dev.calltracker.reconcile;

import dev.calltracker.db.Database;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One batch of a run: claims its calls, decides them concurrently, releases them with the time each is due
 * again, and counts the backlog for the gauges.
 */
@ApplicationScoped
public class ReconcileBatch {

    /**
     * Calls decided at once per Twilio request allowed in flight: while some calls write their decision (two
     * transactions, in the connection pool's queue with the callbacks), the others keep the Twilio slots busy.
     * Not more: those writes share the pool with the callbacks (4 measured no faster than 2, bench/README.md).
     */
    static final int CALLS_PER_TWILIO_SLOT = 2;

    private final Database database;
    private final StuckCallRepository stuckCalls;
    private final StuckCallDecider decider;
    private final ReconcilerMetrics metrics;
    private final ReconcileConfig config;
    private final Clock clock;

    public ReconcileBatch(Database database, StuckCallRepository stuckCalls, StuckCallDecider decider, ReconcilerMetrics metrics,
                          ReconcileConfig config, Clock clock) {
        this.database = database.forBackgroundWork();
        this.stuckCalls = stuckCalls;
        this.decider = decider;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** How a batch claims its calls: up to {@code limit} of them, for the run started at {@code runStartedAt}. */
    private interface Claim {
        Uni<List<StuckCall>> claim(SqlClient tx, int limit, OffsetDateTime now, OffsetDateTime runStartedAt);
    }

    /** A batch of stuck calls. */
    Uni<List<ReconcileReport.Entry>> stuckCalls(ReconcileRun run) {
        String claimant = run.replica().name();
        return batch(run, (tx, limit, now, started) -> stuckCalls.claim(tx, now.minus(config.staleAfter()),
                now.minus(config.parentEndedGrace()), limit, now.plus(config.claimTimeout()), claimant, now, started));
    }

    /**
     * With answering-machine detection, a run first takes one batch of calls that ended connected but whose
     * result never came (the AMD callback was lost): Twilio's {@code answered_by} decides for them. One batch
     * per run, before the stuck calls, so a large backlog of those cannot starve these, nor these it (each is
     * asked at most once per run, then with the re-check back-off, and only within the give-up window).
     */
    Uni<List<ReconcileReport.Entry>> awaitingAmdResults(ReconcileRun run) {
        if (!decider.asksWhoAnswered()) {
            return Uni.createFrom().item(List.of());
        }
        String claimant = run.replica().name();
        return batch(run, (tx, limit, now, started) -> stuckCalls.claimAwaitingAmdResult(tx, now.minus(config.staleAfter()),
                now.minus(config.giveUpAfter()), limit, now.plus(config.claimTimeout()), claimant, now, started));
    }

    private Uni<List<ReconcileReport.Entry>> batch(ReconcileRun run, Claim claim) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return database.inTransaction(tx -> claim.claim(tx, run.batchSize(), now, run.startedAt()))
                .flatMap(claimed -> Multi.createFrom().iterable(claimed)
                        // More calls than Twilio requests in flight: while some calls write their decision, the
                        // others keep every Twilio slot busy (TwilioConcurrencyLimit holds the rest back).
                        .onItem().transformToUni(call -> decider.decide(call, run).map(entry -> Map.entry(call, entry)))
                        .merge(CALLS_PER_TWILIO_SLOT * config.twilioConcurrency())
                        .collect().asList())
                .call(decided -> {
                    OffsetDateTime checkedAt = OffsetDateTime.now(clock);
                    List<Recheck> rechecks = decided.stream().map(d -> Recheck.after(d.getKey(), d.getValue(), checkedAt,
                            config.recheckAfter(), config.recheckMax())).toList();
                    return database.withConnection(db -> stuckCalls.release(db, rechecks, run.replica().name(), checkedAt));
                })
                .call(this::countBacklog)
                .map(decided -> decided.stream().map(Map.Entry::getValue).toList());
    }

    private Uni<Void> countBacklog() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return database.withConnection(db -> stuckCalls.backlog(db, now.minus(config.staleAfter()),
                        now.minus(config.parentEndedGrace()), now.minus(config.alertAfter())))
                .invoke(metrics::backlogIs)
                .replaceWithVoid();
    }
}
