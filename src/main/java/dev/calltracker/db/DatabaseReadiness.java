package dev.calltracker.db;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the database answers a {@code SELECT 1} through the pool the callbacks use, within
 * {@code db.probe-timeout}: a silent database takes the pod out of the Service in one probe, and the probe
 * always answers in time (Quarkus' own datasource checks are switched off: the JDBC one blocks a worker for as long
 * as a silent database keeps it). There is no database check in liveness: a restart cannot make a database answer.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    private static final String NAME = "database";

    private final Database database;
    private final Duration timeout;

    public DatabaseReadiness(Database database, DatabaseConfig config) {
        this.database = database;
        this.timeout = config.probeTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return database.withConnection(timeout, connection -> connection.query("SELECT 1").execute())
                .map(rows -> HealthCheckResponse.up(NAME))
                .ifNoItem().after(timeout.plusMillis(500)).fail()
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("reason", failure.getMessage() == null ? failure.toString() : failure.getMessage())
                        .build());
    }
}
