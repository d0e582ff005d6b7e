package dev.calltracker.db;

import dev.calltracker.db.DatabaseUnavailable.Phase;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Function;

/**
 * The service's one way to the database: every use holds a pooled connection for a bounded time.
 * <ul>
 *   <li>a connection that does not come within {@code db.acquire-timeout} (for {@link #forBackgroundWork()}: longer)
 *       refuses the request ({@link DatabaseUnavailable}, answered 503);</li>
 *   <li>work that does not finish within its deadline ({@code db.transaction-timeout} unless given) refuses the
 *       request and <em>closes</em> its connection: statements unanswered that long mean a silent database or a
 *       connection whose answers no longer arrive (a fail-over that closed nothing), and returning it to the pool
 *       would hand the next request a connection that never answers.</li>
 * </ul>
 * Server-side limits ({@code statement_timeout}, {@code lock_timeout}) come first in the ordinary case and leave the
 * connection usable; these deadlines catch what the server cannot report.
 */
@Singleton
public class Database {

    private final Pool pool;
    private final Vertx vertx;
    private final DatabaseConfig config;
    private final DatabaseOutages outages;
    private final Duration acquireTimeout;

    @Inject
    public Database(Pool pool, Vertx vertx, DatabaseConfig config, DatabaseOutages outages) {
        this(pool, vertx, config, outages, config.acquireTimeout());
    }

    private Database(Pool pool, Vertx vertx, DatabaseConfig config, DatabaseOutages outages, Duration acquireTimeout) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.outages = outages;
        this.acquireTimeout = acquireTimeout;
    }

    /**
     * The same database for work nobody waits on (the reconciler): it waits up to
     * {@code db.background-acquire-timeout} for a connection, queued with the requests, so that a busy pool delays
     * it instead of failing it. Once it has a connection, the same transaction deadline applies.
     */
    public Database forBackgroundWork() {
        return new Database(pool, vertx, config, outages, config.backgroundAcquireTimeout());
    }

    /** Runs {@code work} on one pooled connection within the transaction deadline. */
    public <T> Uni<T> withConnection(Function<SqlConnection, Uni<T>> work) {
        return withConnection(config.transactionTimeout(), work);
    }

    /**
     * Runs {@code work} on one pooled connection within {@code deadline} (counted once the connection came). The work
     * runs to its end even if the request that started it goes away (a Twilio retry may already be on its way), so
     * its connection always goes back to the pool with no transaction open.
     */
    public <T> Uni<T> withConnection(Duration deadline, Function<SqlConnection, Uni<T>> work) {
        return Deadline.uncancellable(Uni.createFrom().deferred(() -> {
            long asked = System.nanoTime();
            return acquire().flatMap(connection -> {
                outages.waitedForConnection(System.nanoTime() - asked);
                boolean[] discarded = new boolean[1];
                return Deadline.within(vertx, deadline, Uni.createFrom().deferred(() -> work.apply(connection)),
                                () -> discarded[0] = discard(connection, deadline),
                                () -> refused(Phase.TRANSACTION, deadline, null))
                        // A discarded connection leaves the pool once its socket has closed; releasing it
                        // before that would lend it to the next request.
                        .onTermination().call(() -> discarded[0] ? Uni.createFrom().voidItem()
                                : connection.close().onFailure().recoverWithNull())
                        .invoke(outages::answered);
            });
        }));
    }

    /**
     * A pooled connection within this database's acquire deadline. The pool's own wait ends at the longest
     * deadline ({@link DatabasePoolCreator}); a connection that comes after this one's has passed goes straight
     * back to the pool.
     */
    private Uni<SqlConnection> acquire() {
        return Deadline.within(vertx, acquireTimeout, pool.getConnection(), () -> { },
                        () -> new DatabaseUnavailable(Phase.ACQUIRE, acquireTimeout, null),
                        late -> late.close().subscribe().with(ignored -> { }, ignored -> { }))
                // Counted once, whatever refused it: the deadline, the pool, or a new connection's own deadline.
                .onFailure().transform(failure -> refused(Phase.ACQUIRE, acquireTimeout, failure));
    }

    /** One statement on a pooled connection, within the transaction deadline. */
    public Uni<RowSet<Row>> query(String sql, Tuple arguments) {
        return withConnection(connection -> connection.preparedQuery(sql).execute(arguments));
    }

    /** A pipelined transaction ({@link PipelinedTransaction}: two round trips fewer) within the transaction deadline. */
    public <T> Uni<T> transaction(Function<PipelinedTransaction, Uni<T>> work) {
        return withConnection(connection -> PipelinedTransaction.run(connection, work));
    }

    /** A transaction in Vert.x's own shape (each command waits for the previous one), within the transaction deadline. */
    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return inTransaction(config.transactionTimeout(), work);
    }

    /** The same within {@code deadline}: for rare work that may change many rows (an operator's erasure). */
    public <T> Uni<T> inTransaction(Duration deadline, Function<SqlConnection, Uni<T>> work) {
        return withConnection(deadline, connection -> connection.begin().flatMap((Transaction tx) -> work.apply(connection)
                .call(tx::commit)
                .onFailure().call(() -> tx.rollback().onFailure().recoverWithNull())));
    }

    private boolean discard(SqlConnection connection, Duration deadline) {
        boolean closed = PhysicalConnection.close(connection.getDelegate());
        if (closed) {
            outages.discarded("a connection held statements unanswered for " + deadline.toMillis() + " ms and was closed");
        }
        return closed;
    }

    private DatabaseUnavailable refused(Phase phase, Duration deadline, Throwable cause) {
        DatabaseUnavailable refusal = cause instanceof DatabaseUnavailable already ? already
                : new DatabaseUnavailable(phase, deadline, cause);
        outages.refused(refusal);
        return refusal;
    }
}
