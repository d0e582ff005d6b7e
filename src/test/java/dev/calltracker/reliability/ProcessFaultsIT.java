package dev.calltracker.reliability;

import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.CallStorm;
import dev.calltracker.testing.ConcurrentDelivery;
import dev.calltracker.testing.ConcurrentDelivery.Answer;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Suites 3 and 4 against the packaged application, as separate processes: {@code kill -9} during a
 * storm, and two replicas on one database handling the same calls and reconciling concurrently.
 */
@QuarkusIntegrationTest
class ProcessFaultsIT {

    static final String ADMIN_TOKEN = "faults-admin-token";

    final TestSql sql = TestSql.forTests();

    @Test
    void killMinusNineLosesNothingThatWasAnswered2xxAndRedeliveryIsIdempotent() throws Exception {
        Random random = new Random(99);
        List<BrowserCall> calls = CallStorm.callsToNewLeads(sql, 120, "+1555301", CallStorm.randomOutcomes(random));
        List<Map<String, String>> requests = CallStorm.voiceFirstThenShuffled(calls, random);

        List<Answer> answers = new ArrayList<>();
        try (ServiceProcess service = start()) {
            TwilioFake twilio = service.twilio();
            answers.addAll(ConcurrentDelivery.byClients(16)
                    .afterEachAnswer(answered -> {
                        if (answered == requests.size() * 2 / 5) {
                            service.kill(); // SIGKILL in the middle of the storm
                        }
                    })
                    .send(requests, CallStorm.parentEndAfterItsVoice(calls, twilio::send)));
            assertThat(service.awaitExit(Duration.ofSeconds(10))).isTrue();
        }

        List<Map<String, String>> acknowledged = ConcurrentDelivery.acknowledged(answers);
        int lost = sql.notStoredOnce(acknowledged).size();
        System.out.printf("Process kill: requests=%d answered 2xx before the kill=%d lost=%d%n",
                requests.size(), acknowledged.size(), lost);
        assertThat(acknowledged).as("some requests were answered before the kill").isNotEmpty();
        assertThat(acknowledged.size()).as("the kill happened mid-storm").isLessThan(requests.size());
        assertThat(lost).as("requests answered 2xx but not stored").isZero();

        // Twilio re-delivers (everything, to be thorough) to the restarted service.
        try (ServiceProcess service = start()) {
            TwilioFake twilio = service.twilio();
            for (Map<String, String> r : requests) {
                assertThat(twilio.send(r)).isBetween(200, 299);
            }
        }
        assertThat(sql.mismatches(calls)).as("calls whose final state differs from in-order delivery").isEmpty();
    }

    @Test
    void twoReplicasShareCallbacksAndReconcileConcurrentlyWithoutLostUpdatesOrDoubleDecisions() throws Exception {
        Random random = new Random(7);
        List<BrowserCall> calls = CallStorm.callsToNewLeads(sql, 150, "+1555302", CallStorm.randomOutcomes(random));
        List<Map<String, String>> requests = CallStorm.voiceFirstThenShuffled(calls, random);
        List<String> staleCalls = insertStaleCalls(300);

        try (ServiceProcess a = start(); ServiceProcess b = start()) {
            TwilioFake[] replicas = {a.twilio(), b.twilio()};
            // Both replicas reconcile, over and over, while the callbacks of the same calls go to either.
            CompletableFuture<Void> reconcilingA = CompletableFuture.runAsync(() -> reconcileRepeatedly(a.baseUrl()));
            CompletableFuture<Void> reconcilingB = CompletableFuture.runAsync(() -> reconcileRepeatedly(b.baseUrl()));
            List<Map<String, String>> withStaleCallbacks = new ArrayList<>(requests);
            OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(19).truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < staleCalls.size(); i += 3) {
                withStaleCallbacks.add(dialedStatus(staleCalls.get(i), newSid("CA"), "completed", 3, t, 30));
            }
            Collections.shuffle(withStaleCallbacks, random);
            List<Answer> answers = new ArrayList<>();
            for (List<Map<String, String>> wave : CallStorm.parentEndsLast(calls, withStaleCallbacks)) {
                answers.addAll(ConcurrentDelivery.byClients(16).send(wave, r -> replicas[random.nextInt(2)].send(r)));
            }
            assertThat(answers.stream().filter(answer -> !answer.acknowledged()).toList()).isEmpty();
            reconcilingA.get();
            reconcilingB.get();
            reconcileRepeatedly(a.baseUrl());
        }

        assertThat(sql.mismatches(calls)).as("lost updates between replicas").isEmpty();
        Object sids = staleCalls.toArray(String[]::new);
        assertThat(sql.count("SELECT count(*) FROM (SELECT call_sid FROM call_events WHERE kind = 'reconciler' "
                + "AND call_sid = ANY($1) GROUP BY call_sid HAVING count(*) > 1) t", sids)).as("calls decided twice").isZero();
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = ANY($1) AND status <> 'completed'", sids))
                .as("stale calls left undecided").isZero();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static ServiceProcess start() throws Exception {
        return ServiceProcess.start("admin.token=" + ADMIN_TOKEN, "quarkus.shutdown.delay-enabled=false",
                "twilio.account-sid=", "reconcile.batch-size=40");
    }

    /** Inserts stale calls with a duration (the reconciler completes them from evidence); returns their sids. */
    private List<String> insertStaleCalls(int n) {
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sids.add(sql.insertStaleCall(null, null, "in-progress", 30, Duration.ofMinutes(20)));
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
