package dev.calltracker.reliability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Suite 2: the database stops and restarts during a storm. While it is down: readiness DOWN (the pod
 * leaves the Service), liveness UP (a restart cannot fix the database), callbacks 503 (never a 2xx for
 * something not stored). Afterwards the service recovers without a restart, every request answered 2xx
 * is stored, and re-sending the refused ones (as Twilio's retries do) gives the in-order final state.
 */
@QuarkusTest
class DatabaseOutageTest {

    @Test
    void aStormThroughADatabaseRestartLosesNothingAnswered2xx() throws Exception {
        Assumptions.assumeTrue(PostgresTestResource.canRestartDatabase(), "needs the embedded test database");
        TwilioFake twilio = TwilioFake.forTests();
        Random random = new Random(5);
        var calls = StormFixtures.newCalls(100, "+1555401", random);
        List<Map<String, String>> requests = StormFixtures.deliveryOrder(calls, random);
        List<Map.Entry<Map<String, String>, Integer>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answered = new AtomicInteger();
        List<String> probesWhileDown = new ArrayList<>();

        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> sent = new ArrayList<>();
        for (Map<String, String> r : requests) {
            sent.add(clients.submit(() -> {
                answers.add(Map.entry(r, twilio.send(TwilioFake.pathOf(r), r)));
                if (answered.incrementAndGet() == requests.size() / 3) {
                    outage(probesWhileDown);
                }
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        clients.shutdown();

        assertThat(probesWhileDown).containsExactly("ready=503 DOWN", "live=200 UP");
        List<Map<String, String>> acknowledged = answers.stream()
                .filter(e -> e.getValue() >= 200 && e.getValue() < 300).map(Map.Entry::getKey).toList();
        List<Map<String, String>> refused = answers.stream()
                .filter(e -> e.getValue() < 200 || e.getValue() >= 300).map(Map.Entry::getKey).toList();
        assertThat(refused).as("some requests met the outage").isNotEmpty();
        assertThat(answers.stream().map(Map.Entry::getValue).toList()).as("refusals are 503 (or a dropped connection), never 2xx or 4xx")
                .allMatch(status -> (status >= 200 && status < 300) || status == 503 || status == -1);
        assertThat(StormFixtures.notStored(acknowledged)).as("answered 2xx but not stored").isEmpty();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        for (Map<String, String> r : refused) {
            assertThat(twilio.send(TwilioFake.pathOf(r), r)).as("retry of %s", r).isBetween(200, 299);
        }
        System.out.printf("Database outage: requests=%d answered 2xx=%d refused during the outage=%d lost=0%n",
                requests.size(), acknowledged.size(), refused.size());
        assertThat(StormFixtures.mismatches(calls)).as("calls whose final state differs from in-order delivery").isEmpty();
    }

    /** Stops the database, checks the probes while it is down, starts it again. */
    private static synchronized void outage(List<String> probes) {
        try {
            PostgresTestResource.stopDatabase();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 503);
                var ready = given().get("/q/health/ready");
                probes.add("ready=" + ready.statusCode() + " " + ready.jsonPath().getString("status"));
                var live = given().get("/q/health/live");
                probes.add("live=" + live.statusCode() + " " + live.jsonPath().getString("status"));
                Thread.sleep(1_000); // requests keep arriving while it is down
            } finally {
                PostgresTestResource.startDatabase();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
