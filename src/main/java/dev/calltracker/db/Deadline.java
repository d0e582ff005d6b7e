package dev.calltracker.db;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A deadline on a {@link Uni}, timed by Vert.x on the caller's own context (Mutiny's {@code ifNoItem().after()}
 * fires on a worker thread, and what follows would run there).
 *
 * <p>The work is never cancelled, by the deadline or by the subscriber: a transaction stopped half-way would
 * leave its connection inside an open transaction. It runs to its end (or until its connection is closed).
 */
final class Deadline {

    private Deadline() {
    }

    /** {@code work}'s outcome if it comes within {@code deadline}; otherwise runs {@code onExpiry} and fails with {@code failure}. */
    static <T> Uni<T> within(Vertx vertx, Duration deadline, Uni<T> work, Runnable onExpiry, Supplier<Throwable> failure) {
        return within(vertx, deadline, work, onExpiry, failure, late -> { });
    }

    /** The same, handing an item that comes after the deadline to {@code onLateItem} (to give back what it holds). */
    static <T> Uni<T> within(Vertx vertx, Duration deadline, Uni<T> work, Runnable onExpiry, Supplier<Throwable> failure,
                             Consumer<T> onLateItem) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean settled = new AtomicBoolean();
            long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> {
                if (settled.compareAndSet(false, true)) {
                    onExpiry.run();
                    emitter.fail(failure.get());
                }
            });
            work.subscribe().with(item -> {
                if (settled.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    emitter.complete(item);
                } else {
                    onLateItem.accept(item);
                }
            }, error -> {
                if (settled.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    emitter.fail(error);
                }
            });
        });
    }

    /** {@code work} shielded from its subscriber's cancellation: it runs to its end whatever happens downstream. */
    static <T> Uni<T> uncancellable(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail));
    }
}
