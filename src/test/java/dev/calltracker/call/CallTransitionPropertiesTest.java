package dev.calltracker.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import dev.calltracker.lead.ContactRule;
import org.junit.jupiter.api.Test;

/**
 * Properties of the transition rule over generated event sets (plain JUnit with a seeded generator:
 * reproducible, no extra test engine): the final state does not depend on order or duplication, and no
 * sequence ever moves a status backwards or out of terminal.
 */
class CallTransitionPropertiesTest {

    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 25, 9, 0, 0, 0, ZoneOffset.UTC);
    static final CallStatus[] ENDS = {CallStatus.COMPLETED, CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED,
            CallStatus.CANCELED};

    /** The events one real call produces: dialed-leg statuses, the action, a recording, the parent's end. */
    static List<CallObservation> eventsOfOneCall(Random random) {
        CallStatus end = ENDS[random.nextInt(ENDS.length)];
        int duration = end == CallStatus.COMPLETED ? 1 + random.nextInt(3600) : 0;
        OffsetDateTime answered = T0.plusSeconds(5 + random.nextInt(20));
        OffsetDateTime ended = end == CallStatus.COMPLETED ? answered.plusSeconds(duration) : T0.plusSeconds(30);
        List<CallObservation> events = new ArrayList<>();
        events.add(obs().dialedSid("CAchild").status(CallStatus.INITIATED, T0, false).build());
        events.add(obs().dialedSid("CAchild").status(CallStatus.RINGING, T0.plusSeconds(1), false).build());
        if (end == CallStatus.COMPLETED) {
            events.add(obs().dialedSid("CAchild").status(CallStatus.IN_PROGRESS, answered, false).build());
            events.add(obs().recording("RE1", "https://r/1", duration - 1, true).build());
        }
        events.add(obs().dialedSid("CAchild").durationSeconds(duration).status(end, ended, false).build());
        events.add(obs().dialedSid("CAchild").durationSeconds(duration).recording(null, end == CallStatus.COMPLETED
                ? "https://r/early" : null, null, false).status(end, ended.plusSeconds(random.nextInt(5)), true).build());
        events.add(obs().parentEndedAt(ended.plusSeconds(1)).build());
        return events;
    }

    static CallObservation.Builder obs() {
        return CallObservation.from(Source.CALLBACK);
    }

    static CallState applyAll(List<CallObservation> events) {
        CallState state = CallState.initiated();
        for (CallObservation o : events) {
            CallState next = CallTransition.apply(state, o);
            assertThat(rank(next.status())).as("never backwards").isGreaterThanOrEqualTo(rank(state.status()));
            if (state.status().isTerminal()) {
                assertThat(next.status()).as("terminal is final").isEqualTo(state.status());
            }
            state = next;
        }
        return state;
    }

    static int rank(CallStatus s) {
        return s.isTerminal() ? 4 : s.ordinal();
    }

    @Test
    void theFinalStateDoesNotDependOnOrderOrDuplicates() {
        Random random = new Random(11);
        for (int call = 0; call < 2_000; call++) {
            List<CallObservation> events = eventsOfOneCall(random);
            CallState inOrder = applyAll(events);
            for (int shuffle = 0; shuffle < 20; shuffle++) {
                List<CallObservation> delivered = redeliveredShuffled(events, random);
                assertThat(applyAll(delivered)).as("call %d, delivery %d", call, shuffle).isEqualTo(inOrder);
            }
        }
    }

    @Test
    void randomObservationsNeverMoveAStatusBackwards() {
        Random random = new Random(12);
        CallStatus[] all = CallStatus.values();
        for (int run = 0; run < 5_000; run++) {
            List<CallObservation> events = new ArrayList<>();
            for (int i = random.nextInt(10); i >= 0; i--) {
                events.add(obs().status(all[random.nextInt(all.length)], T0.plusSeconds(random.nextInt(100)),
                        random.nextBoolean()).build());
            }
            applyAll(events); // asserts inside
        }
    }

    static final UUID LEAD = UUID.randomUUID();

    /**
     * One call's events with answering-machine detection: an answered call gets its AMD result (from the
     * callback or from Twilio's REST API), or none when it was lost.
     */
    static List<CallObservation> eventsOfOneCallWithDetection(Random random) {
        List<CallObservation> events = eventsOfOneCall(random);
        boolean answered = events.stream().anyMatch(o -> o.status() == CallStatus.IN_PROGRESS);
        if (answered && random.nextInt(6) > 0) {
            AnsweredBy who = AnsweredBy.values()[random.nextInt(AnsweredBy.values().length)];
            events.add(CallObservation.from(random.nextBoolean() ? Source.CALLBACK : Source.TWILIO_API).answeredBy(who).build());
        }
        return events;
    }

    static boolean contacted(CallState state, boolean machineDetection) {
        return ContactRule.leadContact(LEAD, null, state, machineDetection).isPresent();
    }

    @Test
    void withDetectionNeitherTheStateNorTheContactDependsOnWhenTheAmdResultArrives() {
        Random random = new Random(13);
        for (int call = 0; call < 2_000; call++) {
            List<CallObservation> events = eventsOfOneCallWithDetection(random);
            CallState inOrder = applyAll(events);
            boolean reachedAPerson = ContactRule.CONNECTED.contains(inOrder.status())
                    && ContactRule.A_PERSON.contains(inOrder.answeredBy());
            assertThat(contacted(inOrder, true)).as("call %d: contacted only by a person", call).isEqualTo(reachedAPerson);
            for (int shuffle = 0; shuffle < 20; shuffle++) {
                List<CallObservation> delivered = redeliveredShuffled(events, random);
                CallState state = CallState.initiated();
                boolean wasContacted = false;
                for (CallObservation o : delivered) {
                    state = CallTransition.apply(state, o);
                    boolean isContacted = contacted(state, true);
                    assertThat(isContacted || !wasContacted).as("call %d, delivery %d: a contact is never undone",
                            call, shuffle).isTrue();
                    wasContacted = isContacted;
                }
                assertThat(state).as("call %d, delivery %d", call, shuffle).isEqualTo(inOrder);
            }
        }
    }

    @Test
    void withoutDetectionTheAmdResultChangesNoContact() {
        Random random = new Random(14);
        for (int call = 0; call < 2_000; call++) {
            CallState state = applyAll(eventsOfOneCallWithDetection(random));
            assertThat(contacted(state, false)).isEqualTo(ContactRule.CONNECTED.contains(state.status()));
        }
    }

    /** The events as Twilio may deliver them: a quarter of them twice, in any order. */
    private static List<CallObservation> redeliveredShuffled(List<CallObservation> events, Random random) {
        List<CallObservation> delivered = new ArrayList<>(events);
        for (CallObservation e : events) {
            if (random.nextInt(4) == 0) {
                delivered.add(e);
            }
        }
        Collections.shuffle(delivered, random);
        return delivered;
    }
}
