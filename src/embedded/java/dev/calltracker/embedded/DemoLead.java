package dev.calltracker.embedded;

import dev.calltracker.db.Database;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Dev mode only: a lead to call, so that {@code scripts/play-call.sh} can show a lead's timeline on a
 * fresh database. Leads belong to the CRM; the service has no API to create them.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class DemoLead {

    public static final UUID ID = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final Logger LOG = Logger.getLogger(DemoLead.class);

    void create(@Observes StartupEvent start, Database database) {
        database.query("INSERT INTO leads (id, first_name, last_name, status, phone) "
                        + "VALUES ($1, 'Demo', 'Lead', 'new', '+15551230000') ON CONFLICT (id) DO NOTHING", Tuple.of(ID))
                .await().atMost(Duration.ofSeconds(10));
        LOG.infof("Dev mode: demo lead %s (phone +15551230000) is ready for scripts/play-call.sh", ID);
    }
}
