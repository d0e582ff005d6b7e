package dev.calltracker.twilio;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts Twilio requests by endpoint kind and result: {@code calltracker_twilio_requests_total}. */
@ApplicationScoped
public class TwilioRequestMetrics {

    private final MeterRegistry registry;

    public TwilioRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String kind) {
        count(kind, "accepted");
    }

    public void duplicate(String kind) {
        count(kind, "duplicate");
    }

    public void rejectedSignature(String kind) {
        count(kind, "rejected-signature");
    }

    public void invalid(String kind) {
        count(kind, "invalid");
    }

    /** Runs a step that validates the request; a refusal of it (400) is counted as invalid and rethrown. */
    public <T> T countingInvalid(String kind, java.util.function.Supplier<T> validation) {
        try {
            return validation.get();
        } catch (dev.calltracker.http.RequestRejected e) {
            invalid(kind);
            throw e;
        }
    }

    public void refused(String kind) {
        count(kind, "refused");
    }

    private void count(String kind, String result) {
        registry.counter("calltracker.twilio.requests", "kind", kind, "result", result).increment();
    }
}
