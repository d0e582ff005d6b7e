package dev.calltracker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.CallStorm;
import dev.calltracker.testing.DatabaseOfItsOwn;
import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.IdentityProviderTestResource;
import dev.calltracker.testing.LiveStreamClient;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.StallingProxy;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioApiTestResource;
import dev.calltracker.testing.TwilioDelivery;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Suite 3: the database goes silent, as real infrastructure fails: a network stall that closes nothing, then a
 * fail-over that leaves every connection open at that moment a black hole for ever while new connections reach
 * the database. The service's reactive connections (callbacks, reads, probes, the live streams' LISTEN) pass
 * through a {@link StallingProxy}; Flyway's and the test's own connections do not.
 *
 * <p>Requests are sent as Twilio sends them with the callback URL's fragment: a read timeout of 7 s, and a retry
 * of every 503 or timeout.
 */
@QuarkusTest
@TestProfile(SilentDatabaseTest.ThroughAStallingProxy.class)
class SilentDatabaseTest {

    public static class ThroughAStallingProxy extends DatabaseOfItsOwn {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PostgresTestResource.class, Map.of(
                            PostgresTestResource.OWN_DATABASE, "true", PostgresTestResource.THROUGH_STALLING_PROXY, "true")),
                    new TestResourceEntry(TwilioApiTestResource.class), new TestResourceEntry(IdentityProviderTestResource.class));
        }
    }

    static final Duration TWILIO_READ_TIMEOUT = TwilioDelivery.READ_TIMEOUT;
    static final Duration STALL = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final TestSql sql = TestSql.ownConnections();
    final TwilioFake twilio = TwilioFake.forTests();
    final TwilioDelivery delivery = new TwilioDelivery(twilio);

    /** A probe's answer. */
    record Probe(int status, String body, Duration took) {
    }

    @AfterEach
    void heal() {
        PostgresTestResource.proxy().heal();
    }

    @Test
    void aStallThenAFailOverThatClosesNothingAreRefusedInTimeAndRecoveredWithoutARestart() throws Exception {
        StallingProxy proxy = PostgresTestResource.proxy();
        List<BrowserCall> calls = CallStorm.callsToNewLeads(sql, 15, "+1555402",
                i -> Outcome.values()[i % 5]); // every outcome with a dialed leg
        for (BrowserCall call : calls) {
            assertThat(twilio.send(call.voice())).as("voice request before the stall").isEqualTo(200);
        }
        BrowserCall watched = calls.get(0);
        assertThat(watched.outcome()).isEqualTo(Outcome.COMPLETED);
        ExecutorService clients = Executors.newFixedThreadPool(calls.size() + 2);
        try (LiveStreamClient stream = LiveStreamClient.open(twilio.publicBaseUrl(), watched.leadId(),
                IdentityProviderFake.crmUser(), null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.nextUntilQuiet(Duration.ofSeconds(2))).as("the call dialed, on the timeline").isNotEmpty();

            // --- the stall: 15 callbacks at once, and the probes, while nothing is forwarded ---------------
            proxy.freeze();
            long frozenAt = System.nanoTime();
            List<Map<String, String>> duringTheStall = calls.stream().map(c -> c.dialedLeg().get(0)).toList();
            CompletableFuture<List<TwilioDelivery.Attempt>> answers =
                    CompletableFuture.supplyAsync(() -> delivery.allAtOnce(duringTheStall, clients));
            List<String> probes = new ArrayList<>();
            Duration firstDown = null;
            while (System.nanoTime() - frozenAt < STALL.toNanos()) {
                Probe ready = get("/q/health/ready");
                Probe live = get("/q/health/live");
                Duration since = Duration.ofNanos(System.nanoTime() - frozenAt);
                probes.add(String.format("%5d ms: ready %d in %d ms, live %d in %d ms", since.toMillis(), ready.status(),
                        ready.took().toMillis(), live.status(), live.took().toMillis()));
                assertThat(ready.took()).as("readiness answers within 5 s: %s", probes).isLessThan(Duration.ofSeconds(5));
                assertThat(live.status()).as("liveness stays UP: %s", probes).isEqualTo(200);
                assertThat(live.took()).as("liveness answers within 2 s: %s", probes).isLessThan(Duration.ofSeconds(2));
                if (ready.status() == 503 && firstDown == null) {
                    firstDown = since;
                }
                Thread.sleep(1_000);
            }
            List<TwilioDelivery.Attempt> refused = answers.join();
            System.out.printf("Stall: callbacks %s%nprobes:%n  %s%n", refused, String.join("\n  ", probes));
            assertThat(firstDown).as("readiness DOWN within 15 s of the stall: %s", probes)
                    .isNotNull().isLessThan(Duration.ofSeconds(15));
            assertThat(refused).as("every callback during the stall: 503 with Retry-After, within Twilio's read timeout")
                    .allSatisfy(a -> {
                        assertThat(a.status()).isEqualTo(503);
                        assertThat(a.retryAfter()).isNotBlank();
                        assertThat(a.took()).isLessThan(TWILIO_READ_TIMEOUT);
                    });

            // --- the fail-over: every connection open now is a black hole; new ones reach the database ------
            proxy.blackHoleOpenConnections();
            long failedOverAt = System.nanoTime();
            Duration firstAccepted = delivery.retriedUntilAllAcknowledged(duringTheStall, clients, failedOverAt);
            System.out.printf("Fail-over: the first retry accepted %d ms after it%n", firstAccepted.toMillis());
            assertThat(firstAccepted).as("callbacks accepted again within 30 s of the fail-over, without a restart")
                    .isLessThan(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(15)).until(() -> get("/q/health/ready").status() == 200);

            // The live stream's LISTEN connection was one of the black-holed: it is found out and replaced.
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("calltracker_db_listener_reconnects_total") >= 1
                    && metric("calltracker_live_listener_connected") == 1);
            stream.nextUntilQuiet(Duration.ofSeconds(1));
            for (Map<String, String> r : watched.requests().subList(2, watched.requests().size())) {
                assertThat(delivery.untilAcknowledged(r).acknowledged()).isTrue();
            }
            List<LiveStreamClient.Event> live = stream.nextUntilQuiet(Duration.ofSeconds(3));
            assertThat(live).as("the stream receives changes again, announced on the new LISTEN connection").isNotEmpty();
            assertThat(live.get(live.size() - 1).data()).containsPattern("\"status\"\\s*:\\s*\"completed\"");
        } finally {
            clients.shutdownNow();
        }

        for (BrowserCall call : calls.subList(1, calls.size())) {
            for (Map<String, String> r : call.requests().subList(2, call.requests().size())) {
                assertThat(delivery.untilAcknowledged(r).acknowledged()).as("%s", r).isTrue();
            }
        }
        assertThat(sql.mismatches(calls)).as("calls whose final state differs from in-order delivery").isEmpty();
        assertThat(metric("calltracker_db_refusals_total")).as("refusals counted").isGreaterThanOrEqualTo(15);
        assertThat(metric("calltracker_db_connections_discarded_total")).as("silent connections closed").isPositive();
    }

    @Test
    void aFailOverThatBlackHolesThePoolsIdleConnectionsIsRecoveredWithin30Seconds() throws Exception {
        StallingProxy proxy = PostgresTestResource.proxy();
        List<BrowserCall> calls = CallStorm.callsToNewLeads(sql, 16, "+1555404", i -> Outcome.values()[i % 5]);
        ExecutorService clients = Executors.newFixedThreadPool(calls.size());
        try {
            // All at once, so that the pool opens many connections, which then sit idle in it.
            assertThat(delivery.allAtOnce(calls.stream().map(BrowserCall::voice).toList(), clients))
                    .allSatisfy(v -> assertThat(v.status()).isEqualTo(200));
            long open = proxy.forwardingConnections();
            assertThat(open).as("pooled connections and the listening one").isGreaterThanOrEqualTo(3);

            proxy.blackHoleOpenConnections();
            long failedOverAt = System.nanoTime();
            List<Map<String, String>> first = calls.stream().map(c -> c.dialedLeg().get(0)).toList();
            delivery.retriedUntilAllAcknowledged(first, clients, failedOverAt);
            Duration allAccepted = Duration.ofNanos(System.nanoTime() - failedOverAt);
            System.out.printf("Fail-over of %d idle connections: every callback accepted %d ms after it%n", open,
                    allAccepted.toMillis());
            assertThat(allAccepted).as("every callback accepted within 30 s, its dead connection replaced")
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            clients.shutdownNow();
        }
        for (BrowserCall call : calls) {
            for (Map<String, String> r : call.requests().subList(2, call.requests().size())) {
                assertThat(delivery.untilAcknowledged(r).acknowledged()).as("%s", r).isTrue();
            }
        }
        assertThat(sql.mismatches(calls)).isEmpty();
    }

    @Test
    void aLeadRowLockedByAnotherSessionRefusesTheCallbackWithinItsDeadline() throws Exception {
        String phone = "+15554030001";
        UUID lead = sql.insertLead("new", phone);
        BrowserCall call = BrowserCall.to(lead, phone, Outcome.COMPLETED);
        assertThat(twilio.send(call.voice())).isEqualTo(200);
        List<Map<String, String>> refused = new ArrayList<>();
        try (Connection crm = PostgresTestResource.connect(); Statement statement = crm.createStatement()) {
            // The CRM edits the lead and keeps its transaction open.
            crm.setAutoCommit(false);
            statement.execute("SELECT id FROM leads WHERE id = '" + lead + "' FOR UPDATE");
            for (Map<String, String> r : call.dialedLegAndAction()) {
                TwilioDelivery.Attempt answer = delivery.once(r);
                assertThat(answer.took()).as("answered within Twilio's read timeout: %s", answer)
                        .isLessThan(TWILIO_READ_TIMEOUT);
                assertThat(answer.status()).as("%s", answer).isIn(200, 204, 503);
                if (!answer.acknowledged()) {
                    assertThat(answer.retryAfter()).isNotBlank();
                    refused.add(r);
                }
            }
            assertThat(refused).as("the callback that contacts the lead waits for its row, and gives up in time").isNotEmpty();
            crm.rollback();
        }
        for (Map<String, String> r : refused) {
            assertThat(delivery.once(r).acknowledged()).as("Twilio's retry once the lock is gone").isTrue();
        }
        for (Map<String, String> r : call.requests().subList(1 + call.dialedLegAndAction().size(), call.requests().size())) {
            assertThat(delivery.once(r).acknowledged()).isTrue();
        }
        assertThat(sql.mismatches(List.of(call))).isEmpty();
    }

    private Probe get(String path) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(twilio.publicBaseUrl() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - started));
        } catch (Exception e) {
            return new Probe(-1, e.toString(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** The sum of a metric's series on /q/metrics. */
    private double metric(String name) {
        String body = get("/q/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(body == null ? "" : body);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }
}
