package dev.calltracker.it;

import static dev.calltracker.testing.TwilioFake.dialAction;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.recording;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The essential end-to-end behaviour, black-box against the packaged artifact: the fast-jar in
 * {@code ./mvnw verify}, the native executable under {@code -Dnative}.
 */
@QuarkusIntegrationTest
class CallTrackerIT {

    final TwilioFake twilio = TwilioFake.forTests();

    @Test
    void healthEndpointsAnswer() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("calltracker_calls_stuck"));
    }

    @Test
    void aSignedCallLifecycleContactsTheLead() throws Exception {
        UUID lead = UUID.randomUUID();
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO leads (id, first_name, status, phone) VALUES (?, 'Ida', 'new', '+15557770001')")) {
            insert.setObject(1, lead);
            insert.executeUpdate();
        }
        String parent = newSid("CA");
        String child = newSid("CA");
        twilio.post(TwilioFake.VOICE_PATH, voice(parent, "+15557770001", lead.toString())).then().statusCode(200)
                .body(containsString("<Number statusCallback=\"http://localhost:8081/api/calling/webhook#rc=3&amp;rp=ct,rt,5xx\""));

        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minusMinutes(2);
        twilio.post(TwilioFake.WEBHOOK_PATH, dialedStatus(parent, child, "initiated", 0, t0, null)).then().statusCode(204);
        twilio.post(TwilioFake.WEBHOOK_PATH, dialedStatus(parent, child, "ringing", 1, t0.plusSeconds(1), null)).then().statusCode(204);
        twilio.post(TwilioFake.WEBHOOK_PATH, dialedStatus(parent, child, "in-progress", 2, t0.plusSeconds(5), null)).then().statusCode(204);
        twilio.post(TwilioFake.WEBHOOK_PATH, dialedStatus(parent, child, "completed", 3, t0.plusSeconds(65), 60)).then().statusCode(204);
        twilio.post(TwilioFake.WEBHOOK_PATH, dialAction(parent, child, "completed", 60)).then().statusCode(200)
                .body(containsString("<Hangup"));
        twilio.post(TwilioFake.RECORDING_PATH, recording(parent, newSid("RE"), 58)).then().statusCode(204);

        given().get("/api/calls/" + parent).then().statusCode(200)
                .body("status", equalTo("completed")).body("durationSeconds", equalTo(60)).body("events", hasSize(7));
        given().get("/api/leads/" + lead + "/activities").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].status", equalTo("completed"));
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement query = db.prepareStatement("SELECT status, last_contacted_at FROM leads WHERE id = ?")) {
            query.setObject(1, lead);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("status")).isEqualTo("contacted");
                assertThat(rs.getObject("last_contacted_at", OffsetDateTime.class)).isEqualTo(t0.plusSeconds(65));
            }
        }
    }

    @Test
    void aForgedRequestIsRefused() {
        given().contentType("application/x-www-form-urlencoded").header("X-Twilio-Signature", "Zm9yZ2Vk")
                .formParams(voice(newSid("CA"), "+15557770002", null)).post(TwilioFake.VOICE_PATH)
                .then().statusCode(403);
    }
}
