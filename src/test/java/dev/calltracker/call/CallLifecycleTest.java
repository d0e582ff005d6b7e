package dev.calltracker.call;

import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.BrowserCall.Outcome.COMPLETED;
import static dev.calltracker.testing.TwilioFake.dialAction;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.parentStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.ConcurrentDelivery;
import dev.calltracker.testing.ConcurrentDelivery.Answer;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CallLifecycleTest extends ServiceTest {

    /** A lead with {@code leadStatus} and a call to it whose voice request the service has answered. */
    BrowserCall startCall(String leadStatus, Outcome outcome) {
        BrowserCall c = BrowserCall.to(sql.insertLead(leadStatus, LEAD_PHONE), LEAD_PHONE, outcome);
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200);
        return c;
    }

    BrowserCall startAnsweredCall() {
        return startCall("new", COMPLETED);
    }

    void send(Map<String, String> request) {
        int status = twilio.post(TwilioFake.pathOf(request), request).then().extract().statusCode();
        assertThat(status).as("answer to %s", request).isIn(200, 204);
    }

    @Test
    void answeredCallCompletesAndContactsTheLead() {
        BrowserCall c = startAnsweredCall();
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("initiated");

        c.requests().stream().skip(1).forEach(this::send);

        assertThat(sql.mismatches(List.of(c))).isEmpty();
        Row call = sql.call(c.parentSid());
        assertThat(call.getInteger("duration_seconds")).isEqualTo(42);
        assertThat(call.getString("recording_url")).contains("/Recordings/RE");
        assertThat(call.getInteger("recording_duration_seconds")).isEqualTo(40);
        assertThat(call.getString("resolution")).isEqualTo("callback");
        assertThat(sql.eventsOf(c.parentSid())).isEqualTo(8);

        asCrmUser().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].status", equalTo("completed"))
                .body("[0].durationSeconds", equalTo(42))
                .body("[0].callSid", equalTo(c.parentSid()))
                .body("[0].recordingUrl", equalTo(call.getString("recording_url")));
        asCrmUser().get("/api/calls/" + c.parentSid()).then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("events", hasSize(8))
                .body("events[0].kind", equalTo("voice"));
    }

    @Test
    void answeredContactsTheLeadImmediately() {
        BrowserCall c = startAnsweredCall();
        send(c.dialedStatusCallback("initiated"));
        send(c.dialedStatusCallback("ringing"));
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("new");
        send(c.dialedStatusCallback("in-progress"));
        Row lead = sql.lead(c.leadId());
        assertThat(lead.getString("status")).isEqualTo("contacted");
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.answeredAt());
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("in-progress");
    }

    @Test
    void everyOrderOfTheDialedLegEventsAndTheActionEndsInTheSameState() {
        List<List<Map<String, String>>> orders = new ArrayList<>();
        List<BrowserCall> calls = new ArrayList<>();
        for (List<Integer> permutation : permutations(List.of(0, 1, 2, 3, 4))) {
            BrowserCall c = startAnsweredCall();
            List<Map<String, String>> requests = c.dialedLegAndAction();
            orders.add(permutation.stream().map(requests::get).toList());
            calls.add(c);
        }
        assertThat(orders).hasSize(120);
        for (List<Map<String, String>> order : orders) {
            order.forEach(this::send);
        }
        assertThat(sql.mismatches(calls, BrowserCall::finalStateAfterTheDial)).isEmpty();
    }

    @Test
    void duplicatesAreStoredOnceAndGiveOneActivity() {
        BrowserCall c = startAnsweredCall();
        for (Map<String, String> request : c.dialedLegAndAction()) {
            send(request);
            send(request);
        }
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200);
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = $1", c.parentSid())).isEqualTo(1);
        assertThat(sql.eventsOf(c.parentSid())).isEqualTo(6);
        assertThat(sql.mismatches(List.of(c), BrowserCall::finalStateAfterTheDial))
                .as("one activity, contacted at the end").isEmpty();
    }

    @Test
    void busyAndNoAnswerDoNotContactTheLeadButAppearOnItsTimeline() {
        for (Outcome outcome : List.of(Outcome.BUSY, Outcome.NO_ANSWER, Outcome.FAILED, Outcome.CANCELED)) {
            BrowserCall c = startCall("new", outcome);
            c.dialedLegAndAction().forEach(this::send);

            assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo(outcome.finalStatus);
            Row lead = sql.lead(c.leadId());
            assertThat(lead.getString("status")).as(outcome.name()).isEqualTo("new");
            assertThat(lead.getOffsetDateTime("last_contacted_at")).as(outcome.name()).isNull();
            asCrmUser().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(200)
                    .body("$", hasSize(1)).body("[0].status", equalTo(outcome.finalStatus));
        }
    }

    @Test
    void aLeadBeyondNewKeepsItsStatusButGetsItsContactTime() {
        BrowserCall c = startCall("qualified", COMPLETED);
        c.dialedLegAndAction().forEach(this::send);
        assertThat(sql.mismatches(List.of(c), call -> call.finalStateAfterTheDial().withLeadStatus("qualified")))
                .as("contacted at the end of the call, still qualified").isEmpty();
    }

    @Test
    void lastContactedAtNeverMovesBackwards() {
        BrowserCall c = startAnsweredCall();
        OffsetDateTime later = c.endedAt().plusDays(1);
        sql.execute("UPDATE leads SET last_contacted_at = $1 WHERE id = $2", later, c.leadId());
        c.dialedLegAndAction().forEach(this::send);
        assertThat(sql.lead(c.leadId()).getOffsetDateTime("last_contacted_at")).isEqualTo(later);
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("contacted");
    }

    @Test
    void lateRingingCallbackDoesNotReopenCompletedCall() {
        BrowserCall c = startAnsweredCall();
        for (String status : List.of("completed", "ringing", "initiated")) {
            send(c.dialedStatusCallback(status));
        }
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
    }

    @Test
    void actionAloneClosesTheCallWithAnEstimatedEndThatTwiliosTimestampReplaces() {
        BrowserCall c = startAnsweredCall();
        send(c.action());
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getBoolean("ended_at_estimated")).isTrue();
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("contacted");

        send(c.dialedStatusCallback("completed"));
        assertThat(sql.call(c.parentSid()).getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
        assertThat(sql.lead(c.leadId()).getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
    }

    @Test
    void theParentsStatusInTheActionRequestIsNeverTheOutcome() {
        BrowserCall c = startAnsweredCall();
        send(dialAction(c.parentSid(), c.dialedSid(), "no-answer", 0));
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("no-answer");
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
        asCrmUser().get("/api/calls/" + child).then().statusCode(200).body("callSid", equalTo(parent));
    }

    @Test
    void anUnknownStatusIsStoredAndChangesNothing() {
        BrowserCall c = startAnsweredCall();
        OffsetDateTime t = c.answeredAt();
        send(dialedStatus(c.parentSid(), c.dialedSid(), "ringing", 1, t, null));
        send(dialedStatus(c.parentSid(), c.dialedSid(), "teleported", 2, t.plusSeconds(1), null));
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("ringing");
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1 AND status = 'teleported'",
                c.parentSid())).isEqualTo(1);
    }

    @Test
    void parentLegEndingIsEvidenceNotAnOutcome() {
        BrowserCall c = startAnsweredCall();
        send(parentStatus(c.parentSid(), "completed", c.endedAt(), 30));
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo("initiated");
        assertThat(call.getOffsetDateTime("parent_ended_at")).isEqualTo(c.endedAt());
    }

    @Test
    void concurrentDeliveryOfOneCallsEventsEndsConsistent() {
        List<BrowserCall> calls = new ArrayList<>();
        List<Map<String, String>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            BrowserCall c = startAnsweredCall();
            calls.add(c);
            for (Map<String, String> r : c.dialedLegAndAction()) {
                all.add(r);
                all.add(r); // every event twice, concurrently
            }
        }
        Collections.shuffle(all, new Random(42));
        List<Answer> answers = ConcurrentDelivery.byClients(16).send(all, twilio::send);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).as("answer to %s", a.request()).isIn(200, 204));
        assertThat(sql.mismatches(calls, BrowserCall::finalStateAfterTheDial)).isEmpty();
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
