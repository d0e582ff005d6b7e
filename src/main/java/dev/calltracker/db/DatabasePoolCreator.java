package dev.calltracker.db;

import jakarta.inject.Inject;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.spi.ConnectionFactory;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the reactive pool from Quarkus' datasource settings plus what a silent database needs, none of which
 * Quarkus' properties reach: a bounded wait for a connection and a bounded wait queue, a deadline on opening a
 * connection, the session's server-side timeouts, and TCP keepalive. And each connection writes the commands it is
 * given together in one write ({@link PhysicalConnection#coalesceFlushes}).
 */
@Singleton
public class DatabasePoolCreator implements PgPoolCreator {

    @Inject
    DatabaseConfig config;
    private volatile ConnectionFactory factory;

    @Override
    public Pool create(Input input) {
        PoolOptions poolOptions = new PoolOptions(input.poolOptions())
                // Each use has its own, shorter deadline (Database); this one only ends the longest wait.
                .setConnectionTimeout((int) config.acquireTimeout().plus(config.backgroundAcquireTimeout()).toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.maxWaitQueue());
        List<PgConnectOptions> databases = input.pgConnectOptionsList().stream()
                .map(options -> forService(new PgConnectOptions(options), config)).toList();
        Vertx vertx = input.vertx();
        Pool pool = PgDriver.INSTANCE.createPool(vertx, databases, poolOptions);
        AtomicInteger next = new AtomicInteger();
        ConnectionFactory connections = PgDriver.INSTANCE.createConnectionFactory(vertx,
                () -> Future.succeededFuture(databases.get(Math.floorMod(next.getAndIncrement(), databases.size()))));
        factory = connections;
        // Vert.x's own provider waits for a new connection's start-up as long as the server takes: a connection
        // opened into a silent database would hold its place in the pool for ever.
        pool.connectionProvider(context -> connectWithin(vertx, connections, context, config.connectTimeout()));
        return pool;
    }

    void close(@Observes ShutdownEvent shutdown) {
        ConnectionFactory connections = factory;
        if (connections != null) {
            connections.close(Promise.promise());
        }
    }

    /**
     * The options every connection of the service uses, the live streams' listening connection included: the
     * session's timeouts travel in PostgreSQL's start-up message (no statement, no round trip), and TCP keepalive
     * lets the kernel find a peer that vanished (its timings are the kernel's: docs/operations.md).
     */
    public static PgConnectOptions forService(PgConnectOptions options, DatabaseConfig config) {
        return options
                .addProperty("statement_timeout", millis(config.statementTimeout()))
                .addProperty("lock_timeout", millis(config.lockTimeout()))
                .addProperty("idle_in_transaction_session_timeout", millis(config.idleInTransactionTimeout()))
                .setTcpKeepAlive(true)
                .setConnectTimeout((int) config.connectTimeout().toMillis());
    }

    private Future<SqlConnection> connectWithin(Vertx vertx, ConnectionFactory connections, Context context,
                                                Duration deadline) {
        Promise<SqlConnection> result = Promise.promise();
        Future<SqlConnection> attempt = connections.connect(context);
        long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> {
            // The request waiting for it counts the refusal (Database); if the attempt ever completes, it is closed.
            result.tryFail(new DatabaseUnavailable(DatabaseUnavailable.Phase.CONNECT, deadline, null));
        });
        attempt.onComplete(outcome -> {
            vertx.cancelTimer(timer);
            if (outcome.failed()) {
                result.tryFail(outcome.cause());
            } else {
                PhysicalConnection.coalesceFlushes(outcome.result());
                if (!result.tryComplete(outcome.result())) {
                    outcome.result().close();
                }
            }
        });
        return result.future();
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
