package dev.calltracker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calltracker.testing.TestSql;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipelined transaction keeps the meaning of a transaction: all or nothing, and the connection goes
 * back to the pool outside any transaction whatever the work did. The transactions run on a pool of one
 * connection, so a connection left inside a transaction would swallow the next test write (checked from
 * the service's pool, which would not see it).
 */
@QuarkusTest
class PipelinedTransactionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Vertx vertx;

    /** Checks through the service's pool, which does not share the one connection. */
    private final TestSql sql = TestSql.forTests();
    private Pool oneConnection;

    @BeforeEach
    void setUp() {
        sql.execute("CREATE TABLE IF NOT EXISTS pipelined_test (id integer PRIMARY KEY)");
        sql.execute("TRUNCATE pipelined_test");
        PgConnectOptions options = PgConnectOptions.fromUri(ConfigProvider.getConfig()
                        .getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", ""))
                .setUser(ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class))
                .setPassword(ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class));
        oneConnection = Pool.newInstance(PgDriver.INSTANCE.createPool(vertx.getDelegate(), List.of(options),
                new PoolOptions().setMaxSize(1)));
    }

    @AfterEach
    void tearDown() {
        oneConnection.closeAndAwait();
    }

    @Test
    void commitsTheFirstAndTheLastStatementTogether() {
        String result = inATransaction(tx -> tx.begin(insert(tx.client(), 1))
                        .flatMap(first -> tx.commitWith(insert(tx.client(), 2)))
                        .replaceWith("done"))
                .await().atMost(TIMEOUT);

        assertThat(result).isEqualTo("done");
        assertThat(committedIds()).isEqualTo(2);
        assertTheConnectionIsOutsideATransaction();
    }

    @Test
    void statementsSentTogetherRunInTheirOrder() {
        Tuple2<Integer, Long> results = inATransaction(tx -> tx.begin(
                        insert(tx.client(), 7),
                        tx.client().query("SELECT count(*) FROM pipelined_test WHERE id = 7").execute()
                                .map(rows -> rows.iterator().next().getLong(0)))
                .call(tx::commit))
                .await().atMost(TIMEOUT);

        assertThat(results.getItem1()).isEqualTo(1);
        assertThat(results.getItem2()).as("the second statement sees the first one's row").isEqualTo(1L);
    }

    @Test
    void aFailingLastStatementKeepsNothingAndReportsItsOwnError() {
        Uni<Integer> duplicateKey = inATransaction(tx -> tx.begin(insert(tx.client(), 1))
                .flatMap(first -> tx.commitWith(insert(tx.client(), 1))));

        assertThatThrownBy(() -> duplicateKey.await().atMost(TIMEOUT))
                .isInstanceOf(PgException.class)
                .satisfies(e -> assertThat(((PgException) e).getSqlState()).isEqualTo("23505"));
        assertThat(committedIds()).isZero();
        assertTheConnectionIsOutsideATransaction();
    }

    @Test
    void aFailureBetweenTheStatementsRollsBack() {
        Uni<Integer> failing = inATransaction(tx -> tx.begin(insert(tx.client(), 1))
                .flatMap(first -> Uni.createFrom().<Integer>failure(new IllegalArgumentException("rule refused"))));

        assertThatThrownBy(() -> failing.await().atMost(TIMEOUT)).hasMessage("rule refused");
        assertThat(committedIds()).isZero();
        assertTheConnectionIsOutsideATransaction();
    }

    @Test
    void aFailingFirstStatementRollsBack() {
        Uni<Integer> failing = inATransaction(tx -> tx.begin(
                tx.client().query("INSERT INTO pipelined_test (id) VALUES (1), (1)").execute()
                        .map(rows -> rows.rowCount())));

        assertThatThrownBy(() -> failing.await().atMost(TIMEOUT)).isInstanceOf(PgException.class);
        assertThat(committedIds()).isZero();
        assertTheConnectionIsOutsideATransaction();
    }

    @Test
    void anExplicitRollbackKeepsNothing() {
        String result = inATransaction(tx -> tx.begin(insert(tx.client(), 1))
                        .flatMap(first -> tx.rollback().replaceWith("refused")))
                .await().atMost(TIMEOUT);

        assertThat(result).isEqualTo("refused");
        assertThat(committedIds()).isZero();
        assertTheConnectionIsOutsideATransaction();
    }

    @Test
    void workThatDoesNotEndItsTransactionFailsAndKeepsNothing() {
        Uni<Integer> forgetful = inATransaction(tx -> tx.begin(insert(tx.client(), 1)));

        assertThatThrownBy(() -> forgetful.await().atMost(TIMEOUT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without committing");
        assertThat(committedIds()).isZero();
        assertTheConnectionIsOutsideATransaction();
    }

    private <T> Uni<T> inATransaction(java.util.function.Function<PipelinedTransaction, Uni<T>> work) {
        return oneConnection.withConnection(connection -> PipelinedTransaction.run(connection, work));
    }

    private static Uni<Integer> insert(SqlClient db, int id) {
        return db.preparedQuery("INSERT INTO pipelined_test (id) VALUES ($1)").execute(Tuple.of(id))
                .map(rows -> rows.rowCount());
    }

    /** Rows visible to another connection: committed ones. */
    private long committedIds() {
        return sql.count("SELECT count(*) FROM pipelined_test");
    }

    /** A write on the one connection, outside any transaction of ours, is committed at once. */
    private void assertTheConnectionIsOutsideATransaction() {
        oneConnection.preparedQuery("INSERT INTO pipelined_test (id) VALUES ($1)").execute(Tuple.of(99))
                .await().atMost(TIMEOUT);
        assertThat(sql.count("SELECT count(*) FROM pipelined_test WHERE id = 99"))
                .as("the connection went back to the pool inside a transaction").isEqualTo(1);
    }
}
