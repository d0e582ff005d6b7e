package dev.calltracker.call;

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

    /** Records the event in its own transaction. */
    public Uni<Outcome> record(CallEvent event) {
        return pool.withTransaction(tx -> record(tx, event));
    }

    /** Records the event on a connection whose transaction the caller owns (the reconciler's). */
    public Uni<Outcome> record(SqlClient tx, CallEvent event) {
        return calls.appendEventAndLockCall(tx, event).flatMap(row -> {
            if (row == null) {
                return Uni.createFrom().item(Outcome.DUPLICATE);
            }
            CallState next = CallTransition.apply(row.state(), event.observation());
            if (next.equals(row.state())) {
                return Uni.createFrom().item(Outcome.UNCHANGED);
            }
            logTransition(row, next);
            OffsetDateTime before = ContactRule.contactTime(row.state());
            OffsetDateTime after = ContactRule.contactTime(next);
            // The lead is touched only when this call's contact time changes; after == null means not reached.
            OffsetDateTime contactTime = row.leadId() != null && !Objects.equals(before, after) ? after : null;
            return calls.saveTransition(tx, row, next, contactTime, before).replaceWith(Outcome.APPLIED);
        });
    }

    private static void logTransition(CallRow row, CallState next) {
        if (next.status() != row.state().status()) {
            LOG.debugf("Call %s: %s -> %s", row.callSid(), row.state().status().value(), next.status().value());
        }
    }
}
