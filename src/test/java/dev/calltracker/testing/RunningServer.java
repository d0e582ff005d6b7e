package dev.calltracker.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The WireMock servers a kind of test resource starts, and which one belongs to the running service: a test
 * profile's restart starts the next resource before the last one stops.
 */
final class RunningServer {

    private final AtomicReference<WireMockServer> current = new AtomicReference<>();

    WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        current.set(server);
        return server;
    }

    void stop(WireMockServer server) {
        current.compareAndSet(server, null);
        if (server != null) {
            server.stop();
        }
    }

    WireMockServer current() {
        return current.get();
    }
}
