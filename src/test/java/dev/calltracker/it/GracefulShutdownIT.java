package dev.calltracker.it;

import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
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

    @Test
    void aCallbackInFlightWhenShutdownBeginsCompletes() throws Exception {
        int port = 8093;
        try (ServiceProcess service = ServiceProcess.start(port, PostgresTestResource.jdbcUrl(), PostgresTestResource.user(),
                PostgresTestResource.password(), "quarkus.shutdown.delay=3s", "quarkus.shutdown.timeout=20s");
             Connection db = PostgresTestResource.connect()) {
            TwilioFake twilio = new TwilioFake(service.baseUrl(), TwilioFake.TEST_AUTH_TOKEN);
            String parent = newSid("CA");
            String child = newSid("CA");
            OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
            assertThat(post(twilio, service, dialedStatus(parent, child, "ringing", 1, t, null))).isEqualTo(204);

            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement("SELECT 1 FROM call_recordings WHERE call_sid = ? FOR UPDATE")) {
                lock.setString(1, parent);
                try (ResultSet locked = lock.executeQuery()) {
                    assertThat(locked.next()).as("the call row is locked").isTrue();
                }
            }
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() ->
                    post(twilio, service, dialedStatus(parent, child, "completed", 3, t.plusSeconds(30), 29)));
            awaitALockWaiter(); // the callback is in flight, waiting for the row lock

            service.terminate();
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int readiness = 200;
            while (readiness == 200 && System.nanoTime() < deadline) {
                readiness = service.readinessStatus();
                Thread.sleep(100);
            }
            assertThat(readiness).as("readiness goes DOWN while the pod still drains").isEqualTo(503);
            assertThat(service.isAlive()).isTrue();

            db.commit(); // release the lock: the in-flight callback completes
            assertThat(inFlight.get()).as("the in-flight callback is answered").isEqualTo(204);
            assertThat(service.awaitExit(Duration.ofSeconds(30))).as("then the process exits").isTrue();

            db.setAutoCommit(true);
            try (PreparedStatement query = db.prepareStatement("SELECT status FROM call_recordings WHERE call_sid = ?")) {
                query.setString(1, parent);
                try (ResultSet rs = query.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("what was answered 2xx is stored").isEqualTo("completed");
                }
            }
        }
    }

    private static int post(TwilioFake twilio, ServiceProcess service, Map<String, String> params) {
        RequestSpecification spec = RestAssured.given().baseUri(service.baseUrl()).port(-1)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", twilio.sign(TwilioFake.WEBHOOK_PATH, params))
                .formParams(params);
        return spec.post(TwilioFake.WEBHOOK_PATH).then().extract().statusCode();
    }

    /** Waits until some backend waits for a lock: the in-flight callback has reached the database. */
    private static void awaitALockWaiter() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (Connection observer = PostgresTestResource.connect();
             PreparedStatement waiting = observer.prepareStatement("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the callback never waited for the row lock");
    }
}
