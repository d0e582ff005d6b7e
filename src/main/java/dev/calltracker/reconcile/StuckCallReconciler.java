package dev.calltracker.reconcile;

import dev.calltracker.call.CallEventRecorder;
import dev.calltracker.call.CallEventRecorder.Outcome;
import dev.calltracker.call.ReconcilerFinding;
import dev.calltracker.config.CallingConfig;
import dev.calltracker.twilio.TwilioFormats;
import dev.calltracker.reconcile.StuckCallPolicy.Decision;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import dev.calltracker.db.Database;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(StuckCallReconciler.class);

    /**
     * Calls decided at once per Twilio request allowed in flight: while some calls write their decision (two
     * transactions, in the connection pool's queue with the callbacks), the others keep the Twilio slots busy.
     * Not more: those writes share the pool with the callbacks (4 measured no faster than 2, bench/README.md).
     */
    static final int CALLS_PER_TWILIO_SLOT = 2;

    private final Database database;
    private final StuckCallRepository stuckCalls;
    private final CallEventRecorder recorder;
    private final TwilioCallsGateway twilio;
    private final TwilioConcurrencyLimit twilioLimit;
    private final ReconcileConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final String replica;
    private final boolean machineDetection;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong stuckGauge = new AtomicLong();
    private final AtomicLong backlogGauge = new AtomicLong();

    public StuckCallReconciler(Database database, StuckCallRepository stuckCalls, CallEventRecorder recorder,
                               TwilioCallsGateway twilio, TwilioConcurrencyLimit twilioLimit, ReconcileConfig config,
                               MeterRegistry registry, Clock clock, CallingConfig calling) {
        this.machineDetection = CallingConfig.detects(calling);
        this.database = database;
        this.stuckCalls = stuckCalls;
        this.recorder = recorder;
        this.twilio = twilio;
        this.twilioLimit = twilioLimit;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.replica = replicaName();
        // Updated after each batch, so a scrape never queries the database.
        registry.gauge("calltracker.calls.stuck", stuckGauge);
        registry.gauge("calltracker.reconciler.backlog", backlogGauge);
    }

    /**
     * With the schedule off, {@code reconcile.run-at-startup} still makes one run at start-up. With a schedule,
     * its first tick comes as soon as the service has started and is that run ({@link FirstTickUnlessRunAtStartup}).
     */
    void onStart(@Observes StartupEvent start) {
        if (config.runAtStartup() && ReconcileConfig.isOff(config.every())) {
            run("startup").subscribe().with(
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
        return Multi.createBy().repeating().uni(() -> run("schedule"))
                .whilst(report -> report.stoppedBecause().equals(ReconcileReport.TIME_LIMIT))
                .collect().last()
                .onFailure().invoke(f -> LOG.warnf("Reconciliation failed: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * One run: claims a batch of candidates, decides them (up to {@code reconcile.twilio-concurrency} at once),
     * releases them with the time each is due again, and goes on with the next batch while candidates remain
     * and {@code reconcile.run-time-limit} is not reached. One run at a time per replica.
     */
    public Uni<ReconcileReport> run(String trigger) {
        return run(trigger, config.batchSize());
    }

    public Uni<ReconcileReport> run(String trigger, int batchSize) {
        // Deferred: the run (and its one-at-a-time flag) starts when subscribed, not when the Uni is built.
        return Uni.createFrom().deferred(() -> start(trigger, batchSize));
    }

    private Uni<ReconcileReport> start(String trigger, int batchSize) {
        OffsetDateTime startedAt = OffsetDateTime.now(clock);
        String runId = UUID.randomUUID().toString();
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(ReconcileReport.skipped(runId, trigger, replica, startedAt));
        }
        OffsetDateTime deadline = startedAt.plus(config.runTimeLimit());
        long requestsBefore = twilioLimit.requests();
        long rateLimitedBefore = twilioLimit.rateLimitedAnswers();
        List<ReconcileReport.Entry> entries = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger lastBatchSize = new AtomicInteger();
        return awaitingAmdResults(runId, batchSize, startedAt)
                .invoke(awaiting -> {
                    if (!awaiting.isEmpty()) {
                        batches.incrementAndGet();
                        entries.addAll(awaiting);
                    }
                })
                .onItem().transformToMulti(awaiting -> Multi.createBy().repeating()
                        .uni(() -> batch(runId, batchSize, startedAt, this::claimStuck))
                        .whilst(batch -> batch.size() == batchSize && OffsetDateTime.now(clock).isBefore(deadline)))
                .onItem().invoke(batch -> {
                    batches.incrementAndGet();
                    lastBatchSize.set(batch.size());
                    entries.addAll(batch);
                })
                .collect().last()
                .replaceWith(() -> {
                    OffsetDateTime finishedAt = OffsetDateTime.now(clock);
                    String stopped = lastBatchSize.get() < batchSize ? ReconcileReport.DRAINED : ReconcileReport.TIME_LIMIT;
                    return new ReconcileReport(runId, trigger, replica, startedAt, finishedAt, stopped, batches.get(),
                            entries.size(), twilioLimit.requests() - requestsBefore,
                            twilioLimit.rateLimitedAnswers() - rateLimitedBefore, backlogGauge.get(), List.copyOf(entries));
                })
                .call(report -> database.withConnection(db -> stuckCalls.saveRun(db, report)))
                .invoke(this::log)
                .onTermination().invoke(() -> running.set(false));
    }

    /** How a batch claims its calls: up to {@code limit} of them, for the run started at {@code runStartedAt}. */
    private interface Claim {
        Uni<List<StuckCall>> claim(SqlClient tx, int limit, OffsetDateTime now, OffsetDateTime runStartedAt);
    }

    private Uni<List<StuckCall>> claimStuck(SqlClient tx, int limit, OffsetDateTime now, OffsetDateTime runStartedAt) {
        return stuckCalls.claim(tx, now.minus(config.staleAfter()), now.minus(config.parentEndedGrace()), limit,
                now.plus(config.claimTimeout()), replica, now, runStartedAt);
    }

    /**
     * With answering-machine detection, a run first takes one batch of calls that ended connected but whose
     * result never came (the AMD callback was lost): Twilio's {@code answered_by} decides for them. One batch
     * per run, before the stuck calls, so a large backlog of those cannot starve these, nor these it (each is
     * asked at most once per run, then with the re-check back-off, and only within the give-up window).
     */
    private Uni<List<ReconcileReport.Entry>> awaitingAmdResults(String runId, int batchSize, OffsetDateTime runStartedAt) {
        if (!machineDetection || !twilio.hasCredentials()) {
            return Uni.createFrom().item(List.of());
        }
        return batch(runId, batchSize, runStartedAt, (tx, limit, now, started) -> stuckCalls.claimAwaitingAmdResult(tx,
                now.minus(config.staleAfter()), now.minus(config.giveUpAfter()), limit, now.plus(config.claimTimeout()),
                replica, now, started));
    }

    /** Claims one batch, decides its calls concurrently, releases them with the time each is due again. */
    private Uni<List<ReconcileReport.Entry>> batch(String runId, int batchSize, OffsetDateTime runStartedAt, Claim claim) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return database.inTransaction(tx -> claim.claim(tx, batchSize, now, runStartedAt))
                .flatMap(claimed -> Multi.createFrom().iterable(claimed)
                        // More calls than Twilio requests in flight: while some calls write their decision, the
                        // others keep every Twilio slot busy (TwilioConcurrencyLimit holds the rest back).
                        .onItem().transformToUni(call -> reconcile(call, runId).map(entry -> Map.entry(call, entry)))
                        .merge(CALLS_PER_TWILIO_SLOT * config.twilioConcurrency())
                        .collect().asList())
                .call(decided -> {
                    OffsetDateTime checkedAt = OffsetDateTime.now(clock);
                    List<Recheck> rechecks = decided.stream().map(d -> Recheck.after(d.getKey(), d.getValue(), checkedAt,
                            config.recheckAfter(), config.recheckMax())).toList();
                    return database.withConnection(db -> stuckCalls.release(db, rechecks, replica, checkedAt));
                })
                .call(this::refreshGauges)
                .map(decided -> decided.stream().map(Map.Entry::getValue).toList());
    }

    private Uni<ReconcileReport.Entry> reconcile(StuckCall call, String runId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Uni<Decision> decision;
        String legToAsk = call.dialedSid() != null ? call.dialedSid() : call.callSid();
        if (call.status().isTerminal()) {
            // Ended without its answering-machine detection result (awaitingAmdResults): only who answered is
            // asked, and never from evidence (there is none about who answered).
            decision = !TwilioFormats.isCallSid(legToAsk)
                    ? Uni.createFrom().item(Decision.leave(StuckCallPolicy.AWAITING_AMD_RESULT, "not a Twilio call sid"))
                    : twilio.fetchCall(legToAsk).map(leg -> leg.map(StuckCallPolicy::answeredByOf).orElseGet(() ->
                            Decision.leave(StuckCallPolicy.AWAITING_AMD_RESULT, "Twilio does not know the dialed leg")));
        } else if (!twilio.hasCredentials()) {
            decision = Uni.createFrom().item(StuckCallPolicy.fromEvidence(call, now, config.giveUpAfter(), "no Twilio credentials"));
        } else if (!TwilioFormats.isCallSid(call.callSid())) {
            // Placeholder sids given to rows of the original system that had none (or a duplicate one).
            decision = Uni.createFrom().item(StuckCallPolicy.fromEvidence(call, now, config.giveUpAfter(),
                    "not a Twilio call sid, Twilio cannot be asked"));
        } else {
            decision = askTwilio(call, now);
        }
        return decision
                // Twilio being unreachable, or refusing our requests, is never a reason to guess: the call waits for the next run.
                .onFailure().recoverWithItem(f -> Decision.leave(
                        f instanceof TwilioApiRefused ? "left-twilio-refused" : "left-twilio-unavailable", describe(f)))
                .flatMap(d -> d.leavesCall() ? Uni.createFrom().item(entry(call, d, false)) : apply(call, d, runId))
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("Reconciling call %s failed: %s", call.callSid(), f.toString());
                    return new ReconcileReport.Entry(call.callSid(), "left-error", null, false, f.toString());
                })
                .invoke(this::count);
    }

    private Uni<Decision> askTwilio(StuckCall call, OffsetDateTime now) {
        if (call.dialedSid() != null) {
            return twilio.fetchCall(call.dialedSid()).map(leg -> leg
                    .map(l -> StuckCallPolicy.fromDialedLeg(l, now))
                    .orElseGet(() -> StuckCallPolicy.fromEvidence(call, now, config.giveUpAfter(),
                            "Twilio does not know the dialed leg")));
        }
        return twilio.childCalls(call.callSid()).flatMap(children -> {
            if (!children.isEmpty()) {
                return Uni.createFrom().item(StuckCallPolicy.fromDialedLeg(children.get(0), now));
            }
            return twilio.fetchCall(call.callSid()).map(parent -> parent
                    .map(p -> StuckCallPolicy.fromParentWithoutDialedLeg(p, now))
                    .orElseGet(() -> StuckCallPolicy.fromEvidence(call, now, config.giveUpAfter(),
                            "Twilio does not know the call")));
        });
    }

    /** Applies the decision through the same rule as callbacks, unless the call moved on since it was claimed. */
    private Uni<ReconcileReport.Entry> apply(StuckCall call, Decision decision, String runId) {
        Map<String, String> params = new HashMap<>();
        decision.evidence().forEach((k, v) -> params.put(k, String.valueOf(v)));
        params.put("decision", decision.outcome());
        params.put("detail", decision.detail());
        params.put("run", runId);
        params.put("replica", replica);
        ReconcilerFinding finding = new ReconcilerFinding(call.callSid(), decision.outcome(), decision.observation(),
                params, "reconciler:" + call.callSid() + ":" + runId, OffsetDateTime.now(clock));
        return recorder.record(finding, call.id(), call.lastEventAt()).map(outcome -> outcome == Outcome.SUPERSEDED
                ? entry(call, Decision.leave("left-changed", "an event arrived while Twilio was asked; left for the next run"), false)
                : entry(call, decision, outcome == Outcome.APPLIED));
    }

    private Uni<Void> refreshGauges() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return database.withConnection(db -> stuckCalls.backlog(db, now.minus(config.staleAfter()),
                        now.minus(config.parentEndedGrace()), now.minus(config.alertAfter())))
                .invoke(backlog -> {
                    backlogGauge.set(backlog.candidates());
                    stuckGauge.set(backlog.stuckBeyondAlert());
                })
                .replaceWithVoid();
    }

    /** The last value of the stuck-calls gauge. */
    public long stuckCalls() {
        return stuckGauge.get();
    }

    /** The last value of the backlog gauge: stuck calls, examined or not. */
    public long backlog() {
        return backlogGauge.get();
    }

    private static ReconcileReport.Entry entry(StuckCall call, Decision d, boolean applied) {
        String source = d.observation() == null ? null : d.observation().source().value();
        return new ReconcileReport.Entry(call.callSid(), d.outcome(), source, applied, d.detail());
    }

    private void count(ReconcileReport.Entry e) {
        registry.counter("calltracker.reconciler.decisions", "source", e.source() == null ? "none" : e.source(),
                "outcome", e.applied() ? e.outcome() : e.outcome().startsWith("left-") ? e.outcome() : "unchanged").increment();
    }

    /** One line per run, whatever the backlog; each call's decision is in call_events and the diagnostics. */
    private void log(ReconcileReport report) {
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

    private static String describe(Throwable f) {
        if (f instanceof TwilioApiRefused refused) {
            return refused.status() == 401
                    ? "Twilio's API refused the credentials (HTTP 401): check TWILIO_ACCOUNT_SID and "
                    + "TWILIO_API_KEY_SID/TWILIO_API_KEY_SECRET (or TWILIO_AUTH_TOKEN)"
                    : "Twilio's API refused the request (HTTP " + refused.status() + ")";
        }
        if (f instanceof CircuitBreakerOpenException) {
            return "Twilio's API keeps failing: circuit breaker open, not asking for now";
        }
        if (f instanceof TimeoutException || f instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
            return "Twilio's API timed out";
        }
        return "Twilio's API failed: " + f;
    }

    private static String replicaName() {
        String host = System.getenv("HOSTNAME");
        if (host == null) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "replica";
            }
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
