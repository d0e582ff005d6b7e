package dev.calltracker.diagnostics;

import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import dev.calltracker.http.ApiContract;

import dev.calltracker.diagnostics.DiagnosticsRepository.CallSummary;
import dev.calltracker.diagnostics.DiagnosticsRepository.ReconcilerDecision;
import dev.calltracker.diagnostics.DiagnosticsRepository.ReconcilerRun;
import io.quarkus.runtime.annotations.RegisterForReflection;
import dev.calltracker.diagnostics.DiagnosticsRepository.UncontactedLead;
import dev.calltracker.http.QueryValues;
import dev.calltracker.http.RequestRejected;
import dev.calltracker.security.NoStore;
import dev.calltracker.security.OperatorEndpoints;
import dev.calltracker.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The operator's questions, answered as JSON. Every list is bounded by {@code limit}. */
@Tag(name = ApiContract.TAG_OPERATIONS)
@SecurityRequirement(name = ApiContract.OPERATOR)
@Path(OperatorEndpoints.DIAGNOSTICS)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
@NoStore
public class DiagnosticsResource {

    private static final int MAX_LIMIT = 1000;
    /** The counts' window when the operator names none. */
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    @Inject
    DiagnosticsRepository diagnostics;
    @Inject
    Clock clock;

    /** Non-terminal calls with no event for longer than {@code olderThan}, oldest first. */
    @GET
    @Path("/stuck-calls")
    public Uni<List<CallSummary>> stuckCalls(@QueryParam("olderThan") String olderThan, @QueryParam("limit") String limit) {
        Duration age = QueryValues.duration("olderThan", olderThan, Duration.ofMinutes(10));
        return diagnostics.stuckCalls(now().minus(age), limit(limit));
    }

    /** Counts by status of calls created since {@code since} (an ISO-8601 instant, or a duration ago such as 7d; default 24h). */
    @GET
    @Path("/calls-by-status")
    public Uni<Map<String, Long>> callsByStatus(@QueryParam("since") String since) {
        return diagnostics.callsByStatus(since(since));
    }

    /** Counts by who answered (answering-machine detection; {@code none}: no result), like {@link #callsByStatus}. */
    @GET
    @Path("/calls-by-answered-by")
    public Uni<Map<String, Long>> callsByAnsweredBy(@QueryParam("since") String since) {
        return diagnostics.callsByAnsweredBy(since(since));
    }

    /** Calls with a duration that are still not terminal: ended for sure, but their end never arrived. */
    @GET
    @Path("/calls-with-duration-not-ended")
    public Uni<List<CallSummary>> callsWithDurationNotEnded(@QueryParam("limit") String limit) {
        return diagnostics.callsWithDurationNotEnded(limit(limit));
    }

    /** Leads still {@code new} although one of their calls connected (in-progress or completed). */
    @GET
    @Path("/uncontacted-leads")
    public Uni<List<UncontactedLead>> uncontactedLeads(@QueryParam("limit") String limit) {
        return diagnostics.uncontactedLeads(limit(limit));
    }

    /** The reconciler's recent runs (every replica) and decisions, newest first; {@code limit} applies to each list. */
    @RegisterForReflection
    public record Reconciliations(List<ReconcilerRun> runs, List<ReconcilerDecision> decisions) {
    }

    @GET
    @Path("/reconciliations")
    public Uni<Reconciliations> reconciliations(@QueryParam("limit") String limit) {
        int n = limit(limit);
        return Uni.combine().all().unis(diagnostics.reconcilerRuns(n), diagnostics.reconcilerDecisions(n))
                .with(Reconciliations::new);
    }

    private static int limit(String value) {
        return QueryValues.intBetween("limit", value, 100, 1, MAX_LIMIT);
    }

    private OffsetDateTime since(String value) {
        if (value == null || value.isEmpty()) {
            // Not all time: counting every call of a database of years is a scan of the whole table (seconds at
            // 10 million calls, past the statement timeout); the last day is served by the created_at index.
            return now().minus(DEFAULT_WINDOW);
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

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
