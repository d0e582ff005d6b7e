package dev.calltracker.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for the tests: an embedded one (zonky) by default, or the server named by
 * {@code TEST_PG_JDBC_URL} / {@code TEST_PG_REACTIVE_URL} (+ {@code TEST_PG_USER} / {@code TEST_PG_PASSWORD}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embedded;

    @Override
    public Map<String, String> start() {
        String jdbcUrl = System.getenv("TEST_PG_JDBC_URL");
        String reactiveUrl = System.getenv("TEST_PG_REACTIVE_URL");
        if (jdbcUrl != null && reactiveUrl != null) {
            return Map.of(
                    "quarkus.datasource.jdbc.url", jdbcUrl,
                    "quarkus.datasource.reactive.url", reactiveUrl,
                    "quarkus.datasource.username", System.getenv().getOrDefault("TEST_PG_USER", "postgres"),
                    "quarkus.datasource.password", System.getenv().getOrDefault("TEST_PG_PASSWORD", "postgres"));
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
        int port = embedded.getPort();
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
