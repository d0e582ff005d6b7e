package dev.calltracker.reliability;

import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.reliability.CallbackStormTest.StormCall;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Suites 3 and 4 against the packaged application, as separate processes: {@code kill -9} during a
 * storm, and two replicas on one database handling the same calls and reconciling concurrently.
 */
@QuarkusIntegrationTest
class ProcessFaultsIT {

    static final String ADMIN_TOKEN = "faults-admin-token";

    @Test
    void killMinusNineLosesNothingThatWasAnswered2xxAndRedeliveryIsIdempotent() throws Exception {
        Random random = new Random(99);
        List<StormCall> calls = StormFixtures.newCalls(120, "+1555301", random);
        List<Map<String, String>> requests = StormFixtures.deliveryOrder(calls, random);
        List<Map.Entry<Map<String, String>, Integer>> answers = java.util.Collections.synchronizedList(new ArrayList<>());

        try (ServiceProcess service = start(8094)) {
            TwilioFake twilio = new TwilioFake(service.baseUrl(), TwilioFake.TEST_AUTH_TOKEN);
            AtomicInteger answered = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<Future<?>> sent = new ArrayList<>();
            for (Map<String, String> r : requests) {
                sent.add(clients.submit(() -> {
                    int status = twilio.send(TwilioFake.pathOf(r), r);
                    answers.add(Map.entry(r, status));
                    if (answered.incrementAndGet() == requests.size() * 2 / 5) {
                        service.kill(); // SIGKILL in the middle of the storm
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            clients.shutdown();
            assertThat(service.awaitExit(Duration.ofSeconds(10))).isTrue();
        }

        List<Map<String, String>> acknowledged = answers.stream()
                .filter(e -> e.getValue() >= 200 && e.getValue() < 300).map(Map.Entry::getKey).toList();
        int lost = StormFixtures.notStored(acknowledged).size();
        System.out.printf("Process kill: requests=%d answered 2xx before the kill=%d lost=%d%n",
                requests.size(), acknowledged.size(), lost);
        assertThat(acknowledged).as("some requests were answered before the kill").isNotEmpty();
        assertThat(acknowledged.size()).as("the kill happened mid-storm").isLessThan(requests.size());
        assertThat(lost).as("requests answered 2xx but not stored").isZero();

        // Twilio re-delivers (everything, to be thorough) to the restarted service.
        try (ServiceProcess service = start(8094)) {
            TwilioFake twilio = new TwilioFake(service.baseUrl(), TwilioFake.TEST_AUTH_TOKEN);
            for (Map<String, String> r : requests) {
                assertThat(twilio.send(TwilioFake.pathOf(r), r)).isBetween(200, 299);
            }
        }
        assertThat(StormFixtures.mismatches(calls)).as("calls whose final state differs from in-order delivery").isEmpty();
    }

    @Test
    void twoReplicasShareCallbacksAndReconcileConcurrentlyWithoutLostUpdatesOrDoubleDecisions() throws Exception {
        Random random = new Random(7);
        List<StormCall> calls = StormFixtures.newCalls(150, "+1555302", random);
        List<Map<String, String>> requests = StormFixtures.deliveryOrder(calls, random);
        List<String> staleCalls = insertStaleCalls(300);

        try (ServiceProcess a = start(8095); ServiceProcess b = start(8096)) {
            TwilioFake[] replicas = {new TwilioFake(a.baseUrl(), TwilioFake.TEST_AUTH_TOKEN),
                    new TwilioFake(b.baseUrl(), TwilioFake.TEST_AUTH_TOKEN)};
            ExecutorService pool = Executors.newFixedThreadPool(18);
            List<Future<?>> work = new ArrayList<>();
            // Both replicas reconcile, over and over, while the callbacks of the same calls go to either.
            work.add(pool.submit(() -> reconcileRepeatedly(a.baseUrl())));
            work.add(pool.submit(() -> reconcileRepeatedly(b.baseUrl())));
            List<Map<String, String>> withStaleCallbacks = new ArrayList<>(requests);
            OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(19).truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < staleCalls.size(); i += 3) {
                withStaleCallbacks.add(dialedStatus(staleCalls.get(i), newSid("CA"), "completed", 3, t, 30));
            }
            Collections.shuffle(withStaleCallbacks, random);
            for (Map<String, String> r : withStaleCallbacks) {
                work.add(pool.submit(() -> {
                    int status = replicas[random.nextInt(2)].send(TwilioFake.pathOf(r), r);
                    assertThat(status).isBetween(200, 299);
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            reconcileRepeatedly(a.baseUrl());
        }

        assertThat(StormFixtures.mismatches(calls)).as("lost updates between replicas").isEmpty();
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement twice = db.prepareStatement("SELECT count(*) FROM (SELECT call_sid FROM call_events "
                     + "WHERE kind = 'reconciler' AND call_sid = ANY(?) GROUP BY call_sid HAVING count(*) > 1) t");
             PreparedStatement open = db.prepareStatement("SELECT count(*) FROM call_recordings WHERE call_sid = ANY(?) "
                     + "AND status <> 'completed'")) {
            java.sql.Array sids = db.createArrayOf("text", staleCalls.toArray());
            twice.setArray(1, sids);
            open.setArray(1, sids);
            try (ResultSet rs = twice.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("calls decided twice").isZero();
            }
            try (ResultSet rs = open.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("stale calls left undecided").isZero();
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static ServiceProcess start(int port) throws Exception {
        return ServiceProcess.start(port, PostgresTestResource.jdbcUrl(), PostgresTestResource.user(),
                PostgresTestResource.password(), "admin.token=" + ADMIN_TOKEN, "quarkus.shutdown.delay-enabled=false",
                "twilio.account-sid=", "reconcile.batch-size=40");
    }

    /** Inserts stale calls with a duration (the reconciler completes them from evidence); returns their sids. */
    private static List<String> insertStaleCalls(int n) throws Exception {
        List<String> sids = new ArrayList<>();
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement insert = db.prepareStatement("INSERT INTO call_recordings (call_sid, status, duration_seconds, "
                     + "created_at, last_event_at) VALUES (?, 'in-progress', 30, now() - interval '20 minutes', "
                     + "now() - interval '20 minutes')")) {
            for (int i = 0; i < n; i++) {
                String sid = newSid("CA");
                insert.setString(1, sid);
                insert.executeUpdate();
                sids.add(sid);
            }
        }
        return sids;
    }

    /**
     * Runs the replica's reconciler 100 times (a run skipped because another run of the replica is in
     * progress does not count). Not "until nothing is claimed": the calls the policy leaves open (no
     * credentials, too young to give up on) are released and claimed again by every run.
     */
    private static void reconcileRepeatedly(String baseUrl) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try {
            int runs = 0;
            while (runs < 100) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + runs + " reconciler runs in 2 minutes");
                }
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/reconcile"))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                if (new JsonObject(response.body()).getBoolean("skipped")) {
                    Thread.sleep(50);
                } else {
                    runs++;
                }
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
