package dev.calltracker.call;

import static dev.calltracker.testing.TwilioFake.dialAction;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.parentStatus;
import static dev.calltracker.testing.TwilioFake.recording;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

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
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CallLifecycleTest {

    static final String LEAD_PHONE = "+15551230000";

    @Inject
    Pool pool;

    TestSql sql;
    final TwilioFake twilio = TwilioFake.forTests();

    @BeforeEach
    void setUp() {
        sql = new TestSql(pool);
    }

    /** One browser call to a lead, with the times Twilio would report. */
    record PlayedCall(String parentSid, String childSid, UUID leadId, OffsetDateTime answeredAt, OffsetDateTime endedAt) {
    }

    PlayedCall startCall(String leadStatus) {
        UUID lead = sql.insertLead(leadStatus, LEAD_PHONE);
        String parent = newSid("CA");
        twilio.post(TwilioFake.VOICE_PATH, voice(parent, LEAD_PHONE, lead.toString())).then().statusCode(200);
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minusMinutes(5);
        return new PlayedCall(parent, newSid("CA"), lead, t0.plusSeconds(8), t0.plusSeconds(8 + 42));
    }

    /** The dialed leg's four status callbacks of an answered call, plus the action request. */
    List<Map<String, String>> completedCallRequests(PlayedCall c) {
        OffsetDateTime t0 = c.answeredAt().minusSeconds(8);
        return List.of(
                dialedStatus(c.parentSid(), c.childSid(), "initiated", 0, t0, null),
                dialedStatus(c.parentSid(), c.childSid(), "ringing", 1, t0.plusSeconds(2), null),
                dialedStatus(c.parentSid(), c.childSid(), "in-progress", 2, c.answeredAt(), null),
                dialedStatus(c.parentSid(), c.childSid(), "completed", 3, c.endedAt(), 42),
                dialAction(c.parentSid(), c.childSid(), "completed", 42));
    }

    void send(Map<String, String> request) {
        String path = request.containsKey("DialCallStatus") || request.containsKey("ParentCallSid")
                || !request.containsKey("RecordingSid") ? TwilioFake.WEBHOOK_PATH : TwilioFake.RECORDING_PATH;
        int status = twilio.post(path, request).then().extract().statusCode();
        assertThat(status).as("answer to %s", request).isIn(200, 204);
    }

    @Test
    void answeredCallCompletesAndContactsTheLead() {
        PlayedCall c = startCall("new");
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("initiated");

        completedCallRequests(c).forEach(this::send);
        send(recording(c.parentSid(), newSid("RE"), 40));
        send(parentStatus(c.parentSid(), "completed", c.endedAt().plusSeconds(1), 50));

        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getString("dialed_call_sid")).isEqualTo(c.childSid());
        assertThat(call.getInteger("duration_seconds")).isEqualTo(42);
        assertThat(call.getOffsetDateTime("answered_at")).isEqualTo(c.answeredAt());
        assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
        assertThat(call.getBoolean("ended_at_estimated")).isFalse();
        assertThat(call.getString("recording_url")).contains("/Recordings/RE");
        assertThat(call.getInteger("recording_duration_seconds")).isEqualTo(40);
        assertThat(call.getOffsetDateTime("parent_ended_at")).isNotNull();
        assertThat(call.getString("resolution")).isEqualTo("callback");

        Row lead = sql.lead(c.leadId());
        assertThat(lead.getString("status")).isEqualTo("contacted");
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1", c.parentSid())).isEqualTo(8);

        given().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].status", equalTo("completed"))
                .body("[0].durationSeconds", equalTo(42))
                .body("[0].callSid", equalTo(c.parentSid()))
                .body("[0].recordingUrl", equalTo(call.getString("recording_url")));
        given().get("/api/calls/" + c.parentSid()).then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("events", hasSize(8))
                .body("events[0].kind", equalTo("voice"));
    }

    @Test
    void answeredContactsTheLeadImmediately() {
        PlayedCall c = startCall("new");
        List<Map<String, String>> requests = completedCallRequests(c);
        send(requests.get(0));
        send(requests.get(1));
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("new");
        send(requests.get(2));
        Row lead = sql.lead(c.leadId());
        assertThat(lead.getString("status")).isEqualTo("contacted");
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.answeredAt());
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("in-progress");
    }

    @Test
    void everyOrderOfTheDialedLegEventsAndTheActionEndsInTheSameState() {
        List<List<Map<String, String>>> orders = new ArrayList<>();
        List<PlayedCall> calls = new ArrayList<>();
        for (List<Integer> permutation : permutations(List.of(0, 1, 2, 3, 4))) {
            PlayedCall c = startCall("new");
            List<Map<String, String>> requests = completedCallRequests(c);
            orders.add(permutation.stream().map(requests::get).toList());
            calls.add(c);
        }
        assertThat(orders).hasSize(120);
        for (List<Map<String, String>> order : orders) {
            order.forEach(this::send);
        }
        for (PlayedCall c : calls) {
            Row call = sql.call(c.parentSid());
            assertThat(call.getString("status")).isEqualTo("completed");
            assertThat(call.getString("dialed_call_sid")).isEqualTo(c.childSid());
            assertThat(call.getInteger("duration_seconds")).isEqualTo(42);
            assertThat(call.getOffsetDateTime("answered_at")).isEqualTo(c.answeredAt());
            assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
            assertThat(call.getBoolean("ended_at_estimated")).isFalse();
            Row lead = sql.lead(c.leadId());
            assertThat(lead.getString("status")).isEqualTo("contacted");
            assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
            assertThat(sql.count("SELECT count(*) FROM lead_activities WHERE lead_id = $1", c.leadId())).isEqualTo(1);
        }
    }

    @Test
    void duplicatesAreStoredOnceAndGiveOneActivity() {
        PlayedCall c = startCall("new");
        for (Map<String, String> request : completedCallRequests(c)) {
            send(request);
            send(request);
        }
        twilio.post(TwilioFake.VOICE_PATH, voice(c.parentSid(), LEAD_PHONE, c.leadId().toString())).then().statusCode(200);
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = $1", c.parentSid())).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1", c.parentSid())).isEqualTo(6);
        assertThat(sql.count("SELECT count(*) FROM lead_activities WHERE lead_id = $1", c.leadId())).isEqualTo(1);
        assertThat(sql.lead(c.leadId()).getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
    }

    @Test
    void busyAndNoAnswerDoNotContactTheLeadButAppearOnItsTimeline() {
        for (String outcome : List.of("busy", "no-answer", "failed", "canceled")) {
            PlayedCall c = startCall("new");
            OffsetDateTime t0 = c.answeredAt().minusSeconds(8);
            send(dialedStatus(c.parentSid(), c.childSid(), "initiated", 0, t0, null));
            send(dialedStatus(c.parentSid(), c.childSid(), "ringing", 1, t0.plusSeconds(1), null));
            send(dialedStatus(c.parentSid(), c.childSid(), outcome, 2, t0.plusSeconds(30), 0));
            send(dialAction(c.parentSid(), c.childSid(), outcome, 0));

            assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo(outcome);
            Row lead = sql.lead(c.leadId());
            assertThat(lead.getString("status")).as(outcome).isEqualTo("new");
            assertThat(lead.getOffsetDateTime("last_contacted_at")).as(outcome).isNull();
            given().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(200)
                    .body("$", hasSize(1)).body("[0].status", equalTo(outcome));
        }
    }

    @Test
    void aLeadBeyondNewKeepsItsStatusButGetsItsContactTime() {
        PlayedCall c = startCall("qualified");
        completedCallRequests(c).forEach(this::send);
        Row lead = sql.lead(c.leadId());
        assertThat(lead.getString("status")).isEqualTo("qualified");
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
    }

    @Test
    void lastContactedAtNeverMovesBackwards() {
        PlayedCall c = startCall("new");
        OffsetDateTime later = c.endedAt().plusDays(1);
        sql.rows("UPDATE leads SET last_contacted_at = $1 WHERE id = $2", later, c.leadId());
        completedCallRequests(c).forEach(this::send);
        assertThat(sql.lead(c.leadId()).getOffsetDateTime("last_contacted_at")).isEqualTo(later);
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("contacted");
    }

    @Test
    void lateRingingCallbackDoesNotReopenCompletedCall() {
        PlayedCall c = startCall("new");
        List<Map<String, String>> requests = completedCallRequests(c);
        send(requests.get(3));
        send(requests.get(1));
        send(requests.get(0));
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
    }

    @Test
    void actionAloneClosesTheCallWithAnEstimatedEndThatTwiliosTimestampReplaces() {
        PlayedCall c = startCall("new");
        List<Map<String, String>> requests = completedCallRequests(c);
        send(requests.get(4));
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getBoolean("ended_at_estimated")).isTrue();
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("contacted");

        send(requests.get(3));
        assertThat(sql.call(c.parentSid()).getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
        assertThat(sql.lead(c.leadId()).getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
    }

    @Test
    void theParentsStatusInTheActionRequestIsNeverTheOutcome() {
        PlayedCall c = startCall("new");
        send(dialAction(c.parentSid(), c.childSid(), "no-answer", 0));
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("no-answer");
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("new");
    }

    @Test
    void aCallbackForAnUnknownCallIsKeptAndCreatesTheCall() {
        String parent = newSid("CA");
        String child = newSid("CA");
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        send(dialedStatus(parent, child, "ringing", 1, t, null));
        Row call = sql.call(parent);
        assertThat(call.getString("status")).isEqualTo("ringing");
        assertThat(call.getUUID("lead_id")).isNull();
        assertThat(call.getString("dialed_call_sid")).isEqualTo(child);
        given().get("/api/calls/" + child).then().statusCode(200).body("callSid", equalTo(parent));
    }

    @Test
    void anUnknownStatusIsStoredAndChangesNothing() {
        PlayedCall c = startCall("new");
        OffsetDateTime t = c.answeredAt();
        send(dialedStatus(c.parentSid(), c.childSid(), "ringing", 1, t, null));
        send(dialedStatus(c.parentSid(), c.childSid(), "teleported", 2, t.plusSeconds(1), null));
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("ringing");
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1 AND status = 'teleported'",
                c.parentSid())).isEqualTo(1);
    }

    @Test
    void parentLegEndingIsEvidenceNotAnOutcome() {
        PlayedCall c = startCall("new");
        send(parentStatus(c.parentSid(), "completed", c.endedAt(), 30));
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("initiated");
        assertThat(call.getOffsetDateTime("parent_ended_at")).isEqualTo(c.endedAt());
    }

    @Test
    void concurrentDeliveryOfOneCallsEventsEndsConsistent() throws Exception {
        List<PlayedCall> calls = new ArrayList<>();
        List<Map<String, String>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PlayedCall c = startCall("new");
            calls.add(c);
            for (Map<String, String> r : completedCallRequests(c)) {
                all.add(r);
                all.add(r); // every event twice, concurrently
            }
        }
        Collections.shuffle(all, new Random(42));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Map<String, String> r : all) {
                futures.add(threads.submit(() -> send(r)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        for (PlayedCall c : calls) {
            Row call = sql.call(c.parentSid());
            assertThat(call.getString("status")).isEqualTo("completed");
            assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
            assertThat(sql.lead(c.leadId()).getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
            assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1", c.parentSid())).isEqualTo(6);
            assertThat(sql.count("SELECT count(*) FROM lead_activities WHERE lead_id = $1", c.leadId())).isEqualTo(1);
        }
    }

    static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T head = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(head);
                p.addAll(tail);
                result.add(p);
            }
        }
        return result;
    }
}
