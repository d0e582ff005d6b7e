package dev.calltracker.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the PostgreSQL test resource for every {@code @QuarkusTest} and {@code @QuarkusIntegrationTest}. */
@QuarkusTestResource(PostgresTestResource.class)
public final class TestDatabase {

    private TestDatabase() {
    }
}
