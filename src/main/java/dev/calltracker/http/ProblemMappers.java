package dev.calltracker.http;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns client errors into short JSON bodies that say what was wrong. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response rejected(RequestRejected e) {
        return json(new Problem(e.status(), e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return json(Problem.of(415, "unsupported Content-Type: Twilio endpoints accept application/x-www-form-urlencoded"));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(Problem.of(404, "not found"));
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException e) {
        return json(Problem.of(405, "method not allowed"));
    }

    static Response json(Problem problem) {
        return Response.status(problem.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(problem).build();
    }
}
