package dev.calltracker.lead;

import jakarta.inject.Inject;
import dev.calltracker.db.Database;
import dev.calltracker.db.SqlFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * Reads leads and their timelines. Writes to leads happen only with a call's change (CallRepository). The
 * voice webhook's lead check runs on its transaction's connection; the timeline on the pool.
 */
@ApplicationScoped
public class LeadRepository {

    @Inject
    Database database;
    final String findPhone = SqlFile.load("find-lead-phone.sql");
    private final String timelinePage = SqlFile.load("find-lead-timeline-page.sql");
    private final String findLead = SqlFile.load("find-lead.sql");
    private final String activitiesChangedAfter = SqlFile.load("find-activities-changed-after.sql");

    /** The lead's phone ("" when it has none); empty when the lead does not exist. */
    public Uni<Optional<String>> findPhone(SqlClient db, UUID leadId) {
        return db.preparedQuery(findPhone).execute(Tuple.of(leadId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("phone")));
    }

    /**
     * A page of the lead's timeline, newest first: at most {@code limit} entries after {@code after}, and the cursor
     * of the next page when there are more; empty when the lead does not exist.
     */
    public Uni<Optional<TimelinePage>> activities(UUID leadId, int limit, TimelineCursor after) {
        // One more row than the page tells whether another page follows.
        return database.query(timelinePage, Tuple.of(leadId, limit + 1, after.startedAt(), after.id()))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    List<LeadActivity> found = StreamSupport.stream(rows.spliterator(), false)
                            .filter(r -> r.getUUID("id") != null).map(LeadRepository::activity).toList();
                    return Optional.of(found.size() > limit
                            ? new TimelinePage(found.subList(0, limit), Optional.of(TimelineCursor.after(found.get(limit - 1))))
                            : new TimelinePage(found, Optional.empty()));
                });
    }

    /** Whether the lead exists. */
    public Uni<Boolean> exists(UUID leadId) {
        return database.query(findLead, Tuple.of(leadId))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * The lead's activities changed after its change number {@code afterSeq}, in the order of their latest
     * change, at most {@code limit}: each in its current state (a change superseded by a later one of the same
     * activity is not seen again, its activity is).
     */
    public Uni<List<NumberedActivity>> activitiesChangedAfter(UUID leadId, long afterSeq, int limit) {
        return database.query(activitiesChangedAfter, Tuple.of(leadId, afterSeq, limit))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map(r -> new NumberedActivity(r.getLong("lead_seq"), r.getOffsetDateTime("updated_at"), activity(r)))
                        .toList());
    }

    /** A timeline entry: what the activity {@code a} and its call {@code c} show (both statements select these columns). */
    private static LeadActivity activity(Row r) {
        return new LeadActivity(r.getUUID("id"), r.getString("type"), r.getString("call_sid"),
                r.getString("to_number"), r.getString("status"), r.getInteger("duration_seconds"),
                r.getOffsetDateTime("started_at"), r.getOffsetDateTime("answered_at"),
                r.getOffsetDateTime("ended_at"), r.getString("recording_url"), r.getString("answered_by"));
    }
}
