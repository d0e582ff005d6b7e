package dev.calltracker.db;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;
import java.util.Optional;

/**
 * What the service does to the socket under a PostgreSQL connection, which the SQL client's API does not reach.
 *
 * <p><b>Closing a connection whose database stopped answering</b>, so that it leaves the pool for good. Why not
 * {@code SqlConnection.close()}: on a pooled connection it returns the connection to the pool, statements still in
 * flight, for the next request to wait behind. And Vert.x's own close of the socket (4.5) only sends PostgreSQL's
 * Terminate and shuts down the output, then waits for the server to close its side, which a silent database never
 * does: the pool would keep the connection counted for ever. So the socket is closed from the PostgreSQL codec's
 * position in the Netty pipeline, past the codec's close handler. When the channel closes, Vert.x fails the
 * statements in flight and the pool forgets the connection, as for any lost connection.
 *
 * <p><b>One write for commands sent together.</b> The client flushes every command it is given: a pipelined pair
 * (BEGIN and the first statement, the last statement and COMMIT: {@link PipelinedTransaction}) costs two
 * {@code write(2)} calls, two TCP segments and two wake-ups of the server, for bytes that could travel as one.
 * Netty's {@link FlushConsolidationHandler} below the codec turns the flushes of one event-loop task (or of one
 * read) into one: the pair leaves in one write when the task that sent it ends, microseconds later.
 *
 * <p>This uses the SQL client's internal types (vertx-sql-client 4.5): {@code PhysicalConnectionTest} and the
 * silent-database suite fail if an upgrade changes them.
 */
final class PhysicalConnection {

    /** The name Vert.x gives the PostgreSQL codec in the channel pipeline (PgSocketConnection). */
    private static final String CODEC = "codec";
    static final String FLUSH_CONSOLIDATION = "calltracker-flush-consolidation";

    private PhysicalConnection() {
    }

    /** Closes the socket of {@code connection} (pooled or not); false if it is not a socket connection. */
    static boolean close(SqlConnection connection) {
        Optional<ChannelHandlerContext> socket = socketHandler(connection);
        socket.ifPresent(handler -> {
            ChannelHandlerContext codec = handler.pipeline().context(CODEC);
            (codec != null ? codec : handler).close();
        });
        return socket.isPresent();
    }

    /**
     * Makes the commands that {@code connection} (a new one, not yet pooled) is given in one event-loop task leave in
     * one write. A connection without a socket or codec (none the pool opens) is left as it is.
     */
    static void coalesceFlushes(SqlConnection connection) {
        pipeline(connection).filter(p -> p.context(CODEC) != null).ifPresent(p -> p.addBefore(CODEC,
                FLUSH_CONSOLIDATION, new FlushConsolidationHandler(
                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true)));
    }

    /** The Netty pipeline of {@code connection}'s socket (pooled or not), if it has one. */
    static Optional<ChannelPipeline> pipeline(SqlConnection connection) {
        return socketHandler(connection).map(ChannelHandlerContext::pipeline);
    }

    /** The socket's own handler, at the end of the pipeline, under {@code connection} (pooled or not). */
    private static Optional<ChannelHandlerContext> socketHandler(SqlConnection connection) {
        if (!(connection instanceof SqlConnectionInternal internal)) {
            return Optional.empty();
        }
        Connection physical = internal.unwrap();
        while (physical.unwrap() != physical) {
            physical = physical.unwrap();
        }
        if (!(physical instanceof SocketConnectionBase socketConnection)) {
            return Optional.empty();
        }
        return Optional.of(socketConnection.socket().channelHandlerContext());
    }
}
