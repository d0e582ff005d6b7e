package dev.calltracker.retention;

import dev.calltracker.db.Database;
import dev.calltracker.db.SqlFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Clears every phone number, agent identity and recording reference the service holds for one lead's calls, in
 * one statement (erase-lead-personal-data.sql). The audit is one log line with the lead's id and the counts, never
 * the data.
 */
@ApplicationScoped
public class PersonalDataEraser {

    private static final Logger LOG = Logger.getLogger(PersonalDataEraser.class);
    private static final String[] TABLES = {"call_recordings", "call_events", "lead_activities"};

    private final Database database;
    private final String erase = SqlFile.load("erase-lead-personal-data.sql");

    public PersonalDataEraser(Database database) {
        this.database = database;
    }

    public Uni<PersonalDataErasure> erase(UUID leadId) {
        return database.query(erase, Tuple.of(leadId)).map(rows -> {
            Row r = rows.iterator().next();
            Map<String, Long> erased = new LinkedHashMap<>();
            for (String table : TABLES) {
                erased.put(table, r.getLong(table));
            }
            PersonalDataErasure done = new PersonalDataErasure(leadId, r.getBoolean("lead_found"), r.getLong("calls"), erased);
            LOG.infof("Personal data of lead %s erased (lead row %s, %d calls): rows changed %s", leadId,
                    done.leadFound() ? "kept, the CRM's" : "not found", done.calls(), erased);
            return done;
        });
    }
}
