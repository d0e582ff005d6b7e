package dev.calltracker.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Twilio's REST API, faked over real HTTP with WireMock, injected into the tests that program it
 * ({@link InjectWireMock}). Also gives the test profile the account, its API key and TwiML App, and the admin token.
 */
public class TwilioApiTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_TOKEN = "test-admin-token";

    private static final RunningServer RUNNING = new RunningServer();
    private WireMockServer server;

    /** The server of the running service, for code that has no test instance to be injected into. */
    public static WireMockServer server() {
        return RUNNING.current();
    }

    @Override
    public Map<String, String> start() {
        server = RUNNING.start();
        return Map.of(
                "twilio.api-base-url", server.baseUrl(),
                "twilio.account-sid", TwilioFake.ACCOUNT_SID,
                // The account's API key and TwiML App: REST credentials, and what access tokens are signed with.
                "twilio.api-key-sid", AccessTokenVerifier.API_KEY_SID,
                "twilio.api-key-secret", AccessTokenVerifier.API_KEY_SECRET,
                "calling.twiml-app-sid", AccessTokenVerifier.TWIML_APP_SID,
                "admin.token", ADMIN_TOKEN);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        RUNNING.stop(server);
    }
}
