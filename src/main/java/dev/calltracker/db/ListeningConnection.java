package dev.calltracker.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One connection that {@code LISTEN}s to a channel and stays listening: it is pinged, and a ping, a connection
 * or a {@code LISTEN} without an answer within its deadline closes the connection and opens another, with a
 * doubling wait. Vert.x's {@code PgSubscriber} does not do this: it waits for ever on a connection that never
 * finishes opening, and notices a connection whose answers stopped arriving only when the kernel does (with
 * default keepalive, after hours), while no notification can arrive.
 *
 * <p>It also holds the watches ({@link Watches}) its listeners ask for, each once however many ask, and takes them
 * again on every new connection before {@code onListening} runs: notifications sent meanwhile reached nobody, and
 * changes nobody watched were not announced at all, so what it wakes up must read them.
 *
 * <p>Its state is kept on one Vert.x context, where the connection's answers arrive too.
 */
public final class ListeningConnection {

    private static final Logger LOG = Logger.getLogger(ListeningConnection.class);

    /** Settings of one listening connection; {@code watches} is the kind of key it holds watches on. */
    public record Settings(String channel, Watches watches, Duration pingEvery, Duration deadline,
                           Duration firstRetryDelay, Duration maxRetryDelay) {
    }

    private static final String WATCH = "SELECT count(*) FROM (SELECT pg_advisory_lock_shared($1, key) "
            + "FROM unnest($2::int[]) AS key) AS held";
    private static final String UNWATCH = "SELECT count(*) FILTER (WHERE pg_advisory_unlock_shared($1, key)) "
            + "FROM unnest($2::int[]) AS key";

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Settings settings;
    private final Consumer<String> onNotification;
    private final Runnable onListening;
    private final Counter reconnects;
    private final Counter pingsUnanswered;

    private final Context context;
    /** How many ask to watch each key; a key is in here while one does. */
    private final Map<Integer, Integer> wanted = new HashMap<>();
    /** The keys the current connection holds a watch on. */
    private final Set<Integer> held = new HashSet<>();
    /** Who waits for a key to be held. */
    private final Map<Integer, List<Promise<Void>>> waiting = new HashMap<>();
    private boolean syncing;

    private volatile PgConnection connection;
    private volatile boolean stopped;
    private long pingTimer = -1;
    private int failedAttempts;
    private boolean everListened;

