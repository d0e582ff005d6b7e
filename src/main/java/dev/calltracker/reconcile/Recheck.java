package dev.calltracker.reconcile;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * When a claimed call may be examined again: the reconciler's queue order. A call that stays open goes to
 * the back of the queue instead of keeping its place at the head, so a backlog of calls Twilio says are
 * live cannot starve newer stuck calls.
 *
 * @param nextCheckAt null when the call was closed or an event arrived meanwhile (it is a candidate as usual)
 * @param checks      examinations that left it open since its last event (the back-off's exponent)
 */
public record Recheck(UUID id, OffsetDateTime nextCheckAt, int checks) {

    /**
     * The rule: a call found still open (Twilio says live, or no evidence yet) waits {@code first}, then twice
     * as long each time, at most {@code max}; a call about which nothing was learnt waits {@code first} without
     * growing the back-off; a closed call, or one that had an event meanwhile, needs nothing.
     */
    static Recheck after(StuckCall call, ReconcileReport.Entry entry, OffsetDateTime now, Duration first, Duration max) {
        if (!entry.kind().leavesCallOpen() || entry.kind() == ReconcileOutcome.CHANGED) {
            return new Recheck(call.id(), null, 0);
        }
        int checks = call.checksSinceLastEvent();
        if (entry.kind().learntNothing()) {
            return new Recheck(call.id(), now.plus(first), checks);
        }
        return new Recheck(call.id(), now.plus(backoff(checks, first, max)), checks + 1);
    }

    /** {@code first} × 2^{@code checks}, at most {@code max}. */
    static Duration backoff(int checks, Duration first, Duration max) {
        Duration wait = first;
        for (int i = 0; i < checks && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
