package dev.calltracker.it;

import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while a callback is in flight: readiness goes DOWN first, the callback completes and is
 * stored, then the process exits. The request is held in flight by a row lock the test takes on its call.
 */
@QuarkusIntegrationTest
class GracefulShutdownIT {

    final TestSql sql = TestSql.forTests();

    @Test
    void aCallbackInFlightWhenShutdownBeginsCompletes() throws Exception {
        try (ServiceProcess service = ServiceProcess.start("quarkus.shutdown.delay=3s", "quarkus.shutdown.timeout=20s");
             Connection db = PostgresTestResource.connect()) {
            TwilioFake twilio = service.twilio();
            String parent = newSid("CA");
            String child = newSid("CA");
            OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
            assertThat(post(twilio, dialedStatus(parent, child, "ringing", 1, t, null))).isEqualTo(204);

            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement("SELECT 1 FROM call_recordings WHERE call_sid = ? FOR UPDATE")) {
                lock.setString(1, parent);
                try (ResultSet locked = lock.executeQuery()) {
                    assertThat(locked.next()).as("the call row is locked").isTrue();
                }
            }
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() ->
                    post(twilio, dialedStatus(parent, child, "completed", 3, t.plusSeconds(30), 29)));
            // The callback is in flight once some backend waits for a lock: it has reached the database.
            await("the callback waits for the row lock").atMost(Duration.ofSeconds(10))
                    .until(() -> sql.count("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);

            service.terminate();
            await("readiness goes DOWN while the pod still drains").atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(100)).until(() -> service.readinessStatus() == 503);
            assertThat(service.isAlive()).isTrue();

            db.commit(); // release the lock: the in-flight callback completes
            assertThat(inFlight.get()).as("the in-flight callback is answered").isEqualTo(204);
            assertThat(service.awaitExit(Duration.ofSeconds(30))).as("then the process exits").isTrue();

            assertThat(sql.call(parent).getString("status")).as("what was answered 2xx is stored").isEqualTo("completed");
        }
    }

    private static int post(TwilioFake twilio, Map<String, String> params) {
        return twilio.post(TwilioFake.WEBHOOK_PATH, params).then().extract().statusCode();
    }
}