    public ListeningConnection(Vertx vertx, PgConnectOptions options, Settings settings, MeterRegistry registry,
                               Consumer<String> onNotification, Runnable onListening) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.settings = settings;
        this.onNotification = onNotification;
        this.onListening = onListening;
        this.reconnects = Counter.builder("calltracker.db.listener.reconnects").tag("channel", settings.channel())
                .description("Times the listening connection was opened again after it was lost").register(registry);
        this.pingsUnanswered = Counter.builder("calltracker.db.listener.pings.unanswered").tag("channel", settings.channel())
                .description("Pings of the listening connection not answered within the deadline").register(registry);
    }

    /** Whether it listens now. */
    public boolean listening() {
        return connection != null;
    }

    public void start() {
        context.runOnContext(v -> connect());
    }

    /**
     * Watches {@code key} ({@link Settings#watches()}) until {@link #unwatch}: completes once the database knows it,
     * from then on every change of it is announced. While no connection listens it completes when one does.
     */
    public Future<Void> watch(int key) {
        Promise<Void> watched = Promise.promise();
        context.runOnContext(v -> {
            wanted.merge(key, 1, Integer::sum);
            if (connection != null && held.contains(key)) {
                watched.complete();
            } else {
                waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(watched);
                syncWatches();
            }
        });
        return watched.future();
    }

    /** One watch of {@code key} fewer; the database is told once nobody watches it. */
    public void unwatch(int key) {
        context.runOnContext(v -> {
            if (wanted.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null) == null) {
                waiting.remove(key); // they all stopped waiting
                syncWatches();
            }
        });
    }

    /**
     * Brings the connection's watches to what is wanted, one statement at a time; then {@code then} runs. A statement
     * that fails or does not answer in time costs the connection (the next one takes every watch again).
     */
    private void syncWatches(Runnable then) {
        PgConnection current = connection;
        if (current == null) {
            return;
        }
        if (syncing) {
            return; // the statement in flight syncs again when it is answered
        }
        List<Integer> toWatch = wanted.keySet().stream().filter(key -> !held.contains(key)).toList();
        List<Integer> toUnwatch = held.stream().filter(key -> !wanted.containsKey(key)).toList();
        if (toWatch.isEmpty() && toUnwatch.isEmpty()) {
            then.run();
            return;
        }
        syncing = true;
        boolean watching = !toWatch.isEmpty();
        List<Integer> keys = watching ? toWatch : toUnwatch;
        // A key being unwatched counts as not held from now: a watch asked meanwhile waits for it to be taken again.
        if (!watching) {
            keys.forEach(held::remove);
        }
        answeredWithin(current, watching ? WATCH : UNWATCH,
                Tuple.tuple().addInteger(settings.watches().space()).addArrayOfInteger(keys.toArray(Integer[]::new)), () -> {
                    if (connection != current) {
                        return; // lost meanwhile: the next connection takes every watch again
                    }
                    syncing = false;
                    if (watching) {
                        held.addAll(keys);
                        keys.forEach(key -> {
                            List<Promise<Void>> watchers = waiting.remove(key);
                            if (watchers != null) {
                                watchers.forEach(Promise::tryComplete);
                            }
                        });
                    }
                    syncWatches(then); // what was asked meanwhile, and the unwatches after the watches
                });
    }

    private void syncWatches() {
        syncWatches(() -> { });
    }

    public void stop() {
        stopped = true;
        PgConnection current = connection;
        if (current != null) {
            current.close();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        Future<PgConnection> attempt = PgConnection.connect(vertx, options);
        boolean[] settled = new boolean[1];
        long timer = vertx.setTimer(Math.max(1, settings.deadline().toMillis()), id -> {
            if (!settled[0]) {
                settled[0] = true;
                attempt.onSuccess(PgConnection::close);
                failedToListen(new DatabaseUnavailable(DatabaseUnavailable.Phase.CONNECT, settings.deadline(), null));
            }
        });
        attempt.onComplete(outcome -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            vertx.cancelTimer(timer);
            if (outcome.succeeded()) {
                opened(outcome.result());
            } else {
                failedToListen(outcome.cause());
            }
        });
    }

    private void opened(PgConnection opened) {
        if (stopped) {
            opened.close();
            return;
        }
        opened.notificationHandler(notification -> {
            if (settings.channel().equals(notification.getChannel())) {
                onNotification.accept(notification.getPayload());
            }
        });
        opened.closeHandler(v -> lost(opened));
        answeredWithin(opened, "LISTEN \"" + settings.channel().replace("\"", "\"\"") + "\"", Tuple.tuple(), () -> {
            connection = opened;
            failedAttempts = 0;
            if (everListened) {
                reconnects.increment();
                LOG.infof("Listening on %s again", settings.channel());
            }
            everListened = true;
            schedulePing(opened);
            held.clear();
            syncing = false;
            syncWatches(onListening);
        });
    }

    private void schedulePing(PgConnection pinged) {
        pingTimer = vertx.setTimer(Math.max(1, settings.pingEvery().toMillis()), id -> {
            if (connection == pinged && !stopped) {
                answeredWithin(pinged, "SELECT 1", Tuple.tuple(), () -> schedulePing(pinged));
            }
        });
    }

    /** Runs {@code sql} on {@code target}; {@code then} if it answers in time, otherwise closes the connection. */
    private void answeredWithin(PgConnection target, String sql, Tuple args, Runnable then) {
        boolean[] answered = new boolean[1];
        long timer = vertx.setTimer(Math.max(1, settings.deadline().toMillis()), id -> {
            if (!answered[0]) {
                pingsUnanswered.increment();
                LOG.warnf("Listening connection on %s: no answer to %s within %d ms; closing it and opening another",
                        settings.channel(), sql, settings.deadline().toMillis());
                PhysicalConnection.close(target);
            }
        });
        (args.size() == 0 ? target.query(sql).execute() : target.preparedQuery(sql).execute(args)).onComplete(outcome -> {
            answered[0] = true;
            vertx.cancelTimer(timer);
            if (outcome.succeeded()) {
                then.run();
            } else {
                LOG.debugf("Listening connection on %s: %s failed: %s", settings.channel(), sql, outcome.cause());
                target.close();
            }
        });
    }

    private void lost(PgConnection closed) {
        boolean wasListening = connection == closed;
        connection = null;
        if (pingTimer != -1) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
        }
        if (stopped) {
            return;
        }
        if (wasListening) {
            LOG.warnf("Listening connection on %s lost; opening another", settings.channel());
        }
        retryLater();
    }

    private void failedToListen(Throwable failure) {
        if (stopped) {
            return;
        }
        // Once per outage, not once per attempt.
        LOG.logf(failedAttempts == 0 ? Logger.Level.WARN : Logger.Level.DEBUG, "Cannot listen on %s yet (%s); retrying",
                settings.channel(), failure.toString());
        retryLater();
    }

    private void retryLater() {
        long first = Math.max(1, settings.firstRetryDelay().toMillis());
        long delay = Math.min(settings.maxRetryDelay().toMillis(), first << Math.min(failedAttempts, 20));
        failedAttempts++;
        vertx.setTimer(Math.max(1, delay), id -> connect());
    }
}
