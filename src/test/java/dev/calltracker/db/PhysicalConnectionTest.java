package dev.calltracker.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The SQL client's internals that {@link PhysicalConnection} relies on (vertx-sql-client 4.5): an upgrade that moves
 * them fails here. Closing a silent connection is proven by the silent-database suite.
 */
@QuarkusTest
class PhysicalConnectionTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    io.vertx.core.Vertx vertx;

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void onLinuxTheSocketsGoThroughEpoll() {
        assertThat(vertx.isNativeTransportEnabled()).as("quarkus.vertx.prefer-native-transport").isTrue();
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            assertThat(PhysicalConnection.pipeline(connection.getDelegate()).orElseThrow().channel())
                    .isInstanceOf(EpollSocketChannel.class);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }

    @Test
    void theServicesConnectionsWriteTheCommandsOfOneTaskTogetherBelowTheCodec() {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        try {
            ChannelPipeline pipeline = PhysicalConnection.pipeline(connection.getDelegate()).orElseThrow();
            List<String> names = pipeline.names();

            assertThat(pipeline.get(PhysicalConnection.FLUSH_CONSOLIDATION)).isInstanceOf(FlushConsolidationHandler.class);
            assertThat(names.indexOf(PhysicalConnection.FLUSH_CONSOLIDATION)).as(names.toString())
                    .isEqualTo(names.indexOf("codec") - 1);
            // A pipelined pair still gets both answers, in order.
            List<Integer> answers = PipelinedTransaction.run(connection, tx -> tx.begin(
                            tx.client().query("SELECT 1").execute(), tx.client().query("SELECT 2").execute())
                    .flatMap(firstTwo -> tx.commitWith(tx.client().query("SELECT 3").execute())
                            .map(third -> List.of(firstTwo.getItem1().iterator().next().getInteger(0),
                                    firstTwo.getItem2().iterator().next().getInteger(0),
                                    third.iterator().next().getInteger(0)))))
                    .await().atMost(TIMEOUT);
            assertThat(answers).containsExactly(1, 2, 3);
        } finally {
            connection.close().await().atMost(TIMEOUT);
        }
    }
}
