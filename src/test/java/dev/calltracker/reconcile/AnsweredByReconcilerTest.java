package dev.calltracker.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.calltracker.testing.BrowserCall.Outcome.COMPLETED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.DatabaseOfItsOwn;
import dev.calltracker.testing.InjectWireMock;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answering-machine detection on, the AMD callback lost: the reconciler takes who answered from Twilio's Call
 * resource for calls that ended connected without a result (issue 16), and only for those.
 */
@QuarkusTest
@TestProfile(AnsweredByReconcilerTest.DetectionOnOwnDatabase.class)
class AnsweredByReconcilerTest extends ServiceTest {

    @Inject
    StuckCallReconciler reconciler;
    @InjectWireMock
    WireMockServer twilioApi;

    @BeforeEach
    void resetTwilio() {
        twilioApi.resetAll();
    }

    /** A call answered and completed half an hour ago, all its callbacks delivered but the AMD result. */
    BrowserCall endedWithoutAmdResult() {
        BrowserCall c = BrowserCall.to(sql.insertLead("new", LEAD_PHONE), LEAD_PHONE, COMPLETED,
                OffsetDateTime.now(ZoneOffset.UTC).minus(Duration.ofMinutes(30)));
        c.requests().forEach(request -> assertThat(twilio.send(request)).as("answer to %s", request).isIn(200, 204));
        assertThat(sql.call(c.parentSid()).getString("status")).isEqualTo("completed");
        assertThat(sql.lead(c.leadId()).getString("status")).as("no result: nobody reached yet").isEqualTo("new");
        return c;
    }

    void twilioSaysAnsweredBy(BrowserCall c, String answeredBy) {
        String json = """
                {"sid": "%s", "parent_call_sid": "%s", "status": "completed", "duration": "%d",
                 "direction": "outbound-dial", "answered_by": %s, "to": "%s"}"""
                .formatted(c.dialedSid(), c.parentSid(), c.durationSeconds(),
                        answeredBy == null ? "null" : "\"" + answeredBy + "\"", LEAD_PHONE);
        twilioApi.stubFor(get(urlPathEqualTo(ReconcilerTest.CALLS + "/" + c.dialedSid() + ".json")).willReturn(okJson(json)));
    }

    void run() {
        reconciler.run("test").await().atMost(Duration.ofMinutes(1));
    }

    @Test
    void aPersonAccordingToTwilioContactsTheLeadAtTheCallsEnd() {
        BrowserCall c = endedWithoutAmdResult();
        twilioSaysAnsweredBy(c, "human");
        run();

        Row call = sql.call(c.parentSid());
        assertThat(call.getString("answered_by")).isEqualTo("human");
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(c.endedAt());
        Row lead = sql.lead(c.leadId());
        assertThat(lead.getString("status")).isEqualTo("contacted");
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1 AND source = 'twilio-api'",
                c.parentSid())).isEqualTo(1);
    }

    @Test
    void aMachineAccordingToTwilioIsRecordedAndLeavesTheLead() {
        BrowserCall c = endedWithoutAmdResult();
        twilioSaysAnsweredBy(c, "machine_end_beep");
        run();

        assertThat(sql.call(c.parentSid()).getString("answered_by")).isEqualTo("machine_end_beep");
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("new");
    }

    @Test
    void withoutAResultAtTwilioEitherTheCallWaitsForItsReCheckAndIsNotAskedAgainMeanwhile() {
        BrowserCall c = endedWithoutAmdResult();
        twilioSaysAnsweredBy(c, null);
        run();
        run();

        Row call = sql.call(c.parentSid());
        assertThat(call.getString("answered_by")).isNull();
        assertThat(call.getOffsetDateTime("reconcile_next_check_at")).isAfter(OffsetDateTime.now(ZoneOffset.UTC));
        assertThat(sql.lead(c.leadId()).getString("status")).isEqualTo("new");
        twilioApi.verify(1, getRequestedFor(urlPathEqualTo(ReconcilerTest.CALLS + "/" + c.dialedSid() + ".json")));
    }

    @Test
    void callsWithAResultAndCallsNotConnectedAreNeverAsked() {
        BrowserCall answered = endedWithoutAmdResult();
        assertThat(twilio.send(TwilioFake.amd(answered.dialedSid(), "human"))).isEqualTo(204);
        BrowserCall busy = BrowserCall.to(sql.insertLead("new", LEAD_PHONE), LEAD_PHONE, BrowserCall.Outcome.BUSY,
                OffsetDateTime.now(ZoneOffset.UTC).minus(Duration.ofMinutes(30)));
        busy.requests().forEach(twilio::send);
        run();

        twilioApi.verify(0, getRequestedFor(urlPathEqualTo(ReconcilerTest.CALLS + "/" + answered.dialedSid() + ".json")));
        twilioApi.verify(0, getRequestedFor(urlPathEqualTo(ReconcilerTest.CALLS + "/" + busy.dialedSid() + ".json")));
    }

    public static class DetectionOnOwnDatabase extends DatabaseOfItsOwn {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("calling.machine-detection", "Enable");
        }
    }
}
