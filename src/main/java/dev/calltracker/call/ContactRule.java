package dev.calltracker.call;

import dev.calltracker.config.CallingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * What makes a lead "contacted": the dialed leg was answered ({@code in-progress}) or ended
 * {@code completed} (audio was connected: a person, a menu or a voicemail). {@code busy},
 * {@code no-answer}, {@code failed}, {@code canceled} and {@code unknown} never contact a lead.
 *
 * <p>With answering-machine detection on ({@code calling.machine-detection}), audio is not enough: the
 * detection result must also say a person answered ({@link #A_PERSON}). Until the result is known the call
 * contacts nobody, so an answer that arrives before its result never contacts the lead only to be undone;
 * a call whose result never arrives contacts nobody.
 */
@ApplicationScoped
public class ContactRule {

    private final boolean machineDetection;

    @Inject
    public ContactRule(CallingConfig calling) {
        this(CallingConfig.detects(calling));
    }

    /** @param machineDetection whether calls are dialed with answering-machine detection */
    ContactRule(boolean machineDetection) {
        this.machineDetection = machineDetection;
    }

    /** Whether calls are dialed with answering-machine detection, so that only a person answering contacts a lead. */
    public boolean machineDetection() {
        return machineDetection;
    }

    /** The statuses of a call that reached its lead (answered, or ended after audio was connected). */
    public static final java.util.Set<CallStatus> CONNECTED = java.util.EnumSet.of(CallStatus.IN_PROGRESS, CallStatus.COMPLETED);

    /**
     * The detection results that count as a person: {@code human}, and {@code unknown}, where detection could
     * not tell within its timeout although audio was connected (often a person who answered in silence or
     * briefly): a missed contact costs a sales team more than a voicemail counted, and the call shows the
     * result.
     */
    public static final java.util.Set<AnsweredBy> A_PERSON = java.util.EnumSet.of(AnsweredBy.HUMAN, AnsweredBy.UNKNOWN);

    /**
     * The lead write a change of a call requires, the one place that decides it: present when the call has a
     * lead and its contact time changed.
     *
     * @param before the call before the change, or null when the lead was only now linked to the call
     */
    public Optional<LeadContact> leadContact(UUID leadId, CallState before, CallState after) {
        OffsetDateTime was = before == null ? null : contactTime(before);
        OffsetDateTime now = contactTime(after);
        if (leadId == null || now == null || now.equals(was)) {
            return Optional.empty();
        }
        return Optional.of(new LeadContact(now, was));
    }

    /** When this call reached its lead, or null if it did not (yet): the end time once completed, else the answer time. */
    OffsetDateTime contactTime(CallState call) {
        if (machineDetection && !A_PERSON.contains(call.answeredBy())) {
            return null;
        }
        if (call.status() == CallStatus.COMPLETED) {
            return call.endedAt() != null ? call.endedAt() : call.answeredAt();
        }
        if (call.status() == CallStatus.IN_PROGRESS) {
            return call.answeredAt();
        }
        return null;
    }
}
