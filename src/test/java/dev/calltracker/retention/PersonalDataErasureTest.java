package dev.calltracker.retention;

import dev.calltracker.testing.ServiceTest;
import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.ReadApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * DELETE /api/admin/leads/{id}/personal-data on a real PostgreSQL: calls made through the webhooks, then erased,
 * then every text and jsonb column of every table searched for what was erased.
 */
@QuarkusTest
class PersonalDataErasureTest extends ServiceTest {

    /** A lead of its own: a phone and an agent identity no other test uses, and the recording sids of its calls. */
    record Called(UUID lead, String phone, String agent, List<BrowserCall> calls) {

        List<String> recordingSids() {
            return calls.stream().filter(c -> c.recording() != null).map(c -> c.recording().get("RecordingSid")).toList();
        }
    }

    Called leadCalledTwice() {
        String phone = "+1555" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String agent = "client:agent-" + UUID.randomUUID();
        UUID lead = sql.insertLead("new", phone);
        List<BrowserCall> calls = new ArrayList<>();
        for (Outcome outcome : List.of(Outcome.COMPLETED, Outcome.NO_ANSWER)) {
            BrowserCall c = BrowserCall.to(lead, phone, outcome);
            for (Map<String, String> request : c.requests()) {
                Map<String, String> asAgent = new HashMap<>(request);
                asAgent.replaceAll((name, value) -> value.replace("client:agent-1", agent));
                int status = twilio.post(TwilioFake.pathOf(request), asAgent).then().extract().statusCode();
                assertThat(status).as("answer to %s", request).isIn(200, 204);
            }
            calls.add(c);
        }
        return new Called(lead, phone, agent, calls);
    }

    /** Every column of type text or jsonb (or an array or varchar) of every table holding {@code value}: "table.column". */
    List<String> columnsHolding(String value) {
        List<String> holding = new ArrayList<>();
        for (Row column : sql.rows("""
                SELECT c.table_name, c.column_name FROM information_schema.columns c
                  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                   AND c.data_type IN ('text', 'jsonb', 'json', 'character varying', 'ARRAY')""")) {
            String table = column.getString("table_name");
            String name = column.getString("column_name");
            long n = sql.count("SELECT count(*) FROM %s WHERE strpos(%s::text, $1) > 0".formatted(quoted(table), quoted(name)),
                    value);
            if (n > 0) {
                holding.add(table + "." + name);
            }
        }
        return holding;
    }

    static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Test
    void afterErasureNoTableHoldsTheLeadsNumbersIdentitiesOrRecordings() {
        Called erased = leadCalledTwice();
        Called kept = leadCalledTwice();
        assertThat(erased.recordingSids()).hasSize(1);
        assertThat(columnsHolding(erased.phone())).as("where the number was")
                .contains("leads.phone", "call_recordings.to_number", "call_events.params");
        assertThat(columnsHolding(erased.agent())).contains("call_recordings.caller", "call_events.params");
        assertThat(columnsHolding(erased.recordingSids().get(0)))
                .contains("call_recordings.recording_url", "lead_activities.recording_url", "call_events.dedupe_key");

        asOperator().delete("/api/admin/leads/" + erased.lead() + "/personal-data").then().statusCode(200)
                .body("leadId", equalTo(erased.lead().toString()))
                .body("leadFound", equalTo(true))
                .body("calls", equalTo(2))
                .body("erased.call_recordings", equalTo(2))
                .body("erased.call_events", equalTo(erased.calls().stream().mapToInt(c -> c.requests().size()).sum()))
                .body("erased.lead_activities", equalTo(1));

        assertThat(columnsHolding(erased.phone())).as("the CRM's lead row keeps its phone; nothing else holds it")
                .containsExactly("leads.phone");
        assertThat(sql.lead(erased.lead()).getString("phone")).isEqualTo(erased.phone());
        assertThat(columnsHolding(erased.agent())).isEmpty();
        assertThat(columnsHolding(erased.recordingSids().get(0))).isEmpty();
        for (BrowserCall c : erased.calls()) {
            assertThat(columnsHolding(c.parentSid())).as("the call itself stays, under its Twilio sid")
                    .contains("call_recordings.call_sid", "call_events.call_sid");
        }

        assertThat(columnsHolding(kept.phone())).as("another lead's calls are untouched")
                .contains("leads.phone", "call_recordings.to_number", "call_events.params");
        assertThat(columnsHolding(kept.agent())).contains("call_recordings.caller", "call_events.params");
        assertThat(columnsHolding(kept.recordingSids().get(0))).contains("call_recordings.recording_url");
    }

    @Test
    void theTimelineKeepsTheCallsWithoutTheirPersonalData() {
        Called erased = leadCalledTwice();
        asOperator().delete("/api/admin/leads/" + erased.lead() + "/personal-data").then().statusCode(200);

        BrowserCall answered = erased.calls().get(0);
        asCrmUser().get("/api/leads/" + erased.lead() + "/activities").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.callSid == '%s' }.status".formatted(answered.parentSid()), equalTo("completed"))
                .body("find { it.callSid == '%s' }.durationSeconds".formatted(answered.parentSid()), equalTo(42))
                .body("find { it.callSid == '%s' }.recordingUrl".formatted(answered.parentSid()), nullValue())
                .body("find { it.callSid == '%s' }.toNumber".formatted(answered.parentSid()), nullValue());
        assertThat(sql.eventsOf(answered.parentSid())).as("the events stay").isEqualTo(answered.requests().size());
    }

    @Test
    void erasingAgainAnswersZeros() {
        Called erased = leadCalledTwice();
        asOperator().delete("/api/admin/leads/" + erased.lead() + "/personal-data").then().statusCode(200);

        asOperator().delete("/api/admin/leads/" + erased.lead() + "/personal-data").then().statusCode(200)
                .body("leadFound", equalTo(true))
                .body("calls", equalTo(2))
                .body("erased.call_recordings", equalTo(0))
                .body("erased.call_events", equalTo(0))
                .body("erased.lead_activities", equalTo(0));
    }

    @Test
    void anUnknownLeadIsAnsweredWithZeros() {
        UUID unknown = UUID.randomUUID();
        asOperator().delete("/api/admin/leads/" + unknown + "/personal-data").then().statusCode(200)
                .body("leadFound", equalTo(false))
                .body("calls", equalTo(0))
                .body("erased.call_events", equalTo(0));
    }

    @Test
    void erasureNeedsTheOperatorAndALeadId() {
        UUID lead = sql.insertLead("new", "+15550001111");
        given().delete("/api/admin/leads/" + lead + "/personal-data").then().statusCode(401);
        asCrmUser().delete("/api/admin/leads/" + lead + "/personal-data").then().statusCode(403);
        asOperator().delete("/api/admin/leads/not-a-uuid/personal-data").then().statusCode(400)
                .body("field", equalTo("id"));
    }
}
