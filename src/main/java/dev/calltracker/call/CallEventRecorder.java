package dev.calltracker.call;

import dev.calltracker.db.Database;
import dev.calltracker.db.PipelinedTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records what is learnt about a call and applies it, each in one transaction: append the event to
 * {@code call_events}, lock the call, apply {@link CallChange} (the transition rule and the contact rule), and
 * write the call, its lead and its activity.
 */
@ApplicationScoped
public class CallEventRecorder {

    private static final Logger LOG = Logger.getLogger(CallEventRecorder.class);

    /** What recording an event did. */
    public enum Outcome {
        /** Stored and changed the call. */
        APPLIED,
        /** Stored (callbacks) or not (reconciler findings); the call already knew everything it says. */
        UNCHANGED,
        /** A re-delivery of an event already stored: nothing written. */
        DUPLICATE,
        /** A reconciler finding about a call that has moved on since it was claimed: nothing written. */
        SUPERSEDED,
        /** A parent leg's status for a call never recorded (a refused dial): nothing written. */
        UNKNOWN_CALL
    }

    private final Database database;
    /** The reconciler's findings wait for a connection behind the callbacks (no client is waiting for them). */
    private final Database forFindings;
    private final CallRepository calls;
    private final ContactRule contactRule;

    public CallEventRecorder(Database database, CallRepository calls, ContactRule contactRule) {
        this.database = database;
        this.forFindings = database.forBackgroundWork();
        this.calls = calls;
        this.contactRule = contactRule;
    }

    /**
     * Records a Twilio callback in two round trips: BEGIN with the append, then the change's write (when there
     * is one) with COMMIT.
     */
    public Uni<Outcome> record(CallEvent event) {
        if (event.kind() == CallEventKind.PARENT_STATUS) {
            return recordParentStatus(event);
        }
        return database.transaction(tx -> begin(tx, event, calls.appendEventAndLockCall(tx.client(), event))
                .flatMap(locked -> {
                    if (locked.isEmpty()) {
                        return tx.commit().replaceWith(Outcome.DUPLICATE);
                    }
                    return apply(tx, locked.get(), event.observation());
                }));
    }

    /**
     * Records a parent leg's status like a callback, but only for a call this service recorded: the parent leg of
     * a refused dial ends too, and its callback must not create a call (nothing of a refused dial is written).
     */
    private Uni<Outcome> recordParentStatus(CallEvent event) {
        return database.transaction(tx -> begin(tx, event, calls.appendParentStatusToKnownCall(tx.client(), event))
                .flatMap(appended -> {
                    if (appended.call().isEmpty()) {
                        return tx.commit().replaceWith(appended.callKnown() ? Outcome.DUPLICATE : Outcome.UNKNOWN_CALL);
                    }
                    return apply(tx, appended.call().get(), event.observation());
                }));
    }

    /**
     * Records an AMD result in two round trips like a callback. It names only the dialed leg: when no call
     * knows that leg yet, it is stored and the call applies it when it learns the leg.
     */
    public Uni<Outcome> recordAmd(CallEvent event) {
        return database.transaction(tx -> begin(tx, event, calls.appendAmdResultAndLockCall(tx.client(), event))
                .flatMap(stored -> {
                    if (stored.isEmpty()) {
                        return tx.commit().replaceWith(Outcome.DUPLICATE);
                    }
                    if (stored.get().call().isEmpty()) {
                        return tx.commit().replaceWith(Outcome.UNCHANGED);
                    }
                    return apply(tx, stored.get().call().get(), event.observation());
                }));
    }

    /**
     * Begins with the event's first statement, preceded in the same round trip by the lock on the dialed leg
     * the event names when an AMD result may be waiting for it ({@link CallRepository#lockDialedLeg}). Without
     * detection no AMD result decides anything, so the hot path does not pay for the lock.
     */
    private <T> Uni<T> begin(PipelinedTransaction tx, CallEvent event, Uni<T> firstStatement) {
        String dialedSid = event.kind() == CallEventKind.AMD ? event.legSid() : event.observation().dialedSid();
        if (dialedSid == null || (!contactRule.machineDetection() && event.kind() != CallEventKind.AMD)) {
            return tx.begin(firstStatement);
        }
        return tx.begin(calls.lockDialedLeg(tx.client(), dialedSid), firstStatement).map(Tuple2::getItem2);
    }

    private Uni<Outcome> apply(PipelinedTransaction tx, CallRow locked, CallObservation observation) {
        Optional<CallChange> change = CallChange.of(locked, observation, contactRule);
        if (change.isEmpty()) {
            return tx.commit().replaceWith(Outcome.UNCHANGED);
        }
        logTransition(change.get());
        return tx.commitWith(calls.save(tx.client(), change.get())).replaceWith(Outcome.APPLIED);
    }

    /**
     * Applies a reconciler finding under the call's row lock, unless an event arrived since it was claimed ({@code lastEventAtWhenClaimed}): the reconciler asked Twilio without holding the lock.
     */
    public Uni<Outcome> recordFinding(ReconcilerFinding finding, UUID callId, OffsetDateTime lastEventAtWhenClaimed) {
        return forFindings.transaction(tx -> tx.begin(calls.lockCall(tx.client(), callId)).flatMap(locked -> {
            // A terminal call is only claimed for its missing answering-machine detection result; the transition
            // rule keeps every terminal status, so the finding can add only what the call did not know.
            if (locked.isEmpty() || !CallChange.sameInstant(locked.get().lastEventAt(), lastEventAtWhenClaimed)) {
                return tx.commit().replaceWith(Outcome.SUPERSEDED);
            }
            Optional<CallChange> change = CallChange.of(locked.get(), finding.observation(), contactRule);
            if (change.isEmpty()) {
                return tx.commit().replaceWith(Outcome.UNCHANGED);
            }
            logTransition(change.get());
            CallEvent event = finding.toEvent(change.get().next());
            // The row lock is already held: the append only stores the event and bumps last_event_at.
            return tx.commitWith(calls.appendEventAndLockCall(tx.client(), event), calls.save(tx.client(), change.get()))
                    .replaceWith(Outcome.APPLIED);
        }));
    }

    private static void logTransition(CallChange change) {
        CallStatus from = change.call().state().status();
        if (change.next().status() != from) {
            LOG.debugf("Call %s: %s -> %s", change.call().callSid(), from.value(), change.next().status().value());
        }
    }
}
