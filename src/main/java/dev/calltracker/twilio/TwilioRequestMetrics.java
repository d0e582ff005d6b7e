package dev.calltracker.twilio;

import jakarta.inject.Inject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts Twilio requests by endpoint and result: {@code calltracker_twilio_requests_total}. Refusals are
 * counted where they become answers (the exception mappers), outcomes by the endpoints. Verified signatures
 * by endpoint, key and URL form: {@code calltracker_twilio_signatures_total}.
 */
@ApplicationScoped
public class TwilioRequestMetrics {

    /** What became of a Twilio request. */
    public enum Result {
        ACCEPTED("accepted"),
        /** A re-delivery of a request already stored: answered as the first delivery was, nothing written. */
        DUPLICATE("duplicate"),
        /** A dial the destination policy or the lead refused (answered with TwiML that says so). */
        REFUSED("refused"),
        /** A parent leg's status for a call never recorded (a refused dial): answered 204, nothing written. */
        UNKNOWN_CALL("unknown-call"),
        REJECTED_SIGNATURE("rejected-signature"),
        INVALID("invalid");

        private final String value;

        Result(String value) {
            this.value = value;
        }
    }

    @Inject
    MeterRegistry registry;
    /** Counters are looked up once per combination: every Twilio request counts a result and a signature. */
    private final Map<SignatureForm, Counter> signatures = new ConcurrentHashMap<>();
    private final Map<RequestResult, Counter> results = new ConcurrentHashMap<>();

    private record SignatureForm(String endpoint, TwilioSignatureVerifier.Verified verified) {
    }

    private record RequestResult(String endpoint, Result result) {
    }

    /**
     * A signature that verified: with which key ({@code scheme}: {@code auth-token}, {@code shared-key}) and
     * over which URL ({@code url}: {@code with-fragment}, {@code without-fragment}). Twilio does not document
     * whether it signs the callback URLs' fragment; this counter shows which form it uses.
     */
    public void signatureVerified(String endpoint, TwilioSignatureVerifier.Verified verified) {
        signatures.computeIfAbsent(new SignatureForm(endpoint, verified), form -> registry.counter(
                "calltracker.twilio.signatures", "endpoint", endpoint, "scheme", verified.scheme().label,
                "url", verified.withFragment() ? "with-fragment" : "without-fragment")).increment();
    }

    public void count(String endpoint, Result result) {
        results.computeIfAbsent(new RequestResult(endpoint, result), key -> registry.counter(
                "calltracker.twilio.requests", "endpoint", endpoint, "result", result.value)).increment();
    }

    /** A refusal before anything was written: 403 is a signature (or account) refusal, anything else invalid. */
    public void rejected(TwilioRequestRejected e) {
        count(e.endpoint(), e.status() == 403 ? Result.REJECTED_SIGNATURE : Result.INVALID);
    }
}
