package dev.calltracker.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
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
        List<CallState> states = statesAfter(events);
        return states.get(states.size() - 1);
    }

    /** The call's state after each event (the initial state first), asserting that none moves backwards. */
    static List<CallState> statesAfter(List<CallObservation> events) {
        List<CallState> states = new ArrayList<>(List.of(initiated()));
        for (CallObservation o : events) {
            CallState state = states.get(states.size() - 1);
            CallState next = CallTransition.apply(state, o);
            assertThat(rank(next.status())).as("never backwards").isGreaterThanOrEqualTo(rank(state.status()));
            if (state.status().isTerminal()) {
                assertThat(next.status()).as("terminal is final").isEqualTo(state.status());
            }
            states.add(next);
        }
        return states;
    }

    /**
     * Generates 2,000 calls with {@code oneCall} and delivers each one's events 20 times, shuffled and partly
     * twice: every delivery ends in the state in-order delivery gives. {@code eachDelivery} gets the in-order
     * state and the states one delivery went through.
     */
    static void everyDeliveryEndsAsInOrder(long seed, Function<Random, List<CallObservation>> oneCall,
                                           BiConsumer<CallState, List<CallState>> eachDelivery) {
        Random random = new Random(seed);
        for (int call = 0; call < 2_000; call++) {
            List<CallObservation> events = oneCall.apply(random);
            CallState inOrder = applyAll(events);
            for (int shuffle = 0; shuffle < 20; shuffle++) {
                List<CallState> states = statesAfter(redeliveredShuffled(events, random));
                assertThat(states.get(states.size() - 1)).as("call %d, delivery %d", call, shuffle).isEqualTo(inOrder);
                eachDelivery.accept(inOrder, states);
            }
        }
    }

    static int rank(CallStatus s) {
        return s.isTerminal() ? 4 : s.ordinal();
    }

    @Test
    void theFinalStateDoesNotDependOnOrderOrDuplicates() {
        everyDeliveryEndsAsInOrder(11, CallTransitionPropertiesTest::eventsOfOneCall, (inOrder, states) -> { });
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

    static CallState initiated() {
        return new CallState(CallStatus.INITIATED, null, null, null, null, false, null, null, null, null, null, null, null);
    }

    static boolean contacted(CallState state, boolean machineDetection) {
        return new ContactRule(machineDetection).leadContact(LEAD, null, state).isPresent();
    }

    @Test
    void withDetectionNeitherTheStateNorTheContactDependsOnWhenTheAmdResultArrives() {
        everyDeliveryEndsAsInOrder(13, CallTransitionPropertiesTest::eventsOfOneCallWithDetection, (inOrder, states) -> {
            boolean reachedAPerson = ContactRule.CONNECTED.contains(inOrder.status())
                    && ContactRule.A_PERSON.contains(inOrder.answeredBy());
            assertThat(contacted(inOrder, true)).as("contacted only by a person: %s", inOrder).isEqualTo(reachedAPerson);
            for (int i = 1; i < states.size(); i++) {
                assertThat(contacted(states.get(i), true) || !contacted(states.get(i - 1), true))
                        .as("a contact is never undone: %s", states).isTrue();
            }
        });
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
