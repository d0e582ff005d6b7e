package dev.calltracker.twilio;

import jakarta.inject.Inject;
import dev.calltracker.http.ProblemMappers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers a refused Twilio request like any other refusal ({@link ProblemMappers}), and counts it by endpoint
 * where it becomes an answer: the signature check and the body reader refuse before any endpoint runs.
 */
public class TwilioRequestRejectedMapper {

    @Inject
    TwilioRequestMetrics metrics;

    @ServerExceptionMapper
    public Response rejected(TwilioRequestRejected e) {
        metrics.rejected(e);
        return ProblemMappers.answer(e);
    }
}
