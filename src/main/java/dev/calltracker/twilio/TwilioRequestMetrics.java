package dev.calltracker.twilio;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts Twilio requests by endpoint and result: {@code calltracker_twilio_requests_total}. Refusals are
 * counted where they become answers (the exception mappers), outcomes by the endpoints.
 */
@ApplicationScoped
public class TwilioRequestMetrics {

    /** What became of a Twilio request. */
    public enum Result {
        ACCEPTED("accepted"),
        /** A re-delivery of a request already stored: answered as before, nothing written. */
        DUPLICATE("duplicate"),
        /** A dial the destination policy or the lead refused (answered with TwiML that says so). */
        REFUSED("refused"),
        REJECTED_SIGNATURE("rejected-signature"),
        INVALID("invalid");

        private final String value;

        Result(String value) {
            this.value = value;
        }
    }

    private final MeterRegistry registry;

    public TwilioRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String endpoint, Result result) {
        registry.counter("calltracker.twilio.requests", "endpoint", endpoint, "result", result.value).increment();
    }

    /** A refusal before anything was written: 403 is a signature (or account) refusal, anything else invalid. */
    public void rejected(TwilioRequestRejected e) {
        count(e.endpoint(), e.status() == 403 ? Result.REJECTED_SIGNATURE : Result.INVALID);
    }
}
