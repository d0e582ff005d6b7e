package dev.calltracker.embedded;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Zero-configuration local runs: when no datasource URL is given (environment or {@code -D}), start an
 * embedded PostgreSQL whose data lives in {@code .data/postgres} (git-ignored, outside {@code target/} so
 * {@code mvn clean} never deletes a running server's files) and point the service at it.
 *
 * <p>This class lives in {@code src/embedded/java}, compiled only by the default Maven profile: the
 * production and native artifacts ({@code -Dprod}, {@code -Dnative}) have neither it nor zonky, and
 * there a missing datasource stops start-up.
 */
@QuarkusMain
public class EmbeddedDatabaseLauncher {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseLauncher.class);

    /** Local defaults for settings production must provide; the same values the dev profile uses. */
    private static final Map<String, String[]> LOCAL_DEFAULTS = Map.of(
            "calling.public-base-url", new String[] {"CALLING_PUBLIC_BASE_URL", "http://localhost:8080"},
            "calling.caller-id", new String[] {"CALLING_CALLER_ID", "+15005550006"},
            "twilio.auth-token", new String[] {"TWILIO_AUTH_TOKEN", "dev-auth-token-not-a-secret"});

    public static void main(String... args) throws Exception {
        if (isSet("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL")
                || isSet("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL")) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(System.getProperty("calltracker.embedded-db.dir",
                System.getenv().getOrDefault("CALLTRACKER_EMBEDDED_DB_DIR", ".data/postgres")));
        Files.createDirectories(dataDir.getParent() == null ? Path.of(".") : dataDir.getParent());
        LOG.infof("No datasource URL given: starting an embedded PostgreSQL with its data in %s", dataDir.toAbsolutePath());
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .start()) {
            int port = pg.getPort();
            System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres");
            System.setProperty("quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/postgres");
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
            // `java -jar` runs the prod profile, which requires these settings. A local run gets the dev
            // values for the prod profile only (the "%prod." prefix), so that in `quarkus:dev` the dev
            // profile's own values (which a developer may have changed) still win.
            LOCAL_DEFAULTS.forEach((property, envAndValue) -> {
                if (!isSet(property, envAndValue[0])) {
                    System.setProperty("%prod." + property, envAndValue[1]);
                }
            });
            LOG.info("Local run: settings production must provide (CALLING_PUBLIC_BASE_URL, CALLING_CALLER_ID, "
                    + "TWILIO_AUTH_TOKEN) fall back to the dev values when not set");
            Quarkus.run(args);
        }
    }

    private static boolean isSet(String property, String env) {
        return System.getProperty(property) != null || System.getenv(env) != null;
    }
}
