package dev.calltracker.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the real PostgreSQL and the fake Twilio REST API for every {@code @QuarkusTest} and
 * {@code @QuarkusIntegrationTest}.
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TwilioApiTestResource.class)
public final class TestDatabase {

    private TestDatabase() {
    }
}
