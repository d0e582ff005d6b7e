package dev.calltracker.lead;

import dev.calltracker.http.RequestRejected;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.vertx.pgclient.PgException;
import org.jboss.logging.Logger;

/**
 * The live streams of lead activities on this replica: each sends, in order of their change numbers, every
 * activity changed after the client's position (its {@code Last-Event-ID}), read from the database, then
 * each change as it is announced ({@link ActivityChangeListener}), read from the database too. A read returns
 * the activities whose latest change is above the stream's position, and the position moves to the last one
 * sent: nothing is sent twice, and since a lead's change numbers commit in order (V8) nothing is skipped.
 */
@ApplicationScoped
@Startup // its metrics exist from the start
public class LiveActivityStreams {

    private static final Logger LOG = Logger.getLogger(LiveActivityStreams.class);
    /** Activities read per query; a lead with more changed activities is read in several pages. */
    private static final int PAGE = 200;
    private static final StreamItem CLOSING = new StreamItem(null);
    private static final Duration LEAD_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final LeadRepository leads;
    private final ActivityChangeListener listener;
    private final LiveStreamConfig config;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    /** Open streams by user (the token's subject), for {@link LiveStreamConfig#maxOpenPerUser()}. */
    private final ConcurrentHashMap<String, AtomicInteger> openByUser = new ConcurrentHashMap<>();
    /** Completed when the replica starts shutting down: every stream ends, its client resumes elsewhere. */
    private final CompletableFuture<Void> shuttingDown = new CompletableFuture<>();
    private final Counter sent;
    private final Counter refused;
    private final Counter dropped;
    private final Timer lag;

    public LiveActivityStreams(LeadRepository leads, ActivityChangeListener listener, LiveStreamConfig config,
                               Clock clock, MeterRegistry registry) {
        this.leads = leads;
        this.listener = listener;
        this.config = config;
        this.clock = clock;
        registry.gauge("calltracker.live.streams.open", open);
        sent = registry.counter("calltracker.live.events.sent");
        refused = registry.counter("calltracker.live.streams.refused");
        dropped = registry.counter("calltracker.live.streams.dropped");
        lag = Timer.builder("calltracker.live.event.lag")
                .description("from the start of the transaction that changed an activity to its hand-over to a stream")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * A stream of the lead's activity changes after change number {@code after} (0: the whole timeline), with
     * heartbeats, for {@code user} (who asks: the token's subject). Refused with 503 beyond the replica's limit or
     * while it shuts down, with 429 beyond the user's limit, with 404 for an unknown lead. Blocks while it checks the lead: an SSE answer's status is sent with its first byte, before any
     * stream item, so the check cannot be part of the stream.
     */
    public Multi<StreamItem> open(UUID leadId, long after, String user) {
        if (shuttingDown.isDone()) {
            refused.increment();
            throw new RequestRejected(503, "this replica is shutting down", null);
        }
        if (!leads.exists(leadId).await().atMost(LEAD_CHECK_TIMEOUT)) {
            throw new RequestRejected(404, "lead not found", "id");
        }
        // Per user too, so that one token cannot take every slot of the replica.
        if (openByUser.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet() > config.maxOpenPerUser()) {
            closedBy(user);
            refused.increment();
            throw new RequestRejected(429, "too many live streams for this user (at most " + config.maxOpenPerUser()
                    + " per replica): close one first", null);
        }
        if (open.incrementAndGet() > config.maxOpen()) {
            open.decrementAndGet();
            closedBy(user);
            refused.increment();
            throw new RequestRejected(503, "too many live streams on this replica", null);
        }
        return stream(leadId, after, OffsetDateTime.now(clock)).onTermination().invoke(() -> closedBy(user));
    }

    /** One stream of {@code user} fewer; a user without streams is forgotten. */
    private void closedBy(String user) {
        openByUser.computeIfPresent(user, (u, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private Multi<StreamItem> stream(UUID leadId, long after, OffsetDateTime openedAt) {
        return Multi.createBy().merging().streams(changes(leadId, after, openedAt), heartbeats(), closing())
                .select().first(item -> item != CLOSING)
                // A client that does not read lets items pile up here; beyond the buffer it is dropped.
                .onOverflow().buffer(config.buffer())
                .onFailure(BackPressureFailure.class).invoke(slow -> {
                    dropped.increment();
                    LOG.debugf("Live stream of lead %s: client too slow, dropped", leadId);
                })
                .onFailure(BackPressureFailure.class).recoverWithCompletion()
                .invoke(item -> {
                    if (!item.isHeartbeat()) {
                        sent.increment();
                    }
                })
                .onTermination().invoke(open::decrementAndGet);
    }

    /** The lead's changes after {@code after}: what is there now, then after each wake-up what is new. */
    private Multi<StreamItem> changes(UUID leadId, long after, OffsetDateTime openedAt) {
        AtomicLong position = new AtomicLong(after);
        return listener.wakeUps(leadId)
                .onItem().transformToMultiAndConcatenate(seq -> seq <= position.get()
                        ? Multi.createFrom().<NumberedActivity>empty()
                        : changedAfter(leadId, position))
                .invoke(change -> {
                    if (change.changedAt() != null && change.changedAt().isAfter(openedAt)) {
                        lag.record(Duration.between(change.changedAt(), OffsetDateTime.now(clock)));
                    }
                })
                .map(StreamItem::new);
    }

    /** Every activity changed after the stream's position, page by page; the position follows the last one read. */
    private Multi<NumberedActivity> changedAfter(UUID leadId, AtomicLong position) {
        return Multi.createBy().repeating()
                .uni(() -> leads.activitiesChangedAfter(leadId, position.get(), PAGE)
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                position.set(page.get(page.size() - 1).seq());
                            }
                        }))
                .whilst(page -> page.size() == PAGE)
                .onItem().<NumberedActivity>disjoint()
                // The database is unreachable: nothing is lost, the listener's reconnect wakes the stream up again.
                // An error the database answered (a broken query) would never heal: that one is worth a warning.
                .onFailure().invoke(failure -> LOG.logf(failure instanceof PgException ? Logger.Level.WARN : Logger.Level.DEBUG,
                        "Live stream of lead %s: read failed: %s", leadId, failure))
                .onFailure().recoverWithCompletion();
    }

    /** One at once (the answer's headers go out with it, whatever the lead has to show), then one per period. */
    private Multi<StreamItem> heartbeats() {
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(StreamItem.HEARTBEAT),
                Multi.createFrom().ticks().every(config.heartbeat()).map(tick -> StreamItem.HEARTBEAT));
    }

    private Multi<StreamItem> closing() {
        // A future of its own per stream: cancelling a stream must not cancel the shared one.
        return Uni.createFrom().completionStage(() -> shuttingDown.thenApply(done -> CLOSING)).toMulti();
    }

    /** Streams end as soon as the shutdown delay begins: their clients resume on a replica that stays. */
    void shutdownDelayInitiated(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown.complete(null);
    }

    /** Without a shutdown delay (dev mode, tests), streams end at shutdown. */
    void shutdown(@Observes ShutdownEvent event) {
        shuttingDown.complete(null);
    }
}
