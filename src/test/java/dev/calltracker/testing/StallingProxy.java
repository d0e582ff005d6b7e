package dev.calltracker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of the test database that fails the way real infrastructure does, quietly:
 * <ul>
 *   <li>{@link #freeze()}: no byte is forwarded any more, in either direction, on any connection (new ones are
 *       accepted and stall too), and nothing is closed: a network stall;</li>
 *   <li>{@link #heal()}: forwarding resumes, bytes held meanwhile are delivered;</li>
 *   <li>{@link #blackHoleOpenConnections()}: every connection open now swallows all it receives, both ways, for ever,
 *       and is never closed (not even when a side closes its own end), while new connections reach the database:
 *       a fail-over to a new primary behind the same address that closes nothing.</li>
 * </ul>
 * Plain sockets and two threads per connection: a test tool, not a production proxy.
 */
public final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    private StallingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "stalling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free loopback port forwarding to {@code host:port}. */
    public static StallingProxy to(String host, int port) {
        try {
            return new StallingProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the stalling proxy", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public void freeze() {
        frozen = true;
    }

    public void heal() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Black-holes every connection open now and lets new connections through (forwarding resumes if frozen). */
    public void blackHoleOpenConnections() {
        links.forEach(link -> link.blackHoled = true);
        heal();
    }

    /** Connections accepted and not black-holed nor closed. */
    public long forwardingConnections() {
        return links.stream().filter(link -> !link.blackHoled && !link.ended).count();
    }

    @Override
    public void close() {
        closed = true;
        heal();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("stalling proxy: " + e);
                }
            }
        }
    }

    private void awaitNotFrozen() throws InterruptedException {
        synchronized (gate) {
            while (frozen && !closed) {
                gate.wait();
            }
        }
    }

    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean blackHoled;
        volatile boolean ended;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() throws IOException {
            pump(client.getInputStream(), upstream.getOutputStream(), "up");
            pump(upstream.getInputStream(), client.getOutputStream(), "down");
        }

        private void pump(InputStream in, OutputStream out, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        // A frozen link holds what it read until it heals (or is black-holed meanwhile).
                        awaitNotFrozen();
                        if (!blackHoled) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    }
                    awaitNotFrozen();
                    if (!blackHoled) {
                        close();
                    }
                    // A black-holed link never tells the other side anything, its end included.
                } catch (IOException | InterruptedException e) {
                    if (!blackHoled) {
                        close();
                    }
                }
            }, "stalling-proxy-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            ended = true;
            try {
                client.close();
            } catch (IOException ignored) {
                // already closed
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
