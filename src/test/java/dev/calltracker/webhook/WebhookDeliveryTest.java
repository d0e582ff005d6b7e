package dev.calltracker.webhook;

import dev.calltracker.testing.ServiceTest;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.calltracker.db.SqlFile;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.InjectWireMock;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CRM's webhooks over real HTTP (WireMock plays the CRM): written with the change, signed so that the CRM can
 * verify them with nothing but the shared key, retried with back-off when the CRM fails or is slow, with the same
 * {@code webhook-id} each time, and never sent twice by two deliverers at once.
 */
@QuarkusTest
@TestProfile(WebhooksOn.class)
class WebhookDeliveryTest extends ServiceTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer crm;

    @Inject
    WebhookDeliverer deliverer;

    @BeforeEach
    void emptyOutboxAndAnsweringCrm() {
        sql.execute("DELETE FROM webhook_outbox");
        crm.resetAll();
        crm.stubFor(post(urlEqualTo(WebhooksOn.PATH)).willReturn(aResponse().withStatus(204)));
    }

    @Test
    void anAnsweredCallIsSentSignedAndContactsTheLeadOnce() throws Exception {
        UUID lead = sql.insertLead("new", LEAD_PHONE);
        BrowserCall call = BrowserCall.to(lead, LEAD_PHONE, Outcome.COMPLETED);
        call.requests().forEach(request -> assertThat(twilio.post(TwilioFake.pathOf(request), request).then().extract()
                .statusCode()).isIn(200, 204));
        assertThat(sql.lead(lead).getString("status")).isEqualTo("contacted");
        assertThat(sql.count("SELECT count(*) FROM webhook_outbox WHERE event_type = 'lead.contacted'")).isEqualTo(1);

        drain();

        List<LoggedRequest> received = received();
        assertThat(received).isNotEmpty().allSatisfy(WebhookDeliveryTest::verifiesWithTheSharedKey);
        List<JsonNode> bodies = received.stream().map(WebhookDeliveryTest::body).toList();
        assertThat(bodies).filteredOn(b -> b.path("type").asText().equals("lead.contacted")).singleElement()
                .satisfies(b -> assertThat(b.path("data").path("lead_id").asText()).isEqualTo(lead.toString()));
        JsonNode last = bodies.stream().filter(b -> b.path("type").asText().equals("call.updated"))
                .filter(b -> b.path("data").path("status").asText().equals("completed")).findFirst().orElseThrow();
        assertThat(last.path("data").path("call_sid").asText()).isEqualTo(call.parentSid());
        assertThat(last.path("data").path("dialed_call_sid").asText()).isEqualTo(call.dialedSid());
        assertThat(last.path("data").path("lead_id").asText()).isEqualTo(lead.toString());
        assertThat(last.path("data").path("duration_seconds").asInt()).isEqualTo(42);
        assertThat(last.path("data").has("answered_at")).isTrue();
        assertThat(last.toString()).as("no phone number").doesNotContain(LEAD_PHONE.substring(1));
        assertThat(sql.count("SELECT count(*) FROM webhook_outbox")).isZero();

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("calltracker_webhooks_delivered_total{type=\"lead.contacted\"} 1.0"))
                .body(containsString("calltracker_webhooks_backlog 0.0"));
    }

    @Test
    void aFailingCrmGetsTheEventAgainAfterABackOffUntilItTakesIt() {
        crm.stubFor(post(urlEqualTo(WebhooksOn.PATH)).inScenario("down").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        crm.stubFor(post(urlEqualTo(WebhooksOn.PATH)).inScenario("down").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        UUID id = enqueue();

        assertThat(deliver().failed()).isEqualTo(1);
        Row failed = sql.row("SELECT attempts, last_error, next_attempt_at > now() AS later FROM webhook_outbox WHERE id = $1", id);
        assertThat(failed.getInteger("attempts")).isEqualTo(1);
        assertThat(failed.getString("last_error")).isEqualTo("HTTP 503");
        assertThat(failed.getBoolean("later")).isTrue();
        assertThat(deliver().claimed()).as("not due again before its back-off").isZero();

        await().atMost(WAIT).until(() -> deliver().delivered() == 1);

        assertThat(received()).hasSize(2).allSatisfy(WebhookDeliveryTest::verifiesWithTheSharedKey)
                .extracting(r -> r.getHeader("webhook-id")).containsOnly(id.toString());
        assertThat(sql.count("SELECT count(*) FROM webhook_outbox")).isZero();
    }

    /** The CRM took the first POST but answered too late: it gets it again, with the same id to drop it by. */
    @Test
    void aSlowCrmGetsTheSameEventTwiceWithTheSameId() {
        crm.stubFor(post(urlEqualTo(WebhooksOn.PATH)).inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2_500)).willSetStateTo("fast"));
        crm.stubFor(post(urlEqualTo(WebhooksOn.PATH)).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(200)));
        UUID id = enqueue();

        long started = System.nanoTime();
        assertThat(deliver().failed()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the timeout").isLessThan(Duration.ofMillis(2_000));
        await().atMost(WAIT).until(() -> deliver().delivered() == 1);

        List<LoggedRequest> received = received();
        assertThat(received).hasSize(2).allSatisfy(WebhookDeliveryTest::verifiesWithTheSharedKey);
        assertThat(received).extracting(r -> r.getHeader("webhook-id")).containsOnly(id.toString());
        assertThat(received.get(0).getBodyAsString()).isEqualTo(received.get(1).getBodyAsString());
    }

    @Test
    void anEventTheCrmNeverTakesIsKeptDeadAfterTheLastAttempt() {
        crm.stubFor(post(urlEqualTo(WebhooksOn.PATH)).willReturn(aResponse().withStatus(500)));
        UUID id = enqueue();

        await().atMost(WAIT).until(() -> {
            deliver();
            return sql.row("SELECT dead_at IS NOT NULL AS dead FROM webhook_outbox WHERE id = $1", id).getBoolean("dead");
        });
        assertThat(sql.row("SELECT attempts FROM webhook_outbox WHERE id = $1", id).getInteger("attempts")).isEqualTo(3);
        sql.execute("UPDATE webhook_outbox SET next_attempt_at = now() - interval '1 hour'");
        assertThat(deliver().claimed()).as("a dead event is never sent again").isZero();
        assertThat(received()).hasSize(3);

        deliverer.deliverAllDue().await().atMost(WAIT);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("calltracker_webhooks_dead_kept 1.0"))
                .body(containsString("calltracker_webhooks_backlog 0.0"));
    }

    @Test
    void twoDeliverersAtOnceSendEveryEventOnce() {
        crm.stubFor(post(urlEqualTo(WebhooksOn.PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(30)));
        Set<String> enqueued = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            enqueued.add(enqueue().toString());
        }

        // Both subscribed at once: each claims, posts and claims again while the other does the same.
        Uni.combine().all().unis(drainAsync(), drainAsync()).discardItems().await().atMost(WAIT);

        List<LoggedRequest> received = received();
        assertThat(received).hasSize(60);
        assertThat(received.stream().map(r -> r.getHeader("webhook-id")).collect(Collectors.toSet())).isEqualTo(enqueued);
    }

    /**
     * Another replica's claim, caught in the middle of its transaction: the rows it holds are skipped at once, not
     * waited for and not sent; once it commits they are its lease, not this replica's to send.
     */
    @Test
    void rowsAnotherReplicaIsClaimingAreSkippedNotWaitedFor() throws Exception {
        Set<String> enqueued = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            enqueued.add(enqueue().toString());
        }
        Set<String> theirs = new HashSet<>();
        try (Connection otherReplica = DriverManager.getConnection(config("quarkus.datasource.jdbc.url"),
                config("quarkus.datasource.username"), config("quarkus.datasource.password"))) {
            otherReplica.setAutoCommit(false);
            String claim = SqlFile.load("claim-webhooks.sql").replace("$1", "30").replace("$2", "60000");
            try (ResultSet claimed = otherReplica.createStatement().executeQuery(claim)) {
                while (claimed.next()) {
                    theirs.add(claimed.getString("id"));
                }
            }
            assertThat(theirs).hasSize(30);

            long started = System.nanoTime();
            drain();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for their locks").isLessThan(Duration.ofSeconds(2));
            otherReplica.commit();
        }
        drain();

        Set<String> sent = received().stream().map(r -> r.getHeader("webhook-id")).collect(Collectors.toSet());
        assertThat(received()).hasSize(20);
        assertThat(sent).doesNotContainAnyElementsOf(theirs);
        Set<String> ours = new HashSet<>(enqueued);
        ours.removeAll(theirs);
        assertThat(sent).isEqualTo(ours);
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    @Test
    void theBackOffDoublesUpToItsLimitWithJitter() {
        for (int i = 0; i < 50; i++) {
            assertThat(deliverer.retryAfter(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(deliverer.retryAfter(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
            assertThat(deliverer.retryAfter(40)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
        }
    }

    private UUID enqueue() {
        return sql.row("INSERT INTO webhook_outbox (event_type, body) VALUES ('call.updated', "
                + "jsonb_build_object('type', 'call.updated', 'data', jsonb_build_object('n', random()))) RETURNING id").getUUID("id");
    }

    private WebhookDeliverer.Run deliver() {
        return deliverer.deliverDue().await().atMost(WAIT);
    }

    private void drain() {
        drainAsync().await().atMost(WAIT);
    }

    private Uni<Void> drainAsync() {
        return deliverer.deliverDue().repeat().until(run -> run.claimed() == 0).collect().last().replaceWithVoid();
    }

    private List<LoggedRequest> received() {
        return crm.findAll(postRequestedFor(urlEqualTo(WebhooksOn.PATH)));
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What the CRM does (docs/how-it-works.md#webhooks-to-the-crm), computed here independently of WebhookSigner. */
    static void verifiesWithTheSharedKey(LoggedRequest request) {
        String id = request.getHeader("webhook-id");
        String timestamp = request.getHeader("webhook-timestamp");
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).as("fresh").isLessThan(300);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WebhooksOn.KEY, "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + request.getBodyAsString()).getBytes(StandardCharsets.UTF_8)));
            assertThat(request.getHeader("webhook-signature").split(" ")).contains("v1," + expected);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(Map.of("type", body(request).path("type").asText())).isNotEmpty();
    }
}
