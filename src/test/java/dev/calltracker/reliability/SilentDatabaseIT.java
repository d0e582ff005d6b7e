package dev.calltracker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.CallStorm;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.StallingProxy;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioDelivery;
import dev.calltracker.testing.TwilioDelivery.Attempt;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The silent database against the packaged artifact (the native executable in CI's native run): its reactive
 * connections pass through a {@link StallingProxy} that stalls, then black-holes every connection open at that
 * moment while new ones reach the database. What {@code SilentDatabaseTest} proves in detail on the JVM, in short
 * here, where closing a silent connection relies on the SQL client's internals as the image compiled them.
 */
@QuarkusIntegrationTest
class SilentDatabaseIT {

    @Test
    void theArtifactRefusesInTimeDuringAStallAndRecoversFromAFailOverThatClosesNothing() throws Exception {
        URI database = URI.create(PostgresTestResource.reactiveUrl());
        TestSql sql = TestSql.forTests();
        List<BrowserCall> calls = CallStorm.callsToNewLeads(sql, 8, "+1555406", i -> Outcome.values()[i % 5]);
        ExecutorService clients = Executors.newFixedThreadPool(calls.size());
        try (StallingProxy proxy = StallingProxy.to(database.getHost(), database.getPort());
             ServiceProcess service = ServiceProcess.start("quarkus.datasource.reactive.url="
                     + PostgresTestResource.reactiveUrl().replace(":" + database.getPort() + "/", ":" + proxy.port() + "/"))) {
            TwilioDelivery delivery = new TwilioDelivery(service.twilio());
            assertThat(delivery.allAtOnce(calls.stream().map(BrowserCall::voice).toList(), clients))
                    .allSatisfy(voice -> assertThat(voice.status()).isEqualTo(200));

            proxy.freeze();
            List<Map<String, String>> first = calls.stream().map(c -> c.dialedLeg().get(0)).toList();
            List<Attempt> duringTheStall = delivery.allAtOnce(first, clients);
            assertThat(duringTheStall).as("503 with Retry-After, within Twilio's read timeout").allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.retryAfter()).isNotBlank();
                assertThat(a.took()).isLessThan(TwilioDelivery.READ_TIMEOUT);
            });
            await().atMost(Duration.ofSeconds(15)).until(() -> service.readinessStatus() == 503);

            proxy.blackHoleOpenConnections();
            long failedOverAt = System.nanoTime();
            delivery.retriedUntilAllAcknowledged(first, clients, failedOverAt);
            Duration recovered = Duration.ofNanos(System.nanoTime() - failedOverAt);
            System.out.printf("Silent database (artifact): stall answered in %s; every retry acknowledged %d ms after the fail-over%n",
                    duringTheStall.stream().map(a -> a.took().toMillis() + " ms").toList(), recovered.toMillis());
            assertThat(recovered).as("accepted again within 30 s, without a restart").isLessThan(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(15)).until(() -> service.readinessStatus() == 200);

            for (BrowserCall call : calls) {
                for (Map<String, String> r : call.requests().subList(2, call.requests().size())) {
                    assertThat(delivery.untilAcknowledged(r).acknowledged()).as("%s", r).isTrue();
                }
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(sql.mismatches(calls)).as("calls whose final state differs from in-order delivery").isEmpty();
    }
}
