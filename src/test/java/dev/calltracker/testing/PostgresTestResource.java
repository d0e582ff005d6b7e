package dev.calltracker.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The embedded server of the main test database, for tests that stop and restart it (outage tests). */
    private static volatile EmbeddedPostgres sharedEmbedded;
    private static volatile Path sharedDataDir;
    private static volatile int sharedPort;
    /** How tests outside the service's JVM (the *IT classes) reach the database. */
    private static volatile String jdbcUrlForTests;
    private static volatile String userForTests;
    private static volatile String passwordForTests;

    private EmbeddedPostgres embedded;
    private Path dataDir;
    private boolean ownsShared;
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
                dataDir = Files.createTempDirectory("calltracker-test-pg");
                embedded = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
                if (fixture == null) {
                    ownsShared = true;
                    sharedEmbedded = embedded;
                    sharedDataDir = dataDir;
                    sharedPort = embedded.getPort();
                }
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
        if (fixture == null) {
            jdbcUrlForTests = jdbcUrl;
            userForTests = user;
            passwordForTests = password;
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.reactive.url", reactiveUrl,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    /** A JDBC connection to the main test database, from the test's own JVM. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrlForTests, userForTests, passwordForTests);
    }

    public static String jdbcUrl() {
        return jdbcUrlForTests;
    }

    public static String user() {
        return userForTests;
    }

    public static String password() {
        return passwordForTests;
    }

    /** Whether the main test database is embedded, so that tests may stop and restart it. */
    public static boolean canRestartDatabase() {
        return sharedEmbedded != null;
    }

    /** Stops the main test database (fast shutdown: clients see their connections dropped). */
    public static synchronized void stopDatabase() throws IOException {
        sharedEmbedded.close();
    }

    /** Starts the main test database again on the same port with the same data. */
    public static synchronized void startDatabase() throws IOException {
        sharedEmbedded = EmbeddedPostgres.builder().setDataDirectory(sharedDataDir).setCleanDataDirectory(false)
                .setPort(sharedPort).start();
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
        // The shared server may have been restarted by an outage test: close the instance running now.
        EmbeddedPostgres running = embedded != null && ownsShared ? sharedEmbedded : embedded;
        if (running != null) {
            try {
                running.close();
                if (dataDir != null) {
                    try (var files = Files.walk(dataDir)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
