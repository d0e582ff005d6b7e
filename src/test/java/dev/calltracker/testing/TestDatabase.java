package dev.calltracker.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the real PostgreSQL, the fake Twilio REST API and the fake identity provider for every {@code @QuarkusTest} and
 * {@code @QuarkusIntegrationTest}.
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TwilioApiTestResource.class)
@QuarkusTestResource(IdentityProviderTestResource.class)
public final class TestDatabase {

    private TestDatabase() {
    }
}
