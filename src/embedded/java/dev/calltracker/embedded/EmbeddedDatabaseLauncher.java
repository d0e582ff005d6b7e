package dev.calltracker.embedded;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Zero-configuration local runs: when no datasource URL is given (environment or {@code -D}), dev mode
 * ({@code ./mvnw quarkus:dev}) and an explicit demo ({@code CALLTRACKER_DEMO=true} or {@code --demo}) start an
 * embedded PostgreSQL whose data lives in {@code .data/postgres} (git-ignored, outside {@code target/} so
 * {@code mvn clean} never deletes a running server's files) and point the service at it. A jar started
 * with no configuration otherwise exits, naming what to set: the demo values are public.
 *
 * <p>This class lives in {@code src/embedded/java}, compiled only by the default Maven profile: the
 * production and native artifacts ({@code -Dprod}, {@code -Dnative}) have neither it nor zonky, and
 * there a missing datasource stops start-up.
 */
@QuarkusMain
public class EmbeddedDatabaseLauncher {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseLauncher.class);

    /**
     * Demo values for settings production must provide; the same values the dev profile uses. They are public
     * (this file), so only dev mode and an explicit demo opt-in ever use them.
     */
    private static final Map<String, String[]> DEMO_DEFAULTS = Map.of(
            "calling.public-base-url", new String[] {"CALLING_PUBLIC_BASE_URL", "http://localhost:8080"},
            "calling.caller-id", new String[] {"CALLING_CALLER_ID", "+15005550006"},
            "twilio.auth-token", new String[] {"TWILIO_AUTH_TOKEN", "dev-auth-token-not-a-secret"},
            "mp.jwt.verify.publickey.location", new String[] {"MP_JWT_VERIFY_PUBLICKEY_LOCATION", "dev/jwt-public.pem"},
            "mp.jwt.verify.publickey.algorithm", new String[] {"MP_JWT_VERIFY_PUBLICKEY_ALGORITHM", "RS256"},
            "mp.jwt.verify.issuer", new String[] {"MP_JWT_VERIFY_ISSUER", "call-tracker-dev"},
            "mp.jwt.verify.audiences", new String[] {"MP_JWT_VERIFY_AUDIENCES", "authenticated"},
            "auth.crm-user-claim", new String[] {"AUTH_CRM_USER_CLAIM", "app_metadata.crm_role"},
            "auth.crm-user-value", new String[] {"AUTH_CRM_USER_VALUE", "agent"});

    static final String DEV_MODE_PROPERTY = "calltracker.dev-mode";

    public static void main(String... args) throws Exception {
        if (isSet("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL")
                || isSet("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL")) {
            Quarkus.run(args);
            return;
        }
        // `./mvnw quarkus:dev` marks its JVM (pom.xml, quarkus-maven-plugin): Quarkus' launch mode is not set yet
        // when a @QuarkusMain starts (it reads NORMAL here even in dev mode).
        boolean devMode = Boolean.getBoolean(DEV_MODE_PROPERTY);
        boolean demo = !devMode && demoRequested(args);
        if (!devMode && !demo) {
            System.err.println("call-tracker cannot start: it is not configured. Set QUARKUS_DATASOURCE_JDBC_URL, "
                    + "QUARKUS_DATASOURCE_REACTIVE_URL, QUARKUS_DATASOURCE_USERNAME, QUARKUS_DATASOURCE_PASSWORD, "
                    + "CALLING_PUBLIC_BASE_URL, CALLING_CALLER_ID and TWILIO_AUTH_TOKEN (README, \"Configuration\"). "
                    + "For a local demo with an embedded database and public demo credentials: CALLTRACKER_DEMO=true "
                    + "or --demo.");
            System.exit(1);
        }
        if (demo) {
            LOG.warn("DEMO MODE (CALLTRACKER_DEMO / --demo): embedded database and PUBLIC demo credentials "
                    + "(Twilio token, JWT key, both in the repository). Anyone can sign requests for this instance. "
                    + "Never expose it.");
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
            if (demo) {
                // A demo jar runs the prod profile, which requires these settings: the demo values, for the
                // prod profile only. Dev mode has its own (%dev) values.
                DEMO_DEFAULTS.forEach((property, envAndValue) -> {
                    if (!isSet(property, envAndValue[0])) {
                        System.setProperty("%prod." + property, envAndValue[1]);
                    }
                });
            }
            Quarkus.run(args);
        }
    }

    private static boolean demoRequested(String... args) {
        return "true".equalsIgnoreCase(System.getenv("CALLTRACKER_DEMO")) || Arrays.asList(args).contains("--demo");
    }

    private static boolean isSet(String property, String env) {
        return System.getProperty(property) != null || System.getenv(env) != null;
    }
}
