package dev.calltracker.it;

import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.calltracker.testing.AccessTokenVerifier;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.InjectWireMock;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.mutiny.sqlclient.Row;
import org.junit.jupiter.api.Test;

/**
 * The essential end-to-end behaviour, black-box against the packaged artifact: the fast-jar in
 * {@code ./mvnw verify}, the native executable under {@code -Dnative}.
 */
@QuarkusIntegrationTest
class CallTrackerIT extends ServiceTest {

    static final String LEAD_PHONE = "+15557770001";


    @InjectWireMock
    WireMockServer twilioApi;

    @Test
    void healthEndpointsAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("calltracker_calls_stuck"));
    }

    @Test
    void aSignedCallLifecycleContactsTheLead() {
        BrowserCall c = BrowserCall.to(sql.insertLead("new", LEAD_PHONE), LEAD_PHONE, Outcome.COMPLETED);
        // The artifact was started with the test port, and knows itself by it.
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200)
                .body(containsString("<Number statusCallback=\"" + twilio.publicBaseUrl()
                        + "/api/calling/webhook" + TwilioFake.CALLBACK_FRAGMENT.replace("&", "&amp;") + "\""));

        twilio.playTheDial(c);
        twilio.post(TwilioFake.RECORDING_PATH, c.recording()).then().statusCode(204);

        asCrmUser().get("/api/calls/" + c.parentSid()).then().statusCode(200)
                .body("status", equalTo("completed")).body("durationSeconds", equalTo(BrowserCall.TALK_SECONDS))
                .body("events", hasSize(7));
        asCrmUser().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].status", equalTo("completed"));
        Row lead = sql.lead(c.leadId());
        assertThat(lead.getString("status")).isEqualTo("contacted");
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
    }

    @Test
    void aForgedRequestIsRefused() {
        given().contentType("application/x-www-form-urlencoded").header("X-Twilio-Signature", "Zm9yZ2Vk")
                .formParams(voice(newSid("CA"), "+15557770002", null)).post(TwilioFake.VOICE_PATH)
                .then().statusCode(403);
    }

    /** The browser's side: an access token Twilio would accept, and the recording streamed (a range of it). */
    @Test
    void aCrmUserGetsAnAccessTokenAndHearsTheRecording() {
        String token = asCrmUser().post("/api/calling/token").then().statusCode(200).extract().jsonPath().getString("token");
        assertThat(AccessTokenVerifier.verified(token).grants().get("identity"))
                .isEqualTo("0b6f0c1e_7d1a_4a55_9a3e_3c2b1f0e9d11");

        BrowserCall c = BrowserCall.to(sql.insertLead("new", LEAD_PHONE), LEAD_PHONE, Outcome.COMPLETED);
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200);
        twilio.playTheDial(c);
        twilio.post(TwilioFake.RECORDING_PATH, c.recording()).then().statusCode(204);
        twilioApi.stubFor(WireMock.get(WireMock.urlEqualTo("/2010-04-01/Accounts/" + TwilioFake.ACCOUNT_SID
                        + "/Recordings/" + c.recording().get("RecordingSid") + ".mp3"))
                .withHeader("Range", WireMock.equalTo("bytes=0-3"))
                .willReturn(WireMock.aResponse().withStatus(206).withHeader("Content-Type", "audio/mpeg")
                        .withHeader("Content-Range", "bytes 0-3/4000").withBody(new byte[] {'I', 'D', '3', 4})));
        byte[] audio = asCrmUser().header("Range", "bytes=0-3").get("/api/calls/" + c.parentSid() + "/recording").then()
                .statusCode(206).header("Content-Range", "bytes 0-3/4000").header("Cache-Control", "no-store")
                .extract().asByteArray();
        assertThat(audio).containsExactly('I', 'D', '3', 4);
    }
}
