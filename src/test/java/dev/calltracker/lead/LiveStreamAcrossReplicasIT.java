package dev.calltracker.lead;

import static dev.calltracker.testing.ReadApi.asCrmUser;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.LiveStreamClient;
import dev.calltracker.testing.LiveStreamClient.Event;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one database: the CRM watches a lead on the packaged service under test while Twilio's
 * callbacks reach a second process. Every step of the call that changes the lead's timeline arrives on the
 * stream within a second, equal to what the timeline then shows; a step that changes nothing sends nothing.
 */
@QuarkusIntegrationTest
class LiveStreamAcrossReplicasIT {

    static final ObjectMapper JSON = new ObjectMapper();

    final TestSql sql = TestSql.forTests();

    @Test
    void eachStepOfACallHandledByAnotherReplicaArrivesWithinOneSecond() throws Exception {
        UUID lead = sql.insertLead("new", "+15556200001");
        BrowserCall call = BrowserCall.to(lead, "+15556200001", Outcome.COMPLETED);
        String watchedReplica = "http://localhost:" + RestAssured.port;
        try (ServiceProcess otherReplica = ServiceProcess.start();
             LiveStreamClient stream = LiveStreamClient.open(watchedReplica, lead, IdentityProviderFake.crmUser(), null)) {
            assertThat(stream.status()).isEqualTo(200);
            TwilioFake twilio = otherReplica.twilio();
            JsonNode shown = null;
            long lastId = 0;
            int events = 0;
            for (Map<String, String> request : call.requests()) {
                assertThat(twilio.send(request)).as("%s", request).isBetween(200, 299);
                JsonNode now = timelineEntry(lead);
                if (now.equals(shown)) {
                    assertThat(stream.next(Duration.ofMillis(300))).as("no event after %s: nothing changed", request).isNull();
                    continue;
                }
                Event event = stream.next(Duration.ofSeconds(1));
                assertThat(event).as("the change made by %s, within 1 s", request).isNotNull();
                assertThat(JSON.readTree(event.data())).isEqualTo(now);
                assertThat(Long.parseLong(event.id())).isGreaterThan(lastId);
                lastId = Long.parseLong(event.id());
                shown = now;
                events++;
            }
            // created, ringing, answered, completed with its duration, recording
            assertThat(events).isEqualTo(5);
            assertThat(shown.get("status").asText()).isEqualTo("completed");
        }
    }

    private static JsonNode timelineEntry(UUID lead) throws Exception {
        String timeline = asCrmUser().get("/api/leads/" + lead + "/activities").then().statusCode(200).extract().asString();
        JsonNode entries = JSON.readTree(timeline);
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }
}
