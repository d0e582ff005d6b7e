package dev.calltracker.db;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A transaction on one pooled connection that costs two round trips fewer than Vert.x's own: {@code BEGIN}
 * travels with the first statement and {@code COMMIT} with the last.
 *
 * <p>Why: Vert.x's {@code Transaction} (what {@code Pool.withTransaction} uses) sends each command only after
 * the previous one has answered, so a callback's two statements cost four round trips (BEGIN, statement,
 * statement, COMMIT), each of them a wake-up of the service and of a PostgreSQL backend. The PostgreSQL
 * connection itself pipelines: commands issued without waiting are written in order and answered in order
 * (pipelining-limit, 256 by default). The transaction's meaning is unchanged, only the waiting is:
 * <ul>
 *   <li>{@code BEGIN} + first statement: the statement runs inside the transaction. (BEGIN fails only with
 *       the connection, which fails the statement too.)</li>
 *   <li>last statement + {@code COMMIT}: if the statement fails, PostgreSQL answers the COMMIT of the
 *       aborted transaction with a rollback, and the statement's error is the one reported.</li>
 *   <li>any failure in between: {@link #run} sends ROLLBACK before the connection goes back to the pool.</li>
 * </ul>
 * A transaction that outlives its deadline is not rolled back here: {@link Database} closes its connection, and
 * PostgreSQL rolls back what the closed session left open.
 */
public final class PipelinedTransaction {

    private static final Logger LOG = Logger.getLogger(PipelinedTransaction.class);

    private final SqlConnection connection;
    private boolean open;

    private PipelinedTransaction(SqlConnection connection) {
        this.connection = connection;
    }

    /**
     * Runs {@code work} on {@code connection} (see {@link Database#transaction}, which bounds it with a deadline). The
     * work must end the transaction it begins ({@link #commit()}, {@link #commitWith} or {@link #rollback()}); if it
     * fails instead, the transaction is rolled back.
     */
    public static <T> Uni<T> run(SqlConnection connection, Function<PipelinedTransaction, Uni<T>> work) {
        PipelinedTransaction tx = new PipelinedTransaction(connection);
        return Uni.createFrom().deferred(() -> work.apply(tx))
                .onFailure().call(tx::rollbackIfOpen)
                .call(() -> tx.open
                        ? tx.rollbackIfOpen().onItem().failWith(() -> new IllegalStateException(
                                "the work ended without committing its transaction"))
                        : Uni.createFrom().voidItem());
    }

    /** The connection to build statements on; they run when passed to {@link #begin} or {@link #commitWith}. */
    public SqlClient client() {
        return connection;
    }

    /** Sends BEGIN and the first statement together; the statement's result. */
    public <R> Uni<R> begin(Uni<R> firstStatement) {
        return Uni.createFrom().deferred(() -> {
            open = true;
            return sentTogether(connection.query("BEGIN").execute(), firstStatement).map(Tuple2::getItem2);
        });
    }

    /** Sends BEGIN and two statements together; both results. */
    public <A, B> Uni<Tuple2<A, B>> begin(Uni<A> firstStatement, Uni<B> secondStatement) {
        return begin(sentTogether(firstStatement, secondStatement));
    }

    /** Sends the last statement and COMMIT together; the statement's result. */
    public <R> Uni<R> commitWith(Uni<R> lastStatement) {
        return Uni.createFrom().deferred(() -> {
            open = false;
            return sentTogether(lastStatement, connection.query("COMMIT").execute()).map(Tuple2::getItem1);
        });
    }

    /** Sends the last two statements and COMMIT together; both results. */
    public <A, B> Uni<Tuple2<A, B>> commitWith(Uni<A> statement, Uni<B> lastStatement) {
        return commitWith(sentTogether(statement, lastStatement));
    }

    /** Sends COMMIT alone (the transaction had nothing more to write). */
    public Uni<Void> commit() {
        return Uni.createFrom().deferred(() -> {
            open = false;
            return connection.query("COMMIT").execute().replaceWithVoid();
        });
    }

    /** Ends the transaction without keeping anything it wrote. */
    public Uni<Void> rollback() {
        return Uni.createFrom().deferred(() -> {
            open = false;
            return connection.query("ROLLBACK").execute().replaceWithVoid();
        });
    }

    private Uni<Void> rollbackIfOpen() {
        if (!open) {
            return Uni.createFrom().voidItem();
        }
        // A failing ROLLBACK means a broken connection (Vert.x discards it): the work's own outcome stands.
        return rollback().onFailure().invoke(failure -> LOG.debugf("ROLLBACK failed: %s", failure.toString()))
                .onFailure().recoverWithNull();
    }

    /**
     * Issues both commands at once (the second right behind the first, on the same connection: one round
     * trip), waits for both answers, and fails with the first failure in sending order. Public for a statement
     * that travels with another one inside a step of the transaction.
     */
    public static <A, B> Uni<Tuple2<A, B>> sentTogether(Uni<A> first, Uni<B> second) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<A> a = first.subscribeAsCompletionStage();
            CompletableFuture<B> b = second.subscribeAsCompletionStage();
            return Uni.createFrom().completionStage(a).onItemOrFailure().transformToUni((itemA, failureA) ->
                    Uni.createFrom().completionStage(b).onItemOrFailure().transformToUni((itemB, failureB) -> {
                        if (failureA != null) {
                            return Uni.createFrom().failure(failureA);
                        }
                        if (failureB != null) {
                            return Uni.createFrom().failure(failureB);
                        }
                        return Uni.createFrom().item(Tuple2.of(itemA, itemB));
                    }));
        });
    }
}
