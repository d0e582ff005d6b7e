package dev.calltracker.retention;

import jakarta.inject.Inject;
import dev.calltracker.db.Database;
import dev.calltracker.db.SqlFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Clears every phone number, agent identity and recording reference the service holds for one lead's calls, in
 * one transaction (sql/erase-*.sql). The audit is one log line with the lead's id and the counts, never the data.
 */
@ApplicationScoped
public class PersonalDataEraser {

    private static final Logger LOG = Logger.getLogger(PersonalDataEraser.class);

    /**
     * A lead with 10,000 calls means some 70,000 events to rewrite (seconds on a big database: docs/scale.md), far
     * beyond the deadlines meant for callbacks; an erasure is rare and an operator waits for it.
     */
    static final Duration DEADLINE = Duration.ofSeconds(120);

    @Inject
    Database database;
    private final String lockCalls = SqlFile.load("erase-lead-calls.sql");
    private final String eraseEvents = SqlFile.load("erase-call-events.sql");
    private final String eraseCalls = SqlFile.load("erase-call-recordings.sql");
    private final String eraseActivities = SqlFile.load("erase-lead-activities.sql");

    public Uni<PersonalDataErasure> erase(UUID leadId) {
        return database.inTransaction(DEADLINE, db -> erase(db, leadId)).invoke(done -> LOG.infof(
                "Personal data of lead %s erased (lead row %s, %d calls): rows changed %s", leadId,
                done.leadFound() ? "kept, the CRM's" : "not found", done.calls(), done.erased()));
    }

    private Uni<PersonalDataErasure> erase(SqlConnection db, UUID leadId) {
        Map<String, Long> erased = new LinkedHashMap<>();
        return db.query("SET LOCAL statement_timeout = '" + DEADLINE.toSeconds() + "s'").execute()
                .flatMap(ignored -> db.preparedQuery(lockCalls).execute(Tuple.of(leadId)))
                .flatMap(calls -> {
                    List<UUID> ids = new ArrayList<>();
                    List<String> sids = new ArrayList<>();
                    for (Row call : calls) {
                        ids.add(call.getUUID("id"));
                        sids.add(call.getString("call_sid"));
                        if (call.getString("dialed_call_sid") != null) {
                            sids.add(call.getString("dialed_call_sid"));
                        }
                    }
                    return db.preparedQuery(eraseCalls).execute(Tuple.of(ids.toArray(UUID[]::new)))
                            .invoke(rows -> erased.put("call_recordings", (long) rows.rowCount()))
                            .flatMap(ignored -> db.preparedQuery(eraseEvents).execute(Tuple.of(sids.toArray(String[]::new))))
                            .invoke(rows -> erased.put("call_events", (long) rows.rowCount()))
                            .flatMap(ignored -> db.preparedQuery(eraseActivities).execute(Tuple.of(leadId)))
                            .map(rows -> {
                                Row r = rows.iterator().next();
                                erased.put("lead_activities", r.getLong("cleared"));
                                return new PersonalDataErasure(leadId, r.getBoolean("lead_found"), ids.size(), erased);
                            });
                });
    }
}
