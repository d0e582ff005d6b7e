package dev.calltracker.lead;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Reads leads and their timelines. Writes to leads happen only in the call transition (CallRepository). */
@ApplicationScoped
public class LeadRepository {

    /** The lead's phone, or null when the lead does not exist; a lead without phone gives "". */
    public Uni<String> findPhone(SqlClient db, UUID leadId) {
        return db.preparedQuery("SELECT COALESCE(phone, '') AS phone FROM leads WHERE id = $1")
                .execute(Tuple.of(leadId))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("phone"));
    }

    /**
     * The lead's timeline, newest first, in one query: no row when the lead does not exist, one row with a
     * null activity id when it exists without activities.
     */
    public Uni<RowSet<Row>> activities(SqlClient db, UUID leadId, int limit) {
        return db.preparedQuery("""
                        SELECT a.id, a.type, a.status, a.duration_seconds, a.started_at, a.answered_at, a.ended_at,
                               a.recording_url, c.call_sid, c.to_number
                          FROM leads l
                          LEFT JOIN LATERAL (SELECT * FROM lead_activities WHERE lead_id = l.id
                                              ORDER BY started_at DESC, id LIMIT $2) a ON true
                          LEFT JOIN call_recordings c ON c.id = a.call_id
                         WHERE l.id = $1
                         ORDER BY a.started_at DESC, a.id""")
                .execute(Tuple.of(leadId, limit));
    }
}
