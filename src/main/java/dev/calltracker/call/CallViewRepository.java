package dev.calltracker.call;

import jakarta.inject.Inject;
import dev.calltracker.db.Database;
import dev.calltracker.db.SqlFile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** The calls as the API reads them ({@link CallView}), through the database: no write, no lock. */
@ApplicationScoped
public class CallViewRepository {

    @Inject
    Database database;
    private final String findCall = SqlFile.load("find-call.sql");
    private final String findCallEvents = SqlFile.load("find-call-events.sql");
    private final String findCallRecording = SqlFile.load("find-call-recording.sql");

    /** One call by its parent sid (or its dialed sid), with its events; empty when unknown. */
    public Uni<Optional<CallView>> findCall(String sid) {
        return database.withConnection(db -> findCall(db, sid).flatMap(found -> found.isEmpty()
                ? Uni.createFrom().item(found)
                : findEvents(db, found.get()).map(events -> Optional.of(found.get().withEvents(events)))));
    }

    /** A call's recording by its parent or dialed sid; empty when the call is unknown. */
    public Uni<Optional<StoredRecording>> findRecording(String sid) {
        return database.query(findCallRecording, Tuple.of(sid)).map(CallRepository.first(
                r -> new StoredRecording(r.getString("recording_sid"), r.getString("recording_url"))));
    }

    private Uni<Optional<CallView>> findCall(SqlClient db, String sid) {
        return db.preparedQuery(findCall).execute(Tuple.of(sid)).map(CallRepository.first(CallViewRepository::view));
    }

    /** The call's events, with an AMD result stored under its dialed leg before the call knew that leg. */
    private Uni<List<CallView.Event>> findEvents(SqlClient db, CallView call) {
        String dialedSid = call.dialedCallSid() != null ? call.dialedCallSid() : call.callSid();
        return db.preparedQuery(findCallEvents).execute(Tuple.of(call.callSid(), dialedSid))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(CallViewRepository::event).toList());
    }

    private static CallView view(Row r) {
        return new CallView(r.getUUID("id"), r.getString("call_sid"), r.getString("dialed_call_sid"),
                r.getUUID("lead_id"), r.getString("to_number"), r.getString("caller"), r.getString("status"),
                r.getString("answered_by"), r.getString("resolution"), r.getInteger("duration_seconds"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("answered_at"), r.getOffsetDateTime("ended_at"),
                Boolean.TRUE.equals(r.getBoolean("ended_at_estimated")), r.getOffsetDateTime("parent_ended_at"),
                r.getString("recording_sid"), r.getString("recording_url"), r.getInteger("recording_duration_seconds"),
                r.getOffsetDateTime("last_event_at"), r.getOffsetDateTime("updated_at"), List.of());
    }

    private static CallView.Event event(Row r) {
        JsonObject params = (JsonObject) r.getValue("params");
        return new CallView.Event(r.getLong("id"), r.getString("kind"), r.getString("leg_sid"), r.getString("status"),
                r.getInteger("sequence_number"), r.getOffsetDateTime("twilio_timestamp"),
                r.getOffsetDateTime("received_at"), r.getString("source"), params == null ? Map.of() : params.getMap());
    }
}
