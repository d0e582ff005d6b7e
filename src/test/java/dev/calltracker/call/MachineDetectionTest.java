package dev.calltracker.call;

import static dev.calltracker.testing.BrowserCall.Outcome.COMPLETED;
import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.ReadApi.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Answering-machine detection on: who answered decides whether the lead was reached, in any order. */
@QuarkusTest
@TestProfile(MachineDetectionTest.DetectionOn.class)
class MachineDetectionTest extends ServiceTest {

    /** For the test that holds an AMD result's transaction open. */
    @Inject
    Pool pool;
    @Inject
    CallRepository calls;

    BrowserCall startCall() {
        BrowserCall c = BrowserCall.to(sql.insertLead("new", LEAD_PHONE), LEAD_PHONE, COMPLETED);
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200);
        return c;
    }

    static Map<String, String> amd(BrowserCall c, String answeredBy) {
        return TwilioFake.amd(c.dialedSid(), answeredBy);
    }

    void send(Map<String, String> request) {
        int status = twilio.post(TwilioFake.pathOf(request), request).then().extract().statusCode();
        assertThat(status).as("answer to %s", request).isIn(200, 204);
    }

    void sendAmd(BrowserCall c, String answeredBy) {
        twilio.post(TwilioFake.AMD_PATH, amd(c, answeredBy)).then().statusCode(204);
    }

    void sendEverything(BrowserCall c) {
        c.requests().stream().skip(1).forEach(this::send);
    }

    void assertLead(BrowserCall c, String status, OffsetDateTime lastContactedAt) {
        Row lead = sql.lead(c.leadId());
        assertThat(lead.getString("status")).isEqualTo(status);
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(lastContactedAt);
    }

    void assertLeadUntouched(BrowserCall c) {
        assertLead(c, "new", null);
    }

    void assertCall(BrowserCall c, String status, String answeredBy) {
        Row call = sql.call(c.parentSid());
        assertThat(call.getString("status")).isEqualTo(status);
        assertThat(call.getString("answered_by")).isEqualTo(answeredBy);
    }

    long amdEvents(BrowserCall c) {
        return sql.count("SELECT count(*) FROM call_events WHERE leg_sid = $1 AND kind = 'amd'", c.dialedSid());
    }

    @Test
    void theDialAsksForDetectionWithItsOwnCallback() {
        BrowserCall c = BrowserCall.to(sql.insertLead("new", LEAD_PHONE), LEAD_PHONE, COMPLETED);
        String twiml = twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200).extract().asString();
        assertThat(twiml).contains("machineDetection=\"DetectMessageEnd\"", "machineDetectionTimeout=\"20\"",
                "amdStatusCallback=\"" + twilio.publicBaseUrl() + TwilioFake.AMD_PATH + TwilioFake.CALLBACK_FRAGMENT.replace("&", "&amp;"),
                "amdStatusCallbackMethod=\"POST\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"human", "machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other",
            "fax", "unknown"})
    void everyAnsweredByValueBetweenAnswerAndEndDecidesWhetherTheLeadWasReached(String answeredBy) {
        boolean person = answeredBy.equals("human") || answeredBy.equals("unknown");
        BrowserCall c = startCall();
        send(c.dialedStatusCallback("initiated"));
        send(c.dialedStatusCallback("ringing"));
        send(c.dialedStatusCallback("in-progress"));
        assertLeadUntouched(c); // answered, but who answered is not known yet: nothing to undo later

        sendAmd(c, answeredBy);
        assertLead(c, person ? "contacted" : "new", person ? c.answeredAt() : null);

        send(c.dialedStatusCallback("completed"));
        assertLead(c, person ? "contacted" : "new", person ? c.endedAt() : null);
        assertCall(c, "completed", answeredBy);

        asCrmUser().get("/api/calls/" + c.parentSid()).then().statusCode(200)
                .body("answeredBy", equalTo(answeredBy))
                .body("events.kind", hasItem("amd"));
        asCrmUser().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(200)
                .body("[0].answeredBy", equalTo(answeredBy));
    }

    @Test
    void anAmdResultBeforeAnyCallbackOfItsLegIsAppliedOnceTheLegIsKnown() {
        BrowserCall c = startCall();
        sendAmd(c, "human");
        assertThat(sql.call(c.parentSid()).getString("answered_by")).isNull();
        assertThat(amdEvents(c)).isEqualTo(1);

        sendEverything(c);
        assertThat(sql.call(c.parentSid()).getString("answered_by")).isEqualTo("human");
        assertLead(c, "contacted", c.endedAt());
        asCrmUser().get("/api/calls/" + c.parentSid()).then().statusCode(200)
                .body("answeredBy", equalTo("human"))
                .body("events.kind", hasItem("amd"));
    }

    @Test
    void aMachineResultBeforeTheLegIsKnownNeverContacts() {
        BrowserCall c = startCall();
        sendAmd(c, "machine_end_beep");
        sendEverything(c);
        assertLeadUntouched(c);
        assertCall(c, "completed", "machine_end_beep");
        asOperator().get("/api/diagnostics/calls-by-answered-by").then().statusCode(200)
                .body("machine_end_beep", greaterThanOrEqualTo(1));
    }

    @Test
    void anAmdResultAfterTheCallEndedStillDecides() {
        BrowserCall c = startCall();
        sendEverything(c);
        assertLeadUntouched(c);

        sendAmd(c, "human");
        assertLead(c, "contacted", c.endedAt());
    }

    @Test
    void withoutAnAmdResultTheLeadIsLeftAsItWas() {
        BrowserCall c = startCall();
        sendEverything(c);
        assertLeadUntouched(c);
        assertCall(c, "completed", null);
    }

    @Test
    void aRedeliveredAmdCallbackIsStoredAndAppliedOnce() {
        BrowserCall c = startCall();
        send(c.dialedStatusCallback("initiated"));
        send(c.dialedStatusCallback("in-progress"));
        sendAmd(c, "human");
        sendAmd(c, "human");
        sendAmd(c, "fax"); // one result per dialed leg: a second one is a re-delivery
        assertThat(amdEvents(c)).isEqualTo(1);
        assertThat(sql.call(c.parentSid()).getString("answered_by")).isEqualTo("human");
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("contacted");
    }

    @Test
    void anAmdCallbackRedeliveredAfterTheCallLearntItsLegIsStillADuplicate() {
        BrowserCall c = startCall();
        sendAmd(c, "human"); // no call knows the leg yet
        send(c.dialedStatusCallback("initiated"));
        sendAmd(c, "human"); // Twilio's retry, now that the call knows the leg
        assertThat(amdEvents(c)).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1 AND kind = 'amd'", c.dialedSid()))
                .as("stored under the leg it names").isEqualTo(1);
        assertThat(sql.call(c.parentSid()).getString("answered_by")).isEqualTo("human");
    }

    @Test
    void aForgedAmdCallbackIsRefusedAndWritesNothing() {
        BrowserCall c = startCall();
        send(c.dialedStatusCallback("initiated"));
        send(c.dialedStatusCallback("in-progress"));
        twilio.withAuthToken("not-the-auth-token").post(TwilioFake.AMD_PATH, amd(c, "human")).then().statusCode(403);
        assertThat(amdEvents(c)).isZero();
        assertThat(sql.call(c.parentSid()).getString("answered_by")).isNull();
        assertLeadUntouched(c);
    }

    @Test
    void anAmdResultBeforeOnlyTheDialActionIsLinkedThroughTheLegTheActionNames() {
        BrowserCall c = startCall();
        sendAmd(c, "human");
        List<Map<String, String>> dial = c.dialedLegAndAction();
        send(dial.get(dial.size() - 1)); // the <Dial> action alone (the dialed leg's callbacks were lost)
        assertCall(c, "completed", "human");
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("contacted");
    }

    /**
     * The AMD result's transaction is still open when the first callback that teaches the call its dialed leg
     * arrives: neither could see the other's write. The callback must wait for the result to commit and apply
     * it, or the call would stay without a result and the lead uncontacted.
     */
    @Test
    void anAmdResultCommittedWhileTheCallLearnsItsLegIsNotLost() {
        BrowserCall c = startCall();
        CallEvent result = new CallEvent(c.dialedSid(), c.dialedSid(), CallEventKind.AMD, "human", null, null,
                OffsetDateTime.now(ZoneOffset.UTC), CallEventKind.AMD.dedupeKey(c.dialedSid()), amd(c, "human"),
                CallObservation.from(Source.CALLBACK).answeredBy(AnsweredBy.HUMAN).build());
        SqlConnection connection = pool.getConnection().await().indefinitely();
        CompletableFuture<Void> answered;
        try {
            Transaction amdTransaction = connection.begin().await().indefinitely();
            calls.lockDialedLeg(connection, c.dialedSid()).await().indefinitely();
            assertThat(calls.appendAmdResultAndLockCall(connection, result).await().indefinitely()
                    .orElseThrow().call()).as("no call knows the dialed leg yet").isEmpty();

            answered = CompletableFuture.runAsync(() -> send(c.dialedStatusCallback("in-progress")));
            // Until the callback either answered (it did not wait) or waits for a lock the AMD transaction holds.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!answered.isDone() && sql.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND NOT granted") == 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            amdTransaction.commit().await().indefinitely();
        } finally {
            connection.close().await().indefinitely();
        }
        answered.join();

        assertCall(c, "in-progress", "human");
        assertLead(c, "contacted", c.answeredAt());
    }

    public static class DetectionOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("calling.machine-detection", "DetectMessageEnd", "calling.machine-detection-timeout", "20s");
        }
    }
}
