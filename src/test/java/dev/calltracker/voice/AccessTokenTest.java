package dev.calltracker.voice;

import dev.calltracker.testing.ServiceTest;
import static dev.calltracker.testing.AccessTokenVerifier.API_KEY_SECRET;
import static dev.calltracker.testing.AccessTokenVerifier.API_KEY_SID;
import static dev.calltracker.testing.AccessTokenVerifier.TWIML_APP_SID;
import static dev.calltracker.testing.AccessTokenVerifier.verified;
import static dev.calltracker.testing.ReadApi.as;
import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.ReadApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;

import dev.calltracker.testing.AccessTokenVerifier.Verified;
import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.jsonwebtoken.security.SignatureException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The browser's Twilio Voice access token: verified by jjwt (not the jose4j that signs it) with the API key's secret
 * of the test profile, claim by claim as Twilio reads it; and the identity it names is one the voice webhook takes.
 */
@QuarkusTest
class AccessTokenTest extends ServiceTest {

    static final String PATH = "/api/calling/token";
    /** {@link IdentityProviderFake}'s subject, hyphens made underscores. */
    static final String AGENT = "0b6f0c1e_7d1a_4a55_9a3e_3c2b1f0e9d11";

    @Test
    void aCrmUserGetsAVoiceTokenSignedWithTheApiKeyForTheTwimlApp() {
        long before = System.currentTimeMillis() / 1000;
        JsonPath answer = asCrmUser().post(PATH).then().statusCode(200).header("Cache-Control", "no-store")
                .extract().jsonPath();
        long after = System.currentTimeMillis() / 1000;
        String token = answer.getString("token");

        Verified jws = verified(token, API_KEY_SECRET);
        assertThat(jws.header().getAlgorithm()).isEqualTo("HS256");
        assertThat(jws.header().getType()).isEqualTo("JWT");
        // Raw: jjwt's getContentType() reads it as RFC 7515 allows, prefixed with application/.
        assertThat(jws.header().get("cty")).isEqualTo("twilio-fpa;v=1");
        assertThat(jws.header().keySet()).containsExactlyInAnyOrder("alg", "typ", "cty");
        Map<String, Object> claims = jws.claims();
        long issued = jws.seconds("iat");
        assertThat(issued).isBetween(before, after);
        assertThat(claims.get("jti")).isEqualTo(API_KEY_SID + "-" + issued);
        assertThat(claims.get("iss")).isEqualTo(API_KEY_SID);
        assertThat(claims.get("sub")).isEqualTo(TwilioFake.ACCOUNT_SID);
        assertThat(jws.seconds("nbf")).isEqualTo(issued);
        assertThat(jws.seconds("exp")).as("the default TTL, an hour").isEqualTo(issued + 3600);
        Map<?, ?> grants = (Map<?, ?>) claims.get("grants");
        assertThat(grants.get("identity")).isEqualTo(AGENT);
        assertThat(grants.get("voice")).isEqualTo(Map.of("outgoing", Map.of("application_sid", TWIML_APP_SID),
                "incoming", Map.of("allow", false)));
        assertThat(claims.keySet()).containsExactlyInAnyOrder("jti", "iss", "sub", "iat", "nbf", "exp", "grants");

        assertThat(answer.getString("identity")).isEqualTo(AGENT);
        assertThat(OffsetDateTime.parse(answer.getString("expiresAt")).toEpochSecond()).isEqualTo(issued + 3600);
    }

    @Test
    void theTokenVerifiesWithTheApiKeySecretOnly() {
        String token = asCrmUser().post(PATH).then().statusCode(200).extract().jsonPath().getString("token");
        assertThatThrownBy(() -> verified(token, "another-api-key-secret-32-chars!")).isInstanceOf(SignatureException.class);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace(AGENT, "someone_else").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> verified(forged, API_KEY_SECRET)).isInstanceOf(SignatureException.class);
    }

    @Test
    void theVoiceWebhookDialsForTheIdentityTheTokenNames() throws Exception {
        String identity = asCrmUser().post(PATH).then().statusCode(200).extract().jsonPath().getString("identity");
        Map<String, Object> claims = verified(asCrmUser().post(PATH).then().extract().jsonPath().getString("token"),
                API_KEY_SECRET).claims();
        assertThat(((Map<?, ?>) claims.get("grants")).get("identity")).isEqualTo(identity);

        UUID lead = sql.insertLead("new", "+15551230401");
        String sid = TwilioFake.newSid("CA");
        // As Twilio sends the voice request of a Device holding that token.
        Map<String, String> voice = new HashMap<>(TwilioFake.voice(sid, "+15551230401", lead.toString()));
        voice.put("From", "client:" + identity);
        voice.put("Caller", "client:" + identity);
        voice.put("ApplicationSid", TWIML_APP_SID);
        twilio.post(TwilioFake.VOICE_PATH, voice).then().statusCode(200).body(containsString("<Number"));
        assertThat(sql.call(sid).getString("caller")).isEqualTo("client:" + identity);
    }

    @Test
    void withoutATokenIs401AndWithoutTheCrmRoleIs403() {
        given().post(PATH).then().statusCode(401).header("WWW-Authenticate", containsStringIgnoringCase("bearer"));
        as("not-a-jwt").post(PATH).then().statusCode(401);
        as(IdentityProviderFake.crmUserWith(Map.of("app_metadata", Map.of("provider", "email")))).post(PATH).then()
                .statusCode(403).body("error", equalTo("not allowed for this caller"));
        // The admin token is no agent: it has no identity to put in a token.
        asOperator().post(PATH).then().statusCode(403);
    }

    @Test
    void aClaimThatCannotBeATwilioIdentityIsRefusedWith422() {
        as(IdentityProviderFake.crmUserWith(Map.of("sub", "agent.one@example.com"))).post(PATH).then().statusCode(422)
                .header("Cache-Control", "no-store")
                .body("field", equalTo("sub")).body("error", containsString("cannot be a Twilio client identity"));
        as(IdentityProviderFake.crmUserWith(Map.of("sub", "x".repeat(257)))).post(PATH).then().statusCode(422);
        as(IdentityProviderFake.crmUserWith(Map.of("sub", "agent_7"))).post(PATH).then().statusCode(200)
                .body("identity", equalTo("agent_7"));
    }

    @Test
    void theCrmsOriginMayAskForATokenFromTheBrowser() {
        given().header("Origin", "https://crm.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization").options(PATH).then()
                .header("Access-Control-Allow-Origin", "https://crm.example.com")
                .header("Access-Control-Allow-Methods", containsString("POST"));
    }
}
