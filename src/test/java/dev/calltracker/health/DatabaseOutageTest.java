package dev.calltracker.health;

import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Probe semantics while the database is down: readiness DOWN (take the pod out of the Service),
 * liveness UP (do not restart it: a restart cannot fix the database), callbacks 503 (never a 2xx for
 * something not stored), and recovery without a restart.
 */
@QuarkusTest
class DatabaseOutageTest {

    @Inject
    Pool pool;

    @Test
    void readinessFollowsTheDatabaseLivenessDoesNotAndNothingUnstoredIsAcknowledged() throws Exception {
        Assumptions.assumeTrue(PostgresTestResource.canRestartDatabase(), "needs the embedded test database");
        TwilioFake twilio = TwilioFake.forTests();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        String parent = newSid("CA");
        Map<String, String> callback = dialedStatus(parent, newSid("CA"), "ringing", 1,
                OffsetDateTime.now(ZoneOffset.UTC), null);

        PostgresTestResource.stopDatabase();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN")));
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            int status = twilio.post(TwilioFake.WEBHOOK_PATH, callback).then().extract().statusCode();
            assertThat(status).as("a callback that could not be stored").isEqualTo(503);
        } finally {
            PostgresTestResource.startDatabase();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        // Twilio's retry of the refused callback is stored now.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                twilio.post(TwilioFake.WEBHOOK_PATH, callback).then().statusCode(204));
        assertThat(new TestSql(pool).call(parent).getString("status")).isEqualTo("ringing");
    }
}
