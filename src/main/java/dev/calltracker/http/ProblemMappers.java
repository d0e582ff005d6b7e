package dev.calltracker.http;

import dev.calltracker.db.DatabaseUnavailable;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.WebApplicationException;
import io.vertx.pgclient.PgException;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns errors into short problem details ({@link Problem}) that say what was wrong. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private static final Map<Integer, String> FRAMEWORK_REFUSALS = Map.of(
            404, "not found",
            405, "method not allowed",
            415, "unsupported Content-Type: Twilio endpoints accept application/x-www-form-urlencoded");

    private static final Set<String> RETRYABLE_STATES = Set.of("55P03", "25P03", "40001", "40P01");

    @ServerExceptionMapper
    public Response rejected(RequestRejected e) {
        return answer(e);
    }

    /** The answer to a request the client can fix: its status, and what was wrong. */
    public static Response answer(RequestRejected e) {
        return json(Problem.of(e.status(), e.getMessage(), e.field()));
    }

    /** A request the service cannot answer now or as configured: its status, why, and when to retry if that helps. */
    @ServerExceptionMapper
    public Response cannotAnswer(CannotAnswer e) {
        Response.ResponseBuilder answer = Response.fromResponse(json(Problem.of(e.status(), e.getMessage())));
        if (e.retryAfter() != null) {
            answer.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return answer.build();
    }

    /**
     * No credentials, or credentials that do not verify (an expired, forged or foreign token): the same answer,
     * whether or not what was asked for exists.
     */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(Exception e) {
        LOG.debugf("Unauthenticated: %s", e);
        return Response.fromResponse(json(Problem.of(401, "missing or invalid bearer token")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** Authenticated, but without the role the endpoint requires. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return json(Problem.of(403, "not allowed for this caller"));
    }

    /** What the framework refuses before a resource runs (unknown path, wrong method, wrong Content-Type). */
    @ServerExceptionMapper
    public Response refusedByFramework(WebApplicationException e) {
        Response r = e.getResponse();
        return json(Problem.of(r.getStatus(), FRAMEWORK_REFUSALS.getOrDefault(r.getStatus(), r.getStatusInfo().getReasonPhrase())));
    }

    /**
     * A database error caused by the request's data or by a bug: 500. The request was not stored (its
     * transaction rolled back), so Twilio's retry is safe.
     */
    @ServerExceptionMapper
    public Response databaseError(PgException e) {
        String state = e.getSqlState() == null ? "" : e.getSqlState();
        // Connection exceptions (08), operator intervention such as a shutting-down server or a statement_timeout
        // (57), insufficient resources (53), a lock not granted within lock_timeout (55P03), a transaction the
        // server ended as idle (25P03), a serialization failure or deadlock (40001, 40P01): the database cannot
        // take the request now, the request is not wrong. A retry can succeed.
        if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53") || RETRYABLE_STATES.contains(state)) {
            LOG.warnf("Database refused for now, answered 503: %s (SQLSTATE %s)", e.getErrorMessage(), state);
            return retryLater();
        }
        LOG.errorf("Database error: %s (SQLSTATE %s)", e.getErrorMessage(), state);
        return json(Problem.of(500, "internal error; nothing was stored"));
    }

    /**
     * The database did not answer within a deadline: 503 at once, in time for Twilio's retry. Logged once per
     * episode by DatabaseOutages, not per request.
     */
    @ServerExceptionMapper
    public Response databaseUnavailable(DatabaseUnavailable e) {
        LOG.debugf("Refused: %s", e.getMessage());
        return retryLater();
    }

    /**
     * Anything else unexpected is most often the database being unreachable (connection refused, pool
     * wait timed out): 503, never a 2xx for something not stored. Twilio retries 5xx (see the callback
     * URL fragment) and the event is idempotent.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unavailable(Throwable e) {
        // With the stack trace: a bug lands here too, and must be findable (the SQL client's connection
        // failures carry none, so an outage does not flood the log).
        LOG.warn("Request failed, answered 503", e);
        return retryLater();
    }

    private static Response retryLater() {
        return Response.status(503).header("Retry-After", "1").type(Problem.MEDIA_TYPE)
                .entity(Problem.of(503, "temporarily unable to store the request; retry")).build();
    }

    static Response json(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
