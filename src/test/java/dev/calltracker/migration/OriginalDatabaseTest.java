package dev.calltracker.migration;

import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.calltracker.reconcile.ReconcileReport;
import dev.calltracker.reconcile.StuckCallReconciler;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.IdentityProviderTestResource;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service started on the original system's database (fixtures/original-system.sql): trigger 043,
 * function 053, stuck calls and odd values. No Twilio credentials and no admin token here, so the
 * start-up reconciliation decides from evidence alone.
 */
@QuarkusTest
@TestProfile(OriginalDatabaseTest.OriginalDatabase.class)
class OriginalDatabaseTest extends ServiceTest {

    public static class OriginalDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reconcile.run-at-startup", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresTestResource.class,
                    Map.of(PostgresTestResource.FIXTURE, "fixtures/original-system.sql")),
                    new TestResourceEntry(IdentityProviderTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static final UUID NEW_LEAD = lead(1);
    static final UUID CONTACTED_LEAD = lead(2);
    static final UUID QUALIFIED_LEAD = lead(3);
    static final UUID STUCK_TALKER = lead(4);
    static final UUID NEVER_ANSWERED = lead(5);
    static final UUID FRESH_CALLER = lead(6);

    static UUID lead(int n) {
        return UUID.fromString("10000000-0000-4000-8000-%012d".formatted(n));
    }

    static UUID call(int n) {
        return UUID.fromString("20000000-0000-4000-8000-%012d".formatted(n));
    }

    @Inject
    StuckCallReconciler reconciler;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;


    @BeforeEach
    void setUp() {
        // The start-up run is asynchronous: wait until it has decided the day-old stuck call.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "completed".equals(callRow(3).getString("status")));
    }

    Row callRow(int n) {
        return sql.row("SELECT * FROM call_recordings WHERE id = $1", call(n));
    }

    @Test
    void everyRowIsKeptAndTheTriggerAndFunctionsAreGone() {
        assertThat(sql.count("SELECT count(*) FROM call_recordings")).isGreaterThanOrEqualTo(11);
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE id::text LIKE '20000000-%'")).isEqualTo(11);
        assertThat(sql.count("SELECT count(*) FROM leads WHERE id::text LIKE '10000000-%'")).isEqualTo(7);
        assertThat(sql.count("SELECT count(*) FROM supabase_migrations")).as("their own history is left alone").isEqualTo(2);
        assertThat(sql.count("SELECT count(*) FROM pg_trigger WHERE tgname = 'trigger_update_lead_on_call'")).isZero();
        assertThat(sql.count("SELECT count(*) FROM pg_proc WHERE proname IN ('update_lead_on_call', 'fix_stuck_calls')")).isZero();

        Row finished = callRow(1);
        assertThat(finished.getString("status")).isEqualTo("completed");
        assertThat(finished.getInteger("duration_seconds")).isEqualTo(180);
        assertThat(finished.getString("recording_url")).isEqualTo("https://api.twilio.com/rec/RE1");
        assertThat(finished.getOffsetDateTime("ended_at")).isEqualTo(OffsetDateTime.parse("2026-01-10T10:00:00Z"));
        assertThat(callRow(2).getString("status")).isEqualTo("busy");

        Row qualified = sql.lead(QUALIFIED_LEAD);
        assertThat(qualified.getString("status")).isEqualTo("qualified");
        assertThat(qualified.getOffsetDateTime("last_contacted_at")).isEqualTo(OffsetDateTime.parse("2026-02-01T09:00:00Z"));
        assertThat(sql.lead(CONTACTED_LEAD).getString("status")).isEqualTo("contacted");
        assertThat(sql.lead(CONTACTED_LEAD).getOffsetDateTime("last_contacted_at")).isNotNull();
    }

    @Test
    void oddValuesAreRepairedAsDocumentedAndRecorded() {
        assertThat(callRow(6).getString("status")).isEqualTo("in-progress");
        Row duplicate = callRow(9);
        assertThat(duplicate.getString("call_sid"))
                .isEqualTo("CA00000000000000000000000000000001:duplicate:" + call(9));
        assertThat(duplicate.getString("status")).isEqualTo("completed");
        assertThat(callRow(1).getString("call_sid")).isEqualTo("CA00000000000000000000000000000001");
        assertThat(callRow(10).getString("call_sid")).isEqualTo("legacy:" + call(10));
        assertThat(callRow(8).getOffsetDateTime("created_at")).isEqualTo(OffsetDateTime.parse("2026-03-01T12:00:00Z"));
        assertThat(callRow(11).getUUID("lead_id")).as("a call naming a deleted lead keeps it").isEqualTo(UUID.fromString("10000000-0000-4000-8000-0000000000ff"));
        assertThat(sql.lead(lead(7)).getString("status")).isEqualTo("new");

        assertThat(sql.count("SELECT count(*) FROM legacy_repairs WHERE row_id = $1 AND column_name = 'status' "
                + "AND old_value = 'answered' AND new_value = 'initiated'", call(7))).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM legacy_repairs WHERE row_id = $1 AND column_name = 'call_sid'",
                call(9))).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM legacy_repairs WHERE row_id = $1 AND column_name = 'lead_id'",
                call(11))).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM legacy_repairs")).isEqualTo(8);
    }

    @Test
    void stuckCallsAreResolvedByTheReconcilerNotByABlindUpdate() {
        Row talker = callRow(3);
        assertThat(talker.getString("status")).isEqualTo("completed");
        assertThat(talker.getString("resolution")).isEqualTo("inferred");
        OffsetDateTime end = talker.getOffsetDateTime("created_at").plusSeconds(300);
        assertThat(talker.getOffsetDateTime("ended_at")).isEqualTo(end);
        assertThat(sql.lead(STUCK_TALKER).getString("status")).isEqualTo("contacted");
        assertThat(sql.lead(STUCK_TALKER).getOffsetDateTime("last_contacted_at")).isEqualTo(end);

        Row neverAnswered = callRow(4);
        assertThat(neverAnswered.getString("status")).as("no evidence: honest unknown, not completed").isEqualTo("unknown");
        assertThat(sql.lead(NEVER_ANSWERED).getString("status")).isEqualTo("new");
        assertThat(sql.lead(NEVER_ANSWERED).getOffsetDateTime("last_contacted_at")).isNull();

        assertThat(callRow(5).getString("status")).as("20 minutes, may still be live").isEqualTo("in-progress");
        assertThat(sql.lead(FRESH_CALLER).getString("status")).isEqualTo("new");
        assertThat(callRow(7).getString("status")).as("'answered' with a duration").isEqualTo("completed");
        assertThat(callRow(8).getString("status")).isEqualTo("unknown");
    }

    @Test
    void oldCallsAppearOnTheirLeadsTimelines() {
        asCrmUser().get("/api/leads/" + CONTACTED_LEAD + "/activities").then().statusCode(200)
                .body("callSid", org.hamcrest.Matchers.hasItem("CA00000000000000000000000000000001"));
    }

    @Test
    void aNewCallThroughTheWebhooksUpdatesItsLeadOnceInJava() {
        BrowserCall c = BrowserCall.to(NEW_LEAD, "+15551110001", Outcome.COMPLETED,
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("<Number"));
        twilio.playTheDial(c);

        Row lead = sql.lead(NEW_LEAD);
        assertThat(lead.getString("status")).isEqualTo("contacted");
        // The old trigger would have written now(); only Java's update with Twilio's time is there.
        assertThat(lead.getOffsetDateTime("last_contacted_at")).isEqualTo(c.endedAt());
        assertThat(sql.activitiesOf(NEW_LEAD)).isEqualTo(1);

        // A lead whose phone the CRM stored in national format can still be called.
        twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), "+15551110003", QUALIFIED_LEAD.toString()))
                .then().statusCode(200).body(org.hamcrest.Matchers.containsString("<Number"));
    }

    @Test
    void startingASecondTimeChangesNothing() {
        String before = snapshot();
        var result = Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        assertThat(result.migrationsExecuted).isZero();
        var report = reconciler.run("second-start").await().atMost(Duration.ofMinutes(1));
        assertThat(report.calls()).noneMatch(ReconcileReport.Entry::applied);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void diagnosticsAreOffWithoutAnAdminToken() {
        given().get("/api/diagnostics/stuck-calls").then().statusCode(404);
        given().post("/api/admin/reconcile").then().statusCode(404);
    }

    String snapshot() {
        return sql.row("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM ("
                + "SELECT id, call_sid, lead_id, status, duration_seconds, ended_at, resolution FROM call_recordings "
                + "WHERE id::text LIKE '20000000-%' UNION ALL "
                + "SELECT id, NULL, NULL, status, NULL, last_contacted_at, NULL FROM leads) t").getString(0)
                // rows a second start must not add either: repairs, activities, events
                + sql.row("SELECT (SELECT count(*) FROM legacy_repairs) || '/' || (SELECT count(*) FROM lead_activities)"
                        + " || '/' || (SELECT count(*) FROM call_events)").getString(0);
    }
}
