package dev.calltracker.prod;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of the production and native artifacts ({@code -Dprod}, {@code -Dnative}): refuses to
 * start without a database, naming the environment variables to set. Without it Quarkus would start
 * with the datasource "deactivated" and fail later with a less direct message. The local artifact has
 * {@code EmbeddedDatabaseLauncher} instead, which starts an embedded database.
 */
@QuarkusMain
public class ProductionLauncher {

    static final List<String> REQUIRED = List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");

    public static void main(String... args) {
        List<String> missing = REQUIRED.stream().filter(env -> !isSet(env)).toList();
        if (!missing.isEmpty()) {
            System.err.println("call-tracker cannot start: the database is not configured. Set "
                    + String.join(", ", missing) + " (or the matching quarkus.datasource.* system properties), and "
                    + "CALLING_PUBLIC_BASE_URL, CALLING_CALLER_ID and TWILIO_AUTH_TOKEN (README, \"Configuration\").");
            System.exit(1);
        }
        Quarkus.run(args);
    }

    private static boolean isSet(String env) {
        String property = env.toLowerCase(Locale.ROOT).replace("quarkus_datasource_", "quarkus.datasource.")
                .replace("jdbc_url", "jdbc.url").replace("reactive_url", "reactive.url");
        String value = System.getenv(env);
        return (value != null && !value.isBlank()) || System.getProperty(property) != null;
    }
}
