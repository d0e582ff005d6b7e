package dev.calltracker.security;

import static io.restassured.RestAssured.given;

import dev.calltracker.testing.TwilioApiTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every operator endpoint answers only to the operator's bearer token (ADMIN_TOKEN is set in the test profile). */
@QuarkusTest
class OperatorEndpointsTest {

    @ParameterizedTest
    @CsvSource({
            "POST, /api/admin/reconcile",
            "GET, /api/diagnostics/stuck-calls",
            "GET, /api/diagnostics/reconciliations"})
    void answerOnlyTheOperatorsBearerToken(String method, String path) {
        given().request(method, path).then().statusCode(401);
        given().header("Authorization", "Bearer wrong").request(method, path).then().statusCode(401);
        given().header("Authorization", "Basic " + TwilioApiTestResource.ADMIN_TOKEN).request(method, path)
                .then().statusCode(401);
    }

    @ParameterizedTest
    @CsvSource({"/api/diagnostics/stuck-calls", "/api/diagnostics/reconciliations"})
    void readsForTheOperator(String path) {
        given().header("Authorization", "Bearer " + TwilioApiTestResource.ADMIN_TOKEN).get(path).then().statusCode(200);
    }
}
