package dev.calltracker.db;

import dev.calltracker.db.DatabaseUnavailable.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * What an operator sees of a database that stops answering: metrics for every refusal and discarded connection, and
 * one log line when an episode begins and one when the database answers again (not one per request: a stall
 * refuses hundreds of requests a second).
 */
@Singleton
public class DatabaseOutages {

    private static final Logger LOG = Logger.getLogger(DatabaseOutages.class);
    private static final long QUIET_BEFORE_THE_END_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<Phase, Counter> refusals = new EnumMap<>(Phase.class);
    private final Counter discarded;
    private final Timer poolWait;
    private final AtomicLong refusedInEpisode = new AtomicLong();
    private final AtomicLong discardedInEpisode = new AtomicLong();
    private volatile long episodeStartedNanos;
    private volatile long lastTroubleNanos;
    private volatile boolean inEpisode;

    public DatabaseOutages(MeterRegistry registry) {
        for (Phase phase : Phase.values()) {
            refusals.put(phase, Counter.builder("calltracker.db.refusals").tag("phase", phase.tag())
                    .description("Requests refused (503) because the database did not answer within a deadline")
                    .register(registry));
        }
        discarded = Counter.builder("calltracker.db.connections.discarded")
                .description("Connections closed because their statements went unanswered past the deadline")
                .register(registry);
        poolWait = Timer.builder("calltracker.db.pool.wait")
                .description("Time a request waited for a pooled connection")
                .register(registry);
    }

    void waitedForConnection(long nanos) {
        poolWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    void refused(DatabaseUnavailable refusal) {
        refusals.get(refusal.phase()).increment();
        refusedInEpisode.incrementAndGet();
        begin(refusal.getMessage());
    }

    void discarded(String why) {
        discarded.increment();
        discardedInEpisode.incrementAndGet();
        begin(why);
    }

    /**
     * The database answered: ends the episode under way once the database has answered for a second without
     * trouble (a pool briefly full under a burst is one episode, not one per request). A volatile read otherwise.
     */
    void answered() {
        if (inEpisode && System.nanoTime() - lastTroubleNanos > QUIET_BEFORE_THE_END_NANOS) {
            end();
        }
    }

    private synchronized void begin(String what) {
        lastTroubleNanos = System.nanoTime();
        if (!inEpisode) {
            episodeStartedNanos = System.nanoTime();
            inEpisode = true;
            LOG.warnf("Database not answering: %s. Requests are refused with 503 (Retry-After) until it answers again;"
                    + " connections that stay silent are closed and replaced", what);
        }
    }

    private synchronized void end() {
        if (inEpisode && System.nanoTime() - lastTroubleNanos > QUIET_BEFORE_THE_END_NANOS) {
            inEpisode = false;
            Duration lasted = Duration.ofNanos(System.nanoTime() - episodeStartedNanos);
            LOG.infof("Database answering again after %d ms: %d requests refused, %d connections closed meanwhile",
                    lasted.toMillis(), refusedInEpisode.getAndSet(0), discardedInEpisode.getAndSet(0));
        }
    }
}
