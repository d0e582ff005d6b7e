package dev.calltracker.call;

import dev.calltracker.db.PipelinedTransaction;
import dev.calltracker.lead.ContactRule;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Records one event about a call and applies it: append to {@code call_events}, lock the call, run
 * {@link CallTransition}, write the call, its lead and its activity. One transaction, two statements.
 */
@ApplicationScoped
public class CallEventRecorder {

    private static final Logger LOG = Logger.getLogger(CallEventRecorder.class);

    /** What recording an event did. */
    public enum Outcome {
        /** Stored and changed the call. */
        APPLIED,
        /** Stored; the call already knew everything it says (or it says nothing the rule accepts). */
        UNCHANGED,
        /** A re-delivery of an event already stored: nothing written. */
        DUPLICATE
    }

    private final Pool pool;
    private final CallRepository calls;

    public CallEventRecorder(Pool pool, CallRepository calls) {
        this.pool = pool;
        this.calls = calls;
    }

    /**
     * Records the event in its own transaction, in two round trips: BEGIN with the append, then the
     * transition's write (when there is one) with COMMIT.
     */
    public Uni<Outcome> record(CallEvent event) {
        return PipelinedTransaction.run(pool, tx -> tx.begin(calls.appendEventAndLockCall(tx.client(), event))
                .flatMap(row -> {
                    Decision decision = decide(tx.client(), row, event);
                    Uni<Void> end = decision.write() == null ? tx.commit() : tx.commitWith(decision.write());
                    return end.replaceWith(decision.outcome());
                }));
    }

    /** Records the event on a connection whose transaction the caller owns (the reconciler's). */
    public Uni<Outcome> record(SqlClient tx, CallEvent event) {
        return calls.appendEventAndLockCall(tx, event).flatMap(row -> {
            Decision decision = decide(tx, row, event);
            return decision.write() == null
                    ? Uni.createFrom().item(decision.outcome())
                    : decision.write().replaceWith(decision.outcome());
        });
    }

    /** What the event does to the locked call: its outcome, and the write that applies it (null: none). */
    private record Decision(Outcome outcome, Uni<Void> write) {
    }

    /** @param row the call as locked by the append, or null when the event was a re-delivery */
    private Decision decide(SqlClient db, CallRow row, CallEvent event) {
        if (row == null) {
            return new Decision(Outcome.DUPLICATE, null);
        }
        CallState next = CallTransition.apply(row.state(), event.observation());
        if (next.equals(row.state())) {
            return new Decision(Outcome.UNCHANGED, null);
        }
        logTransition(row, next);
        OffsetDateTime before = ContactRule.contactTime(row.state());
        OffsetDateTime after = ContactRule.contactTime(next);
        // The lead is touched only when this call's contact time changes; after == null means not reached.
        OffsetDateTime contactTime = row.leadId() != null && !Objects.equals(before, after) ? after : null;
        return new Decision(Outcome.APPLIED, calls.saveTransition(db, row, next, contactTime, before));
    }

    private static void logTransition(CallRow row, CallState next) {
        if (next.status() != row.state().status()) {
            LOG.debugf("Call %s: %s -> %s", row.callSid(), row.state().status().value(), next.status().value());
        }
    }
}
