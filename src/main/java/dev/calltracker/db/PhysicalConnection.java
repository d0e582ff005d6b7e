package dev.calltracker.db;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;

/**
 * Closes the socket under a connection whose database stopped answering, so that it leaves the pool for good.
 *
 * <p>Why not {@code SqlConnection.close()}: on a pooled connection it returns the connection to the pool, statements
 * still in flight, for the next request to wait behind. And Vert.x's own close of the socket (4.5) only sends
 * PostgreSQL's Terminate and shuts down the output, then waits for the server to close its side, which a silent
 * database never does: the pool would keep the connection counted for ever. So the socket is closed from the
 * PostgreSQL codec's position in the Netty pipeline, past the codec's close handler. When the channel closes,
 * Vert.x fails the statements in flight and the pool forgets the connection, as for any lost connection.
 *
 * <p>This uses the SQL client's internal types (vertx-sql-client 4.5): {@code PhysicalConnectionTest} and the
 * silent-database suite fail if an upgrade changes them.
 */
final class PhysicalConnection {

    /** The name Vert.x gives the PostgreSQL codec in the channel pipeline (PgSocketConnection). */
    private static final String CODEC = "codec";

    private PhysicalConnection() {
    }

    /** Closes the socket of {@code connection} (pooled or not); false if it is not a socket connection. */
    static boolean close(SqlConnection connection) {
        if (!(connection instanceof SqlConnectionInternal internal)) {
            return false;
        }
        Connection physical = internal.unwrap();
        while (physical.unwrap() != physical) {
            physical = physical.unwrap();
        }
        if (!(physical instanceof SocketConnectionBase socketConnection)) {
            return false;
        }
        ChannelHandlerContext handler = socketConnection.socket().channelHandlerContext();
        ChannelHandlerContext codec = handler.pipeline().context(CODEC);
        (codec != null ? codec : handler).close();
        return true;
    }
}
