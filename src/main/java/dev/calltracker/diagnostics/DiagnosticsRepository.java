package dev.calltracker.diagnostics;

import jakarta.inject.Inject;
import dev.calltracker.call.CallStatus;
import dev.calltracker.call.ContactRule;
import dev.calltracker.reconcile.StuckCallRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import dev.calltracker.db.Database;
import dev.calltracker.db.SqlFile;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * The operator's questions as queries (the original system's CHECK_STUCK_CALLS.sql, answered as records). Fixed
 * statements are in {@code src/main/resources/sql/}; those about open calls are composed with the reconciler's
 * predicates ({@link StuckCallRepository#openPredicate}), which must render as the partial index's.
 */
@ApplicationScoped
public class DiagnosticsRepository {

    private static final String OPEN = StuckCallRepository.openPredicate("c.status");
    private static final String STALE_SINCE = StuckCallRepository.staleSince("c.");
    private static final String CALL_COLUMNS = "c.call_sid, c.dialed_call_sid, c.lead_id, c.status, c.duration_seconds, "
            + "c.created_at, c.answered_at, c.ended_at, c.parent_ended_at, c.last_event_at, c.resolution";

    /** A call as the operator lists it. */
    @RegisterForReflection
    public record CallSummary(String callSid, String dialedCallSid, UUID leadId, String status, Integer durationSeconds,
                              OffsetDateTime createdAt, OffsetDateTime answeredAt, OffsetDateTime endedAt,
                              OffsetDateTime parentEndedAt, OffsetDateTime lastEventAt, String resolution) {
    }

    /** A lead still {@code new} although calls of it connected. */
    @RegisterForReflection
    public record UncontactedLead(UUID id, String firstName, String lastName, String status,
                                  OffsetDateTime lastContactedAt, long connectedCalls, OffsetDateTime lastConnectedAt) {
    }

    /** One decision of the reconciler, with the call's status now. */
    @RegisterForReflection
    public record ReconcilerDecision(String callSid, String decision, String source, OffsetDateTime decidedAt,
                                     Map<String, Object> params, String callStatus) {
    }

    /** One reconciler run of any replica (reconcile_runs). */
    @RegisterForReflection
    public record ReconcilerRun(String runId, String replica, String trigger, OffsetDateTime startedAt,
                                OffsetDateTime finishedAt, long durationMs, String stoppedBecause, int batches, int claimed,
                                int closed, int leftOpen, long twilioRequests, long rateLimited, Long backlogAfter) {
    }

    private final String findUncontactedLeads = SqlFile.load("find-uncontacted-leads.sql");
    private final String findReconcilerDecisions = SqlFile.load("find-reconciler-decisions.sql");
    private final String findReconcileRuns = SqlFile.load("find-reconcile-runs.sql");
    @Inject
    Database database;

    /** Non-terminal calls with no event since {@code before}, oldest first. */
    public Uni<List<CallSummary>> stuckCalls(OffsetDateTime before, int limit) {
        return list("SELECT " + CALL_COLUMNS + " FROM call_recordings c WHERE " + OPEN + " AND " + STALE_SINCE
                + " < $1 ORDER BY " + STALE_SINCE + " LIMIT $2", Tuple.of(before, limit), DiagnosticsRepository::call);
    }

    /** Calls with a duration that are still not terminal: ended for sure, but their end never arrived. */
    public Uni<List<CallSummary>> callsWithDurationNotEnded(int limit) {
        return list("SELECT " + CALL_COLUMNS + " FROM call_recordings c WHERE " + OPEN
                + " AND c.duration_seconds > 0 ORDER BY c.created_at LIMIT $1", Tuple.of(limit), DiagnosticsRepository::call);
    }

    /** Calls created since {@code since}, counted by status. */
    public Uni<Map<String, Long>> callsByStatus(OffsetDateTime since) {
        return countCallsBy("status", since);
    }

    /** Calls created since {@code since}, counted by who answered ({@code none}: no detection result). */
    public Uni<Map<String, Long>> callsByAnsweredBy(OffsetDateTime since) {
        return countCallsBy("COALESCE(answered_by, 'none')", since);
    }

    /** @param grouping a column or expression of this class's own, never a caller's input */
    private Uni<Map<String, Long>> countCallsBy(String grouping, OffsetDateTime since) {
        return database.query("SELECT " + grouping + " AS grouped, count(*) AS n FROM call_recordings "
                        + "WHERE created_at >= $1 GROUP BY 1 ORDER BY 1", Tuple.of(since))
                .map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    rows.forEach(r -> counts.put(r.getString("grouped"), r.getLong("n")));
                    return counts;
                });
    }

    /** Leads still {@code new} although one of their calls connected, most recently connected first. */
    public Uni<List<UncontactedLead>> uncontactedLeads(int limit) {
        return list(findUncontactedLeads, Tuple.of(limit, ContactRule.CONNECTED.stream().map(CallStatus::value).toArray(String[]::new)),
                r -> new UncontactedLead(r.getUUID("id"), r.getString("first_name"), r.getString("last_name"),
                        r.getString("status"), r.getOffsetDateTime("last_contacted_at"), r.getLong("connected_calls"),
                        r.getOffsetDateTime("last_connected_at")));
    }

    /** The reconciler's decisions, newest first. */
    public Uni<List<ReconcilerDecision>> reconcilerDecisions(int limit) {
        return list(findReconcilerDecisions, Tuple.of(limit), r -> {
                    JsonObject params = (JsonObject) r.getValue("params");
                    return new ReconcilerDecision(r.getString("call_sid"), r.getString("decision"), r.getString("source"),
                            r.getOffsetDateTime("decided_at"), params == null ? Map.of() : params.getMap(),
                            r.getString("call_status"));
                });
    }

    /** The reconciler's runs on every replica, newest first. */
    public Uni<List<ReconcilerRun>> reconcilerRuns(int limit) {
        return list(findReconcileRuns, Tuple.of(limit),
                r -> new ReconcilerRun(r.getUUID("run_id").toString(), r.getString("replica"), r.getString("trigger"),
                        r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"), r.getLong("duration_ms"),
                        r.getString("stopped_because"), r.getInteger("batches"), r.getInteger("claimed"),
                        r.getInteger("closed"), r.getInteger("left_open"), r.getLong("twilio_requests"),
                        r.getLong("rate_limited"), r.getLong("backlog_after")));
    }

    private static CallSummary call(Row r) {
        return new CallSummary(r.getString("call_sid"), r.getString("dialed_call_sid"), r.getUUID("lead_id"),
                r.getString("status"), r.getInteger("duration_seconds"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("answered_at"), r.getOffsetDateTime("ended_at"), r.getOffsetDateTime("parent_ended_at"),
                r.getOffsetDateTime("last_event_at"), r.getString("resolution"));
    }

    private <T> Uni<List<T>> list(String sql, Tuple args, Function<Row, T> mapping) {
        return database.query(sql, args)
                .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(mapping).toList());
    }
}
