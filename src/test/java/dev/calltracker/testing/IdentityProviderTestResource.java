package dev.calltracker.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * Serves the identity provider's JWKS over real HTTP, where Supabase Auth publishes it, and points MicroProfile
 * JWT at it with the issuer and audience {@link IdentityProviderFake} signs.
 */
public class IdentityProviderTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String JWKS_PATH = "/auth/v1/.well-known/jwks.json";
    private static final RunningServer RUNNING = new RunningServer();
    private WireMockServer server;

    /** Publishes the identity provider's current keys (again: after {@link IdentityProviderFake#rotate()}). */
    public static void publishKeys() {
        RUNNING.current().stubFor(get(urlEqualTo(JWKS_PATH)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(IdentityProviderFake.jwks())));
    }

    @Override
    public Map<String, String> start() {
        server = RUNNING.start();
        publishKeys();
        return Map.of(
                "mp.jwt.verify.publickey.location", server.baseUrl() + JWKS_PATH,
                "mp.jwt.verify.issuer", IdentityProviderFake.ISSUER,
                "mp.jwt.verify.audiences", IdentityProviderFake.AUDIENCE);
    }

    /** The same settings as {@code name=value}, for a service started as a process of its own. */
    public static List<String> settings() {
        return List.of("mp.jwt.verify.publickey.location=" + RUNNING.current().baseUrl() + JWKS_PATH,
                "mp.jwt.verify.issuer=" + IdentityProviderFake.ISSUER,
                "mp.jwt.verify.audiences=" + IdentityProviderFake.AUDIENCE);
    }

    @Override
    public void stop() {
        RUNNING.stop(server);
    }
}
