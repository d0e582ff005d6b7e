package dev.calltracker.diagnostics;

import dev.calltracker.admin.AdminAuth;
import dev.calltracker.call.CallStatus;
import dev.calltracker.http.QueryValues;
import dev.calltracker.lead.ContactRule;
import dev.calltracker.http.RequestRejected;
import dev.calltracker.reconcile.StuckCallRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's questions, answered as JSON (replaces the original system's CHECK_STUCK_CALLS.sql).
 * Behind the admin bearer token; every list is bounded by {@code limit}.
 */
@Path("/api/diagnostics")
@Produces(MediaType.APPLICATION_JSON)
public class DiagnosticsResource {

    private static final String OPEN = StuckCallRepository.openPredicate("c.status");
    private static final String LAST_SIGN = StuckCallRepository.lastSign("c.");
    private static final String CALL_COLUMNS = "c.call_sid, c.dialed_call_sid, c.lead_id, c.status, c.duration_seconds, "
            + "c.created_at, c.answered_at, c.ended_at, c.parent_ended_at, c.last_event_at, c.resolution";
    private static final int MAX_LIMIT = 1000;

    private final AdminAuth auth;
    private final Pool pool;

    public DiagnosticsResource(AdminAuth auth, Pool pool) {
        this.auth = auth;
        this.pool = pool;
    }

    /** Non-terminal calls with no event for longer than {@code olderThan}, oldest first. */
    @GET
    @Path("/stuck-calls")
    public Uni<List<Map<String, Object>>> stuckCalls(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                     @QueryParam("olderThan") String olderThan,
                                                     @QueryParam("limit") String limit) {
        auth.check(authorization);
        Duration age = QueryValues.duration("olderThan", olderThan, Duration.ofMinutes(10));
        return list("SELECT " + CALL_COLUMNS + " FROM call_recordings c WHERE " + OPEN
                        + " AND " + LAST_SIGN + " < $1 ORDER BY " + LAST_SIGN + " LIMIT $2",
                Tuple.of(now().minus(age), limit(limit)));
    }

    /** Counts by status, optionally of calls created since {@code since} (an ISO-8601 instant, or a duration ago such as 24h). */
    @GET
    @Path("/calls-by-status")
    public Uni<Map<String, Long>> callsByStatus(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                               @QueryParam("since") String since) {
        auth.check(authorization);
        OffsetDateTime from = since(since);
        return pool.preparedQuery("SELECT status, count(*) AS n FROM call_recordings WHERE created_at >= $1 "
                        + "GROUP BY status ORDER BY status")
                .execute(Tuple.of(from))
                .map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    rows.forEach(r -> counts.put(r.getString("status"), r.getLong("n")));
                    return counts;
                });
    }

    /** Calls with a duration that are still not terminal: ended for sure, but their end never arrived. */
    @GET
    @Path("/calls-with-duration-not-ended")
    public Uni<List<Map<String, Object>>> callsWithDurationNotEnded(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                                    @QueryParam("limit") String limit) {
        auth.check(authorization);
        return list("SELECT " + CALL_COLUMNS + " FROM call_recordings c WHERE " + OPEN
                + " AND c.duration_seconds > 0 ORDER BY c.created_at LIMIT $1", Tuple.of(limit(limit)));
    }

    /** Leads still {@code new} although one of their calls connected (in-progress or completed). */
    @GET
    @Path("/uncontacted-leads")
    public Uni<List<Map<String, Object>>> uncontactedLeads(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                           @QueryParam("limit") String limit) {
        auth.check(authorization);
        return list("""
                SELECT l.id, l.first_name, l.last_name, l.status, l.last_contacted_at,
                       count(c.id) AS connected_calls, max(COALESCE(c.ended_at, c.answered_at)) AS last_connected_at
                  FROM leads l JOIN call_recordings c ON c.lead_id = l.id
                 WHERE l.status = 'new' AND c.status = ANY($2)
                 GROUP BY l.id ORDER BY last_connected_at DESC NULLS LAST LIMIT $1""",
                Tuple.of(limit(limit), ContactRule.CONNECTED.stream().map(CallStatus::value).toArray(String[]::new)));
    }

    /** Recent reconciler decisions, newest first. */
    @GET
    @Path("/reconciliations")
    public Uni<List<Map<String, Object>>> reconciliations(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                                          @QueryParam("limit") String limit) {
        auth.check(authorization);
        return list("SELECT e.call_sid, e.status AS decision, e.source, e.received_at AS decided_at, e.params, "
                + "c.status AS call_status FROM call_events e LEFT JOIN call_recordings c ON c.call_sid = e.call_sid "
                + "WHERE e.kind = 'reconciler' ORDER BY e.id DESC LIMIT $1", Tuple.of(limit(limit)));
    }

    private Uni<List<Map<String, Object>>> list(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(DiagnosticsResource::maps);
    }

    private static List<Map<String, Object>> maps(RowSet<Row> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < r.size(); i++) {
                Object value = r.getValue(i);
                m.put(camel(r.getColumnName(i)), value instanceof JsonObject json ? json.getMap()
                        : value instanceof java.util.UUID || value instanceof OffsetDateTime ? value.toString() : value);
            }
            list.add(m);
        }
        return list;
    }

    private static String camel(String column) {
        StringBuilder s = new StringBuilder();
        boolean upper = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                s.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return s.toString();
    }

    private static int limit(String value) {
        return QueryValues.intBetween("limit", value, 100, 1, MAX_LIMIT);
    }

    private static OffsetDateTime since(String value) {
        if (value == null || value.isEmpty()) {
            return OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return now().minus(QueryValues.duration("since", value, null));
            } catch (RequestRejected r) {
                throw RequestRejected.badField("since", "since must be an ISO-8601 instant or a duration such as 24h");
            }
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
