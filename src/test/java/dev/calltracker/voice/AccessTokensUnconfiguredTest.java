package dev.calltracker.voice;

import static dev.calltracker.testing.ReadApi.asCrmUser;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without the TwiML App (and the API key) the service starts; only the token endpoint answers 503, naming them. */
@QuarkusTest
@TestProfile(AccessTokensUnconfiguredTest.WithoutTwimlApp.class)
class AccessTokensUnconfiguredTest {

    public static class WithoutTwimlApp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // An empty value is an unset variable.
            return Map.of("calling.twiml-app-sid", "", "twilio.api-key-sid", "", "twilio.api-key-secret", "");
        }
    }

    @Test
    void theTokenEndpointSaysWhatToSet() {
        asCrmUser().post(AccessTokenTest.PATH).then().statusCode(503).header("Cache-Control", "no-store")
                .header("Retry-After", (String) null)
                .body("error", equalTo("access tokens are not configured: set TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET, "
                        + "CALLING_TWIML_APP_SID"));
        given().post(AccessTokenTest.PATH).then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
