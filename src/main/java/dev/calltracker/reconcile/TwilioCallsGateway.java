package dev.calltracker.reconcile;

import jakarta.inject.Inject;
import dev.calltracker.twilio.TwilioCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks Twilio about calls, politely: each request has a timeout (5 s from its sending), I/O errors, timeouts, 408, 429 and 5xx
 * are retried with exponential backoff and jitter, and a circuit breaker stops all requests for a while
 * when Twilio keeps failing. Every attempt waits for a slot of {@link TwilioConcurrencyLimit}; a 429
 * becomes {@link TwilioRateLimited}, which slows the limit down and is not a failure for the breaker
 * (Twilio is answering; we are asking too much at once). A 404 is an answer ("Twilio does not know this call"), not a failure. Any
 * other 4xx becomes {@link TwilioApiRefused} and is not retried: the same request would be refused again.
 * It still counts for the breaker, so wrong credentials stop the requests instead of one per stuck call.
 */
@ApplicationScoped
public class TwilioCallsGateway {

    /** Twilio answers in well under a second; a request open this long is taken as lost, and retried. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    @Inject
    @RestClient
    TwilioCallsApi api;
    @Inject
    TwilioCredentials credentials;
    @Inject
    TwilioConcurrencyLimit concurrency;
    @Inject
    MeterRegistry registry;

    /** The call, or empty when Twilio answers 404. */
    @Retry(maxRetries = 3, delay = 200, jitter = 100, abortOn = {CircuitBreakerOpenException.class, TwilioApiRefused.class})
    @ExponentialBackoff(factor = 2, maxDelay = 2, maxDelayUnit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
            skipOn = TwilioRateLimited.class)
    public Uni<Optional<TwilioCall>> fetchCall(String callSid) {
        return oneRequest(() -> api.fetchCall(authorization(), accountSid(), callSid))
                .map(Optional::of)
                .onFailure(TwilioCallsGateway::isNotFound).recoverWithItem(Optional.empty())
                .onFailure(TwilioCallsGateway::isRefusal).transform(TwilioCallsGateway::refused)
                .onFailure().invoke(this::countError);
    }

    /** The dialed legs of a parent call (empty when none, or when Twilio does not know the parent). */
    @Retry(maxRetries = 3, delay = 200, jitter = 100, abortOn = {CircuitBreakerOpenException.class, TwilioApiRefused.class})
    @ExponentialBackoff(factor = 2, maxDelay = 2, maxDelayUnit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
            skipOn = TwilioRateLimited.class)
    public Uni<List<TwilioCall>> childCalls(String parentCallSid) {
        return oneRequest(() -> api.childCalls(authorization(), accountSid(), parentCallSid))
                .map(page -> page.calls() == null ? List.<TwilioCall>of() : page.calls())
                .onFailure(TwilioCallsGateway::isNotFound).recoverWithItem(List.of())
                .onFailure(TwilioCallsGateway::isRefusal).transform(TwilioCallsGateway::refused)
                .onFailure().invoke(this::countError);
    }

    /**
     * One attempt: waits for a slot of the concurrency limit, then sends the request with its timeout. The
     * timeout counts from the sending, not from the wait: a wait for Twilio's {@code Retry-After} is no failure.
     */
    private <T> Uni<T> oneRequest(Supplier<Uni<T>> request) {
        return concurrency.submit(() -> request.get()
                .ifNoItem().after(REQUEST_TIMEOUT).fail()
                .onFailure(TwilioCallsGateway::isRateLimited).transform(TwilioCallsGateway::rateLimited));
    }

    private static boolean isNotFound(Throwable t) {
        return status(t) == 404;
    }

    /** A 4xx other than 404 (an answer), 408 and 429 (both say "later"): the request itself is what Twilio refuses. */
    private static boolean isRefusal(Throwable t) {
        int status = status(t);
        return status >= 400 && status < 500 && status != 404 && status != 408 && status != 429;
    }

    private static boolean isRateLimited(Throwable t) {
        return status(t) == 429;
    }

    /** Twilio sends {@code Retry-After} in seconds; without one (or an HTTP date) the limit's default pause applies. */
    private static Throwable rateLimited(Throwable t) {
        String retryAfter = ((WebApplicationException) t).getResponse().getHeaderString("Retry-After");
        Duration pause = TwilioConcurrencyLimit.DEFAULT_PAUSE;
        if (retryAfter != null && retryAfter.trim().matches("\\d{1,6}")) {
            pause = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        }
        return new TwilioRateLimited(pause, t);
    }

    private static Throwable refused(Throwable t) {
        return new TwilioApiRefused(status(t), t);
    }

    /** The HTTP status of a failed request, or 0 when no answer came (I/O error, timeout). */
    private static int status(Throwable t) {
        return t instanceof WebApplicationException e ? e.getResponse().getStatus() : 0;
    }

    private void countError(Throwable t) {
        String status = t instanceof TwilioApiRefused refused ? Integer.toString(refused.status())
                : t instanceof TwilioRateLimited ? "429"
                : t instanceof WebApplicationException e ? Integer.toString(e.getResponse().getStatus())
                : t.getClass().getSimpleName();
        registry.counter("calltracker.twilio.api.errors", "status", status).increment();
    }

    /** Why Twilio gave no answer, in words an operator can act on. */
    public static String describe(Throwable f) {
        if (f instanceof TwilioApiRefused refused) {
            return refused.status() == 401
                    ? "Twilio's API refused the credentials (HTTP 401): check TWILIO_ACCOUNT_SID and "
                    + "TWILIO_API_KEY_SID/TWILIO_API_KEY_SECRET (or TWILIO_AUTH_TOKEN)"
                    : "Twilio's API refused the request (HTTP " + refused.status() + ")";
        }
        if (f instanceof CircuitBreakerOpenException) {
            return "Twilio's API keeps failing: circuit breaker open, not asking for now";
        }
        if (f instanceof java.util.concurrent.TimeoutException
                || f instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
            return "Twilio's API timed out";
        }
        return "Twilio's API failed: " + f;
    }

    private String accountSid() {
        return credentials.accountSid();
    }

    private String authorization() {
        return credentials.authorization();
    }
}
