package dev.calltracker.reliability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.CallStorm;
import dev.calltracker.testing.ConcurrentDelivery;
import dev.calltracker.testing.ConcurrentDelivery.Answer;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Suite 2: the database stops and restarts during a storm. While it is down: readiness DOWN (the pod
 * leaves the Service), liveness UP (a restart cannot fix the database), callbacks 503 (never a 2xx for
 * something not stored). Afterwards the service recovers without a restart, every request answered 2xx
 * is stored, and re-sending the refused ones (as Twilio's retries do) gives the in-order final state.
 */
@QuarkusTest
class DatabaseOutageTest extends ServiceTest {

    @Test
    void aStormThroughADatabaseRestartLosesNothingAnswered2xx() {
        Assumptions.assumeTrue(PostgresTestResource.canRestartDatabase(), "needs the embedded test database");
        Random random = new Random(5);
        List<BrowserCall> calls = CallStorm.callsToNewLeads(sql, 100, "+1555401", CallStorm.randomOutcomes(random));
        List<Map<String, String>> requests = CallStorm.voiceFirstThenShuffled(calls, random);
        List<String> probesWhileDown = new ArrayList<>();
        AtomicInteger refusedWhileDown = new AtomicInteger();

        ToIntFunction<Map<String, String>> sender = r -> {
            int status = twilio.send(r);
            if (status == 503 || status == -1) {
                refusedWhileDown.incrementAndGet();
            }
            return status;
        };
        List<Answer> answers = ConcurrentDelivery.byClients(16)
                .afterEachAnswer(answered -> {
                    if (answered == requests.size() / 3) {
                        outage(probesWhileDown, refusedWhileDown);
                    }
                })
                .send(requests, CallStorm.parentEndAfterItsVoice(calls, sender));

        assertThat(probesWhileDown).containsExactly("ready=503 DOWN", "live=200 UP");
        List<Map<String, String>> acknowledged = ConcurrentDelivery.acknowledged(answers);
        List<Map<String, String>> refused = ConcurrentDelivery.refused(answers);
        assertThat(refused).as("some requests met the outage").isNotEmpty();
        assertThat(answers).as("refusals are 503 (or a dropped connection), never 2xx or 4xx")
                .allMatch(a -> a.acknowledged() || a.status() == 503 || a.status() == -1);
        assertThat(sql.notStoredOnce(acknowledged)).as("answered 2xx but not stored").isEmpty();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        for (Map<String, String> r : refused) {
            assertThat(twilio.send(r)).as("retry of %s", r).isBetween(200, 299);
        }
        System.out.printf("Database outage: requests=%d answered 2xx=%d refused during the outage=%d lost=0%n",
                requests.size(), acknowledged.size(), refused.size());
        assertThat(sql.mismatches(calls)).as("calls whose final state differs from in-order delivery").isEmpty();
    }

    /**
     * Stops the database, checks the probes while it is down and lets the storm meet it, starts it again.
     * Runs on one client's thread: the other clients keep sending meanwhile.
     */
    private static synchronized void outage(List<String> probes, AtomicInteger refused) {
        try {
            // Counted before the stop: refusals are fast (no connection to wait for), and the other clients may
            // have met the outage with all their remaining requests before the probes below are read.
            int refusedBefore = refused.get();
            PostgresTestResource.stopDatabase();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 503);
                var ready = given().get("/q/health/ready");
                probes.add("ready=" + ready.statusCode() + " " + ready.jsonPath().getString("status"));
                var live = given().get("/q/health/live");
                probes.add("live=" + live.statusCode() + " " + live.jsonPath().getString("status"));
                // Requests keep arriving while it is down: wait until some of them have been refused.
                await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= refusedBefore + 10);
            } finally {
                PostgresTestResource.startDatabase();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
