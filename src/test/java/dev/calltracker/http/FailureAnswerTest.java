package dev.calltracker.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.impl.NoStackTraceThrowable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

/**
 * Failures that are not a client's fault never answer 2xx, and those of an unreachable database answer
 * 503 so Twilio retries: including the Vert.x SQL client's Throwables that are not Exceptions
 * ("Connection is not active now"), seen during the database outage suite.
 */
@QuarkusTest
class FailureAnswerTest {

    /** A test-only endpoint failing the way the reactive SQL client fails when its connection closes. */
    @Path("/test-only/failing")
    public static class FailingResource {
        @GET
        @Path("/throwable")
        public Uni<String> throwable() {
            return Uni.createFrom().failure(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"));
        }

        @GET
        @Path("/exception")
        public Uni<String> exception() {
            return Uni.createFrom().failure(new java.net.ConnectException("Connection refused"));
        }
    }

    @Test
    void aClosedConnectionAnswers503() {
        given().get("/test-only/failing/throwable").then().statusCode(503).header("Retry-After", "1")
                .body("status", equalTo(503));
        given().get("/test-only/failing/exception").then().statusCode(503);
    }
}
