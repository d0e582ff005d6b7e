package dev.calltracker.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ReadApi;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only the packaged artifact can get wrong, and a native executable most of all (reflection, resources,
 * build-time initialisation, locale and time-zone data, TLS): one service process on an empty database of
 * its own, with Twilio's REST API faked over HTTPS, the scheduler on and JSON logs. Runs against the jar in
 * {@code ./mvnw verify} and against the native executable in CI ({@code scripts/native-it.sh}).
 */
@QuarkusIntegrationTest
class PackagedServiceIT {

    static final String ADMIN_TOKEN = "packaged-admin-token";
    static final String KEYSTORE_PASSWORD = "packaged-keystore";
    static final String CALLS = "/2010-04-01/Accounts/" + TwilioFake.ACCOUNT_SID + "/Calls";

    static Path work;
    static WireMockServer twilioApi;
    static String jdbcUrl;
    static ServiceProcess service;
    static TwilioFake twilio;

    @BeforeAll
    static void startOnAnEmptyDatabaseWithTwilioOverHttps() throws Exception {
        work = Files.createTempDirectory("packaged-it");
        Path keystore = work.resolve("twilio-api.p12");
        // A certificate of its own for the fake Twilio: the service must complete a real TLS handshake.
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "twilio-api", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD).inheritIO().start();
        assertThat(keytool.waitFor()).as("keytool").isZero();
        twilioApi = new WireMockServer(WireMockConfiguration.options().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(keystore.toString()).keystorePassword(KEYSTORE_PASSWORD).keyManagerPassword(KEYSTORE_PASSWORD)
                .keystoreType("PKCS12"));
        twilioApi.start();

