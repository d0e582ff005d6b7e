package dev.calltracker.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How many requests this replica has in flight to Twilio's REST API, and how many it may have: at most
 * {@code reconcile.twilio-concurrency}, fewer after a 429. Twilio limits concurrent requests per account and
 * answers 429 (error 20429) beyond, with {@code Retry-After}; so a 429 halves the limit (once per round of
 * requests: the requests already in flight were sent under the old limit) and holds every request back for
 * the time Twilio asks, and each round of successes raises the limit by one again (additive increase,
 * multiplicative decrease, as TCP does). Requests wait in order; nothing blocks a thread.
 *
 * <p>Every attempt of {@link TwilioCallsGateway} passes here, retries included, so the in-flight count is
 * the number of HTTP requests really open.
 */
@ApplicationScoped
public class TwilioConcurrencyLimit {

    /** Without a {@code Retry-After}, a 429 holds the requests back this long. */
    static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);
    /** A {@code Retry-After} longer than this is not waited for in full (the requests would time out anyway). */
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final int max;
    private final Deque<Ticket<?>> waiting = new ArrayDeque<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    // Guarded by this.
    private int limit;
    private int inFlight;
    private int maxInFlight;
    private int successesAtLimit;
    private long round;
    private long pausedUntilNanos;
    private boolean wakeUpScheduled;

    public TwilioConcurrencyLimit(ReconcileConfig config, MeterRegistry registry) {
        this.max = config.twilioConcurrency();
        this.limit = max;
        registry.gauge("calltracker.reconciler.twilio.in.flight", this, l -> l.inFlight());
        registry.gauge("calltracker.reconciler.twilio.concurrency.limit", this, l -> l.limit());
        registry.more().counter("calltracker.reconciler.twilio.rate.limited", List.of(), rateLimited);
        registry.more().counter("calltracker.reconciler.twilio.requests", List.of(), requests);
    }

    /** Sends {@code request} once a slot is free; the slot is held until it answers, fails or is cancelled. */
    public <T> Uni<T> submit(Supplier<Uni<T>> request) {
        return Uni.createFrom().emitter((UniEmitter<? super T> emitter) -> {
            Ticket<T> ticket = new Ticket<>(request, emitter);
            emitter.onTermination(() -> abandon(ticket));
            synchronized (this) {
                waiting.add(ticket);
            }
            startWhatMayStart();
        });
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int limit() {
        return limit;
    }

    /** The most requests that were in flight at once since the service started. */
    public synchronized int maxInFlight() {
        return maxInFlight;
    }

    /** Requests sent since the service started. */
    public long requests() {
        return requests.get();
    }

    /** 429 answers since the service started. */
    public long rateLimitedAnswers() {
        return rateLimited.get();
    }

    private void startWhatMayStart() {
        List<Ticket<?>> starting = new ArrayList<>();
        Duration wakeUpIn = null;
        synchronized (this) {
            long pause = pausedUntilNanos - System.nanoTime();
            if (pause > 0) {
                if (!waiting.isEmpty() && !wakeUpScheduled) {
                    wakeUpScheduled = true;
                    // Whole milliseconds, at least one: timers refuse less (and a dropped wake-up would strand the queue).
                    wakeUpIn = Duration.ofMillis(Math.max(1, (pause + 999_999) / 1_000_000));
                }
            } else {
                while (inFlight < limit && !waiting.isEmpty()) {
                    Ticket<?> ticket = waiting.poll();
                    ticket.state = Ticket.State.STARTED;
                    ticket.round = round;
                    inFlight++;
                    maxInFlight = Math.max(maxInFlight, inFlight);
                    starting.add(ticket);
                }
            }
        }
        if (wakeUpIn != null) {
            Uni.createFrom().voidItem().onItem().delayIt().by(wakeUpIn).subscribe().with(ignored -> {
                synchronized (this) {
                    wakeUpScheduled = false;
                }
                startWhatMayStart();
            });
        }
        starting.forEach(this::send);
    }

    private <T> void send(Ticket<T> ticket) {
        requests.incrementAndGet();
        Cancellable running = Uni.createFrom().<T>deferred(ticket.request::get).subscribe().with(
                item -> {
                    if (finished(ticket, null)) {
                        ticket.emitter.complete(item);
                    }
                },
                failure -> {
                    if (finished(ticket, failure)) {
                        ticket.emitter.fail(failure);
                    }
                });
        synchronized (this) {
            ticket.running = running;
        }
    }

    /** A request answered ({@code failure} null) or failed: frees its slot, adapts the limit; false if abandoned already. */
    private boolean finished(Ticket<?> ticket, Throwable failure) {
        synchronized (this) {
            if (ticket.state == Ticket.State.DONE) {
                return false;
            }
            ticket.state = Ticket.State.DONE;
            inFlight--;
            adapt(ticket, failure);
        }
        startWhatMayStart();
        return true;
    }

    private synchronized void adapt(Ticket<?> ticket, Throwable failure) {
        if (failure instanceof TwilioRateLimited limited) {
            rateLimited.incrementAndGet();
            Duration pause = limited.retryAfter().compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : limited.retryAfter();
            pausedUntilNanos = Math.max(pausedUntilNanos, System.nanoTime() + pause.toNanos());
            if (ticket.round == round) {
                limit = Math.max(1, limit / 2);
                successesAtLimit = 0;
                round++;
            }
        } else if (failure == null && limit < max && ++successesAtLimit >= limit) {
            limit++;
            successesAtLimit = 0;
            round++;
        }
    }

    /** The caller stopped waiting (a timeout, a cancelled run): a waiting request never starts, a running one is cancelled. */
    private void abandon(Ticket<?> ticket) {
        Cancellable running;
        synchronized (this) {
            if (ticket.state == Ticket.State.WAITING) {
                waiting.remove(ticket);
                ticket.state = Ticket.State.DONE;
                return;
            }
            if (ticket.state == Ticket.State.DONE) {
                return;
            }
            ticket.state = Ticket.State.DONE;
            inFlight--;
            running = ticket.running;
        }
        if (running != null) {
            running.cancel();
        }
        startWhatMayStart();
    }

    private static final class Ticket<T> {
        enum State { WAITING, STARTED, DONE }

        final Supplier<Uni<T>> request;
        final UniEmitter<? super T> emitter;
        State state = State.WAITING;
        long round;
        Cancellable running;

        Ticket(Supplier<Uni<T>> request, UniEmitter<? super T> emitter) {
            this.request = request;
            this.emitter = emitter;
        }
    }
}
