package dev.calltracker.reliability;

import static dev.calltracker.testing.TwilioFake.dialAction;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.parentStatus;
import static dev.calltracker.testing.TwilioFake.recording;
import static dev.calltracker.testing.TwilioFake.voice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Suite 1: a callback storm. 500 calls with mixed outcomes, every request of each call shuffled with
 * the others, 20% delivered twice, by 32 concurrent clients, signed as Twilio signs. The final state of
 * every call, lead and timeline must equal what in-order delivery gives.
 */
@QuarkusTest
class CallbackStormTest {

    static final int CALLS = 500;
    static final int CLIENTS = 32;
    static final double DUPLICATED = 0.20;

    enum Outcome { COMPLETED, BUSY, NO_ANSWER, FAILED, CANCELED, HUNG_UP_BEFORE_DIAL }

    /** One call of the storm with what in-order delivery gives. */
    record StormCall(String parent, String child, UUID lead, Outcome outcome, String expectedStatus,
                     OffsetDateTime expectedEnd, Integer expectedDuration, boolean contactsLead,
                     List<Map<String, String>> requests) {
    }

    @Inject
    Pool pool;

    @Test
    void aShuffledDuplicatedConcurrentStormEndsAsInOrderDeliveryWould() throws Exception {
        TestSql sql = new TestSql(pool);
        TwilioFake twilio = TwilioFake.forTests();
        Random random = new Random(20261125);
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minusHours(1);

        List<StormCall> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            Outcome outcome = Outcome.values()[i % Outcome.values().length];
            String phone = "+1555%07d".formatted(2_000_000 + i);
            UUID lead = sql.insertLead("new", phone);
            calls.add(stormCall(outcome, newSid("CA"), newSid("CA"), lead, phone, base.plusSeconds(i)));
        }

        // Every request of every call, and the re-deliveries, shuffled together: even the voice webhook may
        // arrive after the call's callbacks (Twilio would not do that for a first delivery, but a slow
        // first attempt and its retry can cross), and the outcome must not depend on it.
        List<Map<String, String>> all = new ArrayList<>();
        int duplicates = 0;
        for (StormCall c : calls) {
            all.addAll(c.requests());
            for (Map<String, String> r : c.requests()) {
                if (random.nextDouble() < DUPLICATED) {
                    all.add(r);
                    duplicates++;
                }
            }
        }
        Collections.shuffle(all, random);
        int sent = deliver(twilio, all);

        int mismatches = 0;
        List<String> problems = new ArrayList<>();
        for (StormCall c : calls) {
            Row call = sql.call(c.parent());
            Row lead = sql.lead(c.lead());
            List<String> wrong = new ArrayList<>();
            check(wrong, "status", c.expectedStatus(), call.getString("status"));
            check(wrong, "ended_at", c.expectedEnd(), call.getOffsetDateTime("ended_at"));
            check(wrong, "duration", c.expectedDuration(), call.getInteger("duration_seconds"));
            check(wrong, "lead status", c.contactsLead() ? "contacted" : "new", lead.getString("status"));
            check(wrong, "last_contacted_at", c.contactsLead() ? c.expectedEnd() : null,
                    lead.getOffsetDateTime("last_contacted_at"));
            check(wrong, "activities", 1L, sql.count("SELECT count(*) FROM lead_activities WHERE lead_id = $1", c.lead()));
            check(wrong, "events", (long) c.requests().size(),
                    sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1", c.parent()));
            if (c.outcome() == Outcome.HUNG_UP_BEFORE_DIAL) {
                check(wrong, "parent ended", true, call.getOffsetDateTime("parent_ended_at") != null);
            }
            if (!wrong.isEmpty()) {
                mismatches++;
                problems.add(c.outcome() + " " + c.parent() + ": " + wrong);
            }
        }
        System.out.printf("Callback storm: calls=%d requests=%d duplicates=%d clients=%d mismatches=%d%n",
                CALLS, sent, duplicates, CLIENTS, mismatches);
        assertThat(problems).as("calls whose final state differs from in-order delivery").isEmpty();
    }

    private static void check(List<String> wrong, String what, Object expected, Object actual) {
        boolean same = expected instanceof OffsetDateTime e && actual instanceof OffsetDateTime a ? e.isEqual(a)
                : Objects.equals(expected, actual);
        if (!same) {
            wrong.add(what + " expected " + expected + " but was " + actual);
        }
    }

    /** Sends every request from {@link #CLIENTS} threads; every answer must be 2xx. */
    private static int deliver(TwilioFake twilio, List<Map<String, String>> requests) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger failures = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Map<String, String> r : requests) {
                done.add(clients.submit(() -> {
                    int status = twilio.send(TwilioFake.pathOf(r), r);
                    if (status < 200 || status > 299) {
                        failures.incrementAndGet();
                        System.out.println("storm request answered " + status + ": " + r);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(failures.get()).as("requests not answered 2xx").isZero();
        return requests.size();
    }

    static StormCall stormCall(Outcome outcome, String parent, String child, UUID lead, String phone, OffsetDateTime t0) {
        List<Map<String, String>> r = new ArrayList<>();
        r.add(voice(parent, phone, lead.toString()));
        OffsetDateTime end;
        switch (outcome) {
            case COMPLETED -> {
                end = t0.plusSeconds(70);
                r.add(dialedStatus(parent, child, "initiated", 0, t0, null));
                r.add(dialedStatus(parent, child, "ringing", 1, t0.plusSeconds(2), null));
                r.add(dialedStatus(parent, child, "in-progress", 2, t0.plusSeconds(10), null));
                r.add(dialedStatus(parent, child, "completed", 3, end, 60));
                r.add(dialAction(parent, child, "completed", 60));
                r.add(recording(parent, newSid("RE"), 59));
                r.add(parentStatus(parent, "completed", end.plusSeconds(1), 75));
                return new StormCall(parent, child, lead, outcome, "completed", end, 60, true, r);
            }
            case BUSY, NO_ANSWER, CANCELED -> {
                String status = outcome.name().toLowerCase().replace('_', '-');
                end = t0.plusSeconds(outcome == Outcome.BUSY ? 3 : 25);
                r.add(dialedStatus(parent, child, "initiated", 0, t0, null));
                r.add(dialedStatus(parent, child, "ringing", 1, t0.plusSeconds(2), null));
                r.add(dialedStatus(parent, child, status, 2, end, 0));
                r.add(dialAction(parent, child, status, 0));
                r.add(parentStatus(parent, "completed", end.plusSeconds(1), 30));
                return new StormCall(parent, child, lead, outcome, status, end, 0, false, r);
            }
            case FAILED -> {
                end = t0.plusSeconds(1);
                r.add(dialedStatus(parent, child, "initiated", 0, t0, null));
                r.add(dialedStatus(parent, child, "failed", 1, end, 0));
                r.add(dialAction(parent, child, "failed", 0));
                r.add(parentStatus(parent, "completed", end.plusSeconds(1), 2));
                return new StormCall(parent, child, lead, outcome, "failed", end, 0, false, r);
            }
            default -> {
                // The agent hung up before Twilio dialed: only the parent leg ends. The reconciler later
                // closes such a call as canceled (Twilio lists no dialed leg); callbacks alone leave it open.
                r.add(parentStatus(parent, "completed", t0.plusSeconds(1), 1));
                return new StormCall(parent, null, lead, outcome, "initiated", null, null, false, r);
            }
        }
    }
}