        String database = "packaged_" + Long.toHexString(System.nanoTime());
        try (Connection db = PostgresTestResource.connect(); Statement s = db.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        jdbcUrl = PostgresTestResource.jdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
        service = ServiceProcess.start(ServiceProcess.freePort(), jdbcUrl, PostgresTestResource.user(), PostgresTestResource.password(),
                "admin.token=" + ADMIN_TOKEN,
                "twilio.account-sid=" + TwilioFake.ACCOUNT_SID,
                "twilio.api-base-url=https://localhost:" + twilioApi.httpsPort(),
                "quarkus.rest-client.twilio-api.trust-store=" + keystore,
                "quarkus.rest-client.twilio-api.trust-store-password=" + KEYSTORE_PASSWORD,
                "quarkus.rest-client.twilio-api.trust-store-type=PKCS12",
                "reconcile.every=1s",
                "quarkus.log.console.json.enabled=true");
        twilio = new TwilioFake(service.baseUrl(), TwilioFake.TEST_AUTH_TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (twilioApi != null) {
            twilioApi.stop();
        }
    }

    @Test
    void flywayFindsEveryMigrationInTheArtifactAndMigratesAnEmptyDatabase() throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresTestResource.user(), PostgresTestResource.password());
             Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            r.next();
            assertThat(r.getInt(1)).as("migrations applied").isEqualTo(countMigrations());
        }
    }

    @Test
    void healthAndMetricsAnswer() {
        given().baseUri(service.baseUrl()).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(service.baseUrl()).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(twilio.send(TwilioFake.WEBHOOK_PATH, dialedStatus(newSid("CA"), newSid("CA"), "ringing", 1, now(), null)))
                .isEqualTo(204);
        String metrics = given().baseUri(service.baseUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("calltracker_twilio_requests_total{endpoint=\"webhook\",result=\"accepted\"}")
                .contains("http_server_requests_seconds_bucket").contains("calltracker_calls_stuck");
    }

    @Test
    void everyJsonAnswerIsSerialisedWithTwilioDatesParsed() throws Exception {
        UUID lead = insertLead("+15551230077");
        String parent = newSid("CA");
        String child = newSid("CA");
        OffsetDateTime t = OffsetDateTime.of(2026, 11, 25, 20, 17, 2, 0, ZoneOffset.UTC);
        assertThat(twilio.send(TwilioFake.VOICE_PATH, voice(parent, "+15551230077", lead.toString()))).isEqualTo(200);
        assertThat(twilio.send(TwilioFake.WEBHOOK_PATH, dialedStatus(parent, child, "in-progress", 2, t, null))).isEqualTo(204);
        assertThat(twilio.send(TwilioFake.WEBHOOK_PATH, dialedStatus(parent, child, "completed", 3, t.plusSeconds(42), 42)))
                .isEqualTo(204);

        // RFC 2822 Timestamps as Twilio sends them (English names, +0000) become instants. An operator sees the
        // raw Twilio parameters of each event.
        operator().get("/api/calls/" + parent).then().statusCode(200)
                .body("status", equalTo("completed")).body("answeredAt", equalTo("2026-11-25T20:17:02Z"))
                .body("endedAt", equalTo("2026-11-25T20:17:44Z")).body("durationSeconds", equalTo(42))
                .body("events.kind", hasItem("dialed-status")).body("events[0].params.To", equalTo("+15551230077"));
        crmUser().get("/api/leads/" + lead + "/activities").then().statusCode(200)
                .body("[0].callSid", equalTo(parent)).body("[0].status", equalTo("completed"))
                .body("[0].endedAt", equalTo("2026-11-25T20:17:44Z"));
        crmUser().get("/api/calls/not-a-sid").then().statusCode(400)
                .body("status", equalTo(400)).body("field", equalTo("callSid")).body("error", notNullValue());

        // A connected call whose end never came, five minutes quiet: not yet the reconciler's (stale after 10 min),
        // but in every diagnostics list, so each record type is serialised with its fields.
        UUID waiting = insertLead("+15551230078");
        String open = newSid("CA");
        execute("INSERT INTO call_recordings (call_sid, lead_id, status, duration_seconds, created_at, last_event_at) "
                + "VALUES ('" + open + "', '" + waiting + "', 'in-progress', 30, now() - interval '6 minutes', "
                + "now() - interval '5 minutes')");
        operator().get("/api/diagnostics/stuck-calls?olderThan=1m").then().statusCode(200)
                .body("find { it.callSid == '" + open + "' }.leadId", equalTo(waiting.toString()))
                .body("find { it.callSid == '" + open + "' }.lastEventAt", notNullValue());
        operator().get("/api/diagnostics/calls-with-duration-not-ended").then().statusCode(200)
                .body("find { it.callSid == '" + open + "' }.durationSeconds", equalTo(30));
        operator().get("/api/diagnostics/uncontacted-leads").then().statusCode(200)
                .body("find { it.id == '" + waiting + "' }.connectedCalls", equalTo(1))
                .body("find { it.id == '" + waiting + "' }.lastName", equalTo("Hopper"));
        // reconciliations: theSchedulerAsksTwilioOverHttpsAndClosesAStuckCall reads its decision back.
        operator().get("/api/diagnostics/calls-by-status").then().statusCode(200).body("completed", notNullValue())
                .body("'in-progress'", notNullValue());
        given().baseUri(service.baseUrl()).get("/api/diagnostics/stuck-calls").then().statusCode(401)
                .body("status", equalTo(401));
    }

    @Test
    void theSchedulerAsksTwilioOverHttpsAndClosesAStuckCall() throws Exception {
        String parent = newSid("CA");
        String child = newSid("CA");
        twilioApi.stubFor(get(urlEqualTo(CALLS + "/" + child + ".json")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"sid": "%s", "parent_call_sid": "%s", "status": "completed", "duration": "61",
                         "start_time": "Wed, 25 Nov 2026 20:00:00 +0000", "end_time": "Wed, 25 Nov 2026 20:01:01 +0000",
                         "direction": "outbound-dial"}""".formatted(child, parent))));
        execute("INSERT INTO call_recordings (call_sid, dialed_call_sid, status, created_at, last_event_at) VALUES ('"
                + parent + "', '" + child + "', 'in-progress', now() - interval '1 hour', now() - interval '1 hour')");
        // No request of the test starts it: the scheduler (every second here) does.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status = "in-progress";
        while (!status.equals("completed") && System.nanoTime() < deadline) {
            Thread.sleep(250);
            status = crmUser().get("/api/calls/" + parent).then().statusCode(200)
                    .extract().path("status");
        }
        assertThat(status).as("closed by the scheduled reconciler").isEqualTo("completed");
        twilioApi.verify(getRequestedFor(urlPathEqualTo(CALLS + "/" + child + ".json")));
        crmUser().get("/api/calls/" + parent).then()
                .body("resolution", equalTo("twilio-api")).body("durationSeconds", equalTo(61))
                .body("endedAt", equalTo("2026-11-25T20:01:01Z"));
        operator().get("/api/diagnostics/reconciliations").then().statusCode(200)
                .body("decisions.callSid", hasItem(parent)).body("decisions.find { it.callSid == '" + parent + "' }.params.end_time",
                        equalTo("Wed, 25 Nov 2026 20:01:01 +0000"))
                .body("runs.trigger", hasItem("schedule")).body("runs[0].stoppedBecause", notNullValue())
                .body("runs[0].durationMs", notNullValue());
    }

    @Test
    void logsAreJsonLinesWithPhoneNumbersMasked() throws Exception {
        assertThat(twilio.send(TwilioFake.VOICE_PATH, voice(newSid("CA"), "+447700900123", null))).isEqualTo(200);
        String refusal = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (refusal == null && System.nanoTime() < deadline) {
            refusal = service.output().lines().filter(line -> line.contains("Refused to dial")).findFirst().orElse(null);
            Thread.sleep(100);
        }
        assertThat(refusal).as("the refusal's log line").isNotNull().startsWith("{").contains("\"message\":")
                .contains("+4*********23");
        assertThat(service.output()).doesNotContain("+447700900123");
    }

    private static RequestSpecification operator() {
        return given().baseUri(service.baseUrl()).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private static RequestSpecification crmUser() {
        return ReadApi.asCrmUser().baseUri(service.baseUrl());
    }

    private static void execute(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresTestResource.user(), PostgresTestResource.password());
             Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private static UUID insertLead(String phone) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, PostgresTestResource.user(), PostgresTestResource.password());
             Statement s = db.createStatement();
             ResultSet r = s.executeQuery("INSERT INTO leads (first_name, last_name, status, phone) "
                     + "VALUES ('Grace', 'Hopper', 'new', '" + phone + "') RETURNING id")) {
            r.next();
            return (UUID) r.getObject(1);
        }
    }

    private static int countMigrations() throws Exception {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V[0-9]+__.*\\.sql")).count();
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
