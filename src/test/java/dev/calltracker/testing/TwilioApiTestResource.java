package dev.calltracker.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Twilio's REST API, faked over real HTTP with WireMock, injected into the tests that program it
 * ({@link InjectWireMock}). Also gives the test profile the account and the admin token that go with it.
 */
public class TwilioApiTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "test-admin-token";

    private static volatile WireMockServer running;
    private WireMockServer server;

    /** The server of the running service, for code that has no test instance to be injected into. */
    public static WireMockServer server() {
        return running;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        running = server;
        return Map.of(
                "twilio.api-base-url", server.baseUrl(),
                "twilio.account-sid", TwilioFake.ACCOUNT_SID,
                "admin.token", ADMIN_TOKEN);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (running == server) {
            running = null;
        }
        if (server != null) {
            server.stop();
        }
    }
}
