package dev.calltracker.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;

/**
 * A real PostgreSQL for the tests: an embedded one (zonky) by default, or the server named by
 * {@code TEST_PG_JDBC_URL} / {@code TEST_PG_REACTIVE_URL} (+ {@code TEST_PG_USER} / {@code TEST_PG_PASSWORD}).
 * The test JVM reaches the database of the service running now through the static methods (one service
 * runs at a time: Quarkus stops a profile's resources before it starts the next profile's).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: a classpath SQL file loaded into a fresh database before the service starts. */
    public static final String FIXTURE = "fixture";
    /**
     * Init arg: {@code "true"} gives the service a fresh, empty database of its own, for a test class whose
     * subject works on whole tables (the reconciler claims every stuck call it finds).
     */
    public static final String OWN_DATABASE = "own-database";
    /**
     * Init arg: {@code "true"} puts a {@link StallingProxy} between the service's reactive connections and the
     * database ({@link #proxy()}); the tests' own connections and Flyway's reach the database directly.
     */
    public static final String THROUGH_STALLING_PROXY = "through-stalling-proxy";
    /**
     * Init arg: {@code "true"} gives the service a fresh database set up as a Supabase project's is before the
     * service first starts: roles {@code anon} and {@code authenticated} with usage of the schema, the service
     * connecting as a role of its own ({@link #SERVICE_ROLE}, not a superuser) whose new tables and sequences are
     * granted to both by default privileges. {@link #connectAsAdministrator()} can then act as {@code anon}.
     */
    public static final String SUPABASE_ROLES = "supabase-roles";
    /** The login role the service uses on a {@link #SUPABASE_ROLES} database. */
    public static final String SERVICE_ROLE = "call_tracker_service";

    /** The resource whose database the running service uses. */
    private static volatile PostgresTestResource running;

    private String fixture;
    private boolean ownDatabase;
    private boolean throughProxy;
    private StallingProxy proxy;
    private boolean supabaseRoles;
    private String adminJdbcUrl;
    private String adminUser;
    private String adminPassword;
    private volatile EmbeddedPostgres embedded;
    private Path dataDir;
    private int embeddedPort;
    private String jdbcUrl;
    private String reactiveUrl;
    private String user;
    private String password;

    @Override
    public void init(Map<String, String> initArgs) {
        fixture = initArgs.get(FIXTURE);
        ownDatabase = Boolean.parseBoolean(initArgs.get(OWN_DATABASE));
        throughProxy = Boolean.parseBoolean(initArgs.get(THROUGH_STALLING_PROXY));
        supabaseRoles = Boolean.parseBoolean(initArgs.get(SUPABASE_ROLES));
    }

    @Override
    public Map<String, String> start() {
        jdbcUrl = System.getenv("TEST_PG_JDBC_URL");
        reactiveUrl = System.getenv("TEST_PG_REACTIVE_URL");
        user = System.getenv().getOrDefault("TEST_PG_USER", "postgres");
        password = System.getenv().getOrDefault("TEST_PG_PASSWORD", "postgres");
        if (jdbcUrl == null || reactiveUrl == null) {
            try {
                dataDir = Files.createTempDirectory("calltracker-test-pg");
                embedded = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
                embeddedPort = embedded.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
            jdbcUrl = "jdbc:postgresql://localhost:" + embeddedPort + "/postgres";
            reactiveUrl = "postgresql://localhost:" + embeddedPort + "/postgres";
            user = "postgres";
            password = "postgres";
        }
        if (fixture != null || ownDatabase || supabaseRoles) {
            // A database of its own, so neither the fixture nor the class's rows meet the schema other tests use.
            String database = (fixture != null ? "fixture_" : supabaseRoles ? "supabase_" : "own_")
                    + Long.toHexString(System.nanoTime());
            execute(jdbcUrl, user, password, "CREATE DATABASE " + database);
            jdbcUrl = withDatabase(jdbcUrl, database);
            reactiveUrl = withDatabase(reactiveUrl, database);
            if (fixture != null) {
                execute(jdbcUrl, user, password, readFixture(fixture));
            }
        }
        adminJdbcUrl = jdbcUrl;
        adminUser = user;
        adminPassword = password;
        if (supabaseRoles) {
            // Roles are the cluster's: created once, whoever runs first (an external server may have them already).
            execute(jdbcUrl, user, password, """
                    DO $$
                    BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
                            CREATE ROLE authenticated NOLOGIN;
                        END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1$s') THEN
                            CREATE ROLE %1$s LOGIN PASSWORD '%1$s' NOSUPERUSER NOBYPASSRLS;
                        END IF;
                    END
                    $$;
                    GRANT USAGE ON SCHEMA public TO anon, authenticated;
                    GRANT ALL ON SCHEMA public TO %1$s;
                    """.formatted(SERVICE_ROLE));
            user = SERVICE_ROLE;
            password = SERVICE_ROLE;
            // What Supabase does for the roles that create tables: every new table and sequence is the API's too.
            execute(jdbcUrl, user, password, """
                    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated;
                    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated;
                    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated;
                    """);
        }
        running = this;
        String serviceReactiveUrl = reactiveUrl;
        if (throughProxy) {
            java.net.URI direct = java.net.URI.create(reactiveUrl.replaceFirst("^vertx-reactive:", ""));
            proxy = StallingProxy.to(direct.getHost(), direct.getPort());
            serviceReactiveUrl = reactiveUrl.replace(":" + direct.getPort() + "/", ":" + proxy.port() + "/");
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.reactive.url", serviceReactiveUrl,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    /** A JDBC connection to the running service's database, from the test's own JVM. */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /**
     * A JDBC connection to the running service's database as the server's administrator (a superuser, which may
     * {@code SET ROLE anon}); the same as {@link #connect()} unless the database has {@link #SUPABASE_ROLES}.
     */
    public static Connection connectAsAdministrator() throws SQLException {
        PostgresTestResource resource = current();
        return DriverManager.getConnection(resource.adminJdbcUrl, resource.adminUser, resource.adminPassword);
    }

    public static String jdbcUrl() {
        return current().jdbcUrl;
    }

    /** The same database for the Vert.x client ({@code postgresql://...}). */
    /** The proxy between the service and its database (init arg {@link #THROUGH_STALLING_PROXY}). */
    public static StallingProxy proxy() {
        StallingProxy proxy = current().proxy;
        if (proxy == null) {
            throw new IllegalStateException("the service does not reach its database through a stalling proxy");
        }
        return proxy;
    }

    /** The database for the tests' own connections (never through the proxy). */
    public static String reactiveUrl() {
        return current().reactiveUrl.replaceFirst("^vertx-reactive:", "");
    }

    public static String user() {
        return current().user;
    }

    public static String password() {
        return current().password;
    }

    /** Whether the database is embedded, so that tests may stop and restart it. */
    public static boolean canRestartDatabase() {
        return running != null && running.embedded != null;
    }

    /** Stops the database (fast shutdown: clients see their connections dropped). */
    public static synchronized void stopDatabase() throws IOException {
        current().embedded.close();
    }

    /** Starts the database again on the same port with the same data. */
    public static synchronized void startDatabase() throws IOException {
        PostgresTestResource resource = current();
        resource.embedded = EmbeddedPostgres.builder().setDataDirectory(resource.dataDir).setCleanDataDirectory(false)
                .setPort(resource.embeddedPort).start();
    }

    private static PostgresTestResource current() {
        PostgresTestResource resource = running;
        if (resource == null) {
            throw new IllegalStateException("no test database is running: is the test a @QuarkusTest or a @QuarkusIntegrationTest?");
        }
        return resource;
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
        if (running == this) {
            running = null;
        }
        if (proxy != null) {
            proxy.close();
        }
        // An outage test may have restarted the server: the field holds the instance running now.
        if (embedded != null) {
            try {
                embedded.close();
                try (var files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
