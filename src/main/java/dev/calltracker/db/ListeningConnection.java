package dev.calltracker.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One connection that {@code LISTEN}s to a channel and stays listening: it is pinged, and a ping, a connection
 * or a {@code LISTEN} without an answer within its deadline closes the connection and opens another, with a
 * doubling wait. Vert.x's {@code PgSubscriber} does not do this: it waits for ever on a connection that never
 * finishes opening, and notices a connection whose answers stopped arriving only when the kernel does (with
 * default keepalive, after hours), while no notification can arrive.
 *
 * <p>{@code onListening} runs each time it listens (again): notifications sent meanwhile reached nobody.
 */
public final class ListeningConnection {

    private static final Logger LOG = Logger.getLogger(ListeningConnection.class);

    /** Settings of one listening connection. */
    public record Settings(String channel, Duration pingEvery, Duration deadline, Duration firstRetryDelay,
                           Duration maxRetryDelay) {
    }

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Settings settings;
    private final Consumer<String> onNotification;
    private final Runnable onListening;
    private final Counter reconnects;
    private final Counter pingsUnanswered;

    private volatile PgConnection connection;
    private volatile boolean stopped;
    private long pingTimer = -1;
    private int failedAttempts;
    private boolean everListened;

    public ListeningConnection(Vertx vertx, PgConnectOptions options, Settings settings, MeterRegistry registry,
                               Consumer<String> onNotification, Runnable onListening) {
        this.vertx = vertx;
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
        vertx.runOnContext(v -> connect());
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
        answeredWithin(opened, "LISTEN \"" + settings.channel().replace("\"", "\"\"") + "\"", () -> {
            connection = opened;
            failedAttempts = 0;
            if (everListened) {
                reconnects.increment();
                LOG.infof("Listening on %s again", settings.channel());
            }
            everListened = true;
            schedulePing(opened);
            onListening.run();
        });
    }

    private void schedulePing(PgConnection pinged) {
        pingTimer = vertx.setTimer(Math.max(1, settings.pingEvery().toMillis()), id -> {
            if (connection == pinged && !stopped) {
                answeredWithin(pinged, "SELECT 1", () -> schedulePing(pinged));
            }
        });
    }

    /** Runs {@code sql} on {@code target}; {@code then} if it answers in time, otherwise closes the connection. */
    private void answeredWithin(PgConnection target, String sql, Runnable then) {
        boolean[] answered = new boolean[1];
        long timer = vertx.setTimer(Math.max(1, settings.deadline().toMillis()), id -> {
            if (!answered[0]) {
                pingsUnanswered.increment();
                LOG.warnf("Listening connection on %s: no answer to %s within %d ms; closing it and opening another",
                        settings.channel(), sql, settings.deadline().toMillis());
                PhysicalConnection.close(target);
            }
        });
        target.query(sql).execute().onComplete(outcome -> {
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
