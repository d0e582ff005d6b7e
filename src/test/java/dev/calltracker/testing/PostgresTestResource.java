package dev.calltracker.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL for the tests: an embedded one (zonky) by default, or the server named by
 * {@code TEST_PG_JDBC_URL} / {@code TEST_PG_REACTIVE_URL} (+ {@code TEST_PG_USER} / {@code TEST_PG_PASSWORD}).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: a classpath SQL file loaded into a fresh database before the service starts. */
    public static final String FIXTURE = "fixture";

    private EmbeddedPostgres embedded;
    private String fixture;

    @Override
    public void init(Map<String, String> initArgs) {
        fixture = initArgs.get(FIXTURE);
    }

    @Override
    public Map<String, String> start() {
        String jdbcUrl = System.getenv("TEST_PG_JDBC_URL");
        String reactiveUrl = System.getenv("TEST_PG_REACTIVE_URL");
        String user = System.getenv().getOrDefault("TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("TEST_PG_PASSWORD", "postgres");
        if (jdbcUrl == null || reactiveUrl == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
            jdbcUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres";
            reactiveUrl = "postgresql://localhost:" + embedded.getPort() + "/postgres";
            user = "postgres";
            password = "postgres";
        }
        if (fixture != null) {
            // A database of its own, so the fixture never meets the schema other tests use.
            String database = "fixture_" + Long.toHexString(System.nanoTime());
            execute(jdbcUrl, user, password, "CREATE DATABASE " + database);
            jdbcUrl = withDatabase(jdbcUrl, database);
            reactiveUrl = withDatabase(reactiveUrl, database);
            execute(jdbcUrl, user, password, readFixture(fixture));
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.reactive.url", reactiveUrl,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String rest = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + rest;
    }

    private static String readFixture(String resource) {
        try (InputStream in = PostgresTestResource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void execute(String jdbcUrl, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run SQL on " + jdbcUrl + ": " + e.getMessage(), e);
        }
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
