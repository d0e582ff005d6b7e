package dev.calltracker.diagnostics;

import static dev.calltracker.testing.TwilioFake.newSid;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.calltracker.testing.OperatorDatabase;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioApiTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The operator's questions, answered over HTTP; the reconciler's runs and decisions among them. */
@QuarkusTest
@TestProfile(OperatorDatabase.class)
class DiagnosticsResourceTest {

    final TestSql sql = TestSql.forTests();

    @Test
    void diagnosticsAnswerTheOperatorsQuestions() {
        UUID lead = sql.insertLead("new", "+15551230000");
        String stuck = sql.insertStaleCall(newSid("CA"), lead, "in-progress", 120, Duration.ofMinutes(40));
        // A connected call whose lead is still new: the old trigger's failure mode.
        sql.execute("INSERT INTO call_recordings (call_sid, lead_id, status, duration_seconds, created_at) "
                + "VALUES ($1, $2, 'completed', 60, now() - interval '1 hour')", newSid("CA"), lead);
        String auth = "Bearer " + TwilioApiTestResource.ADMIN_TOKEN;

        given().header("Authorization", auth).get("/api/diagnostics/stuck-calls?olderThan=30m").then().statusCode(200)
                .body("callSid", hasItem(stuck));
        given().header("Authorization", auth).get("/api/diagnostics/stuck-calls?olderThan=2h").then().statusCode(200)
                .body("callSid", org.hamcrest.Matchers.not(hasItem(stuck)));
        given().header("Authorization", auth).get("/api/diagnostics/calls-with-duration-not-ended").then().statusCode(200)
                .body("callSid", hasItem(stuck));
        given().header("Authorization", auth).get("/api/diagnostics/uncontacted-leads").then().statusCode(200)
                .body("id", hasItem(lead.toString()));
        given().header("Authorization", auth).get("/api/diagnostics/calls-by-status?since=24h").then().statusCode(200)
                .body("'in-progress'", org.hamcrest.Matchers.greaterThanOrEqualTo(1));

        given().header("Authorization", auth).post("/api/admin/reconcile").then().statusCode(200)
                .body("trigger", equalTo("admin")).body("calls.callSid", hasItem(stuck));
        given().header("Authorization", auth).get("/api/diagnostics/reconciliations?limit=10").then().statusCode(200)
                .body("decisions.callSid", hasItem(stuck))
                .body("decisions.find { it.callSid == '%s' }.decision".formatted(stuck), equalTo("completed"))
                .body("runs.find { it.trigger == 'admin' }.stoppedBecause", equalTo("drained"))
                .body("runs.find { it.trigger == 'admin' }.claimed", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("runs.find { it.trigger == 'admin' }.closed", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("runs.find { it.trigger == 'admin' }.durationMs", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("runs.find { it.trigger == 'admin' }.twilioRequests", org.hamcrest.Matchers.greaterThanOrEqualTo(1));

        given().header("Authorization", auth).get("/api/diagnostics/stuck-calls?olderThan=yesterday").then().statusCode(400)
                .body("field", equalTo("olderThan"));
        given().header("Authorization", auth).get("/api/diagnostics/reconciliations?limit=0").then().statusCode(400)
                .body("field", equalTo("limit"));
        given().header("Authorization", auth).get("/api/diagnostics/calls-by-status?since=%27;drop").then().statusCode(400)
                .body("field", equalTo("since"));
    }

    @Test
    void callCountsCoverTheLastDayUnlessTheOperatorNamesAWindow() {
        UUID lead = sql.insertLead("new", "+15551230000");
        sql.execute("INSERT INTO call_recordings (call_sid, lead_id, status, created_at) "
                + "VALUES ($1, $2, 'canceled', now() - interval '2 days')", newSid("CA"), lead);
        String auth = "Bearer " + TwilioApiTestResource.ADMIN_TOKEN;

        int lastDay = canceledCalls(auth, "");
        int lastThreeDays = canceledCalls(auth, "?since=72h");
        assertThat(lastThreeDays).as("the call of two days ago counts only in the longer window")
                .isGreaterThan(lastDay);
    }

    static int canceledCalls(String auth, String query) {
        Integer count = given().header("Authorization", auth).get("/api/diagnostics/calls-by-status" + query).then()
                .statusCode(200).extract().jsonPath().get("canceled");
        return count == null ? 0 : count;
    }
}
