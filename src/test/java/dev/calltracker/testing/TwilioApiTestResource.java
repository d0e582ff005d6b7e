package dev.calltracker.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Twilio's REST API, faked over real HTTP with WireMock. Tests program it through {@link #server()}.
 * Also gives the test profile the account and the admin token that go with it.
 */
public class TwilioApiTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "test-admin-token";
    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return Map.of(
                "twilio.api-base-url", server.baseUrl(),
                "twilio.account-sid", TwilioFake.ACCOUNT_SID,
                "admin.token", ADMIN_TOKEN);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
