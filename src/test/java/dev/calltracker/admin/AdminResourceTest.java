package dev.calltracker.admin;

import static dev.calltracker.testing.TwilioFake.newSid;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.calltracker.testing.OperatorDatabase;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioApiTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(OperatorDatabase.class)
class AdminResourceTest {

    final TestSql sql = TestSql.forTests();

    @Test
    void reconcilingAnswersWhatTheRunDecided() {
        String stuck = sql.insertStaleCall(newSid("CA"), null, "in-progress", 120, Duration.ofMinutes(40));

        given().header("Authorization", "Bearer " + TwilioApiTestResource.ADMIN_TOKEN).post("/api/admin/reconcile")
                .then().statusCode(200)
                .body("trigger", equalTo("admin"))
                .body("skipped", equalTo(false))
                .body("calls.callSid", hasItem(stuck))
                .body("calls.find { it.callSid == '%s' }.outcome".formatted(stuck), equalTo("completed"));
    }
}
