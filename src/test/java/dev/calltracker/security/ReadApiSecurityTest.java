package dev.calltracker.security;

import static dev.calltracker.testing.ReadApi.as;
import static dev.calltracker.testing.ReadApi.asCrmUser;
import static dev.calltracker.testing.ReadApi.asOperator;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.IdentityProviderTestResource;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Who may read calls and timelines: CRM users with their identity provider's token (RS256 or ES256, picked by
 * kid from the JWKS), operators with the admin token; everyone else gets 401 before anything shows whether
 * the lead or call exists.
 */
@QuarkusTest
class ReadApiSecurityTest extends ServiceTest {

    @Test
    void aCrmUsersTokenReadsTheCallAndTheTimelineNeverCached() {
        BrowserCall c = answeredCall();
        asCrmUser().get("/api/calls/" + c.parentSid()).then().statusCode(200).body("status", equalTo("completed"))
                .header("Cache-Control", "no-store");
        asCrmUser().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(200).body("$", hasSize(1))
                .header("Cache-Control", "no-store");
        as(IdentityProviderFake.crmUserEs256()).get("/api/calls/" + c.parentSid()).then().statusCode(200);
    }

    @Test
    void theRawTwilioParametersAreForOperatorsOnly() {
        BrowserCall c = answeredCall();
        asCrmUser().get("/api/calls/" + c.parentSid()).then().statusCode(200)
                .body("events.params", everyItem(anEmptyMap()));
        asOperator().get("/api/calls/" + c.parentSid()).then().statusCode(200)
                .body("events[0].params.LeadId", equalTo(c.leadId().toString()));
    }

    @Test
    void everyTokenItMustNotAcceptIsRefusedWith401WhetherTheLeadExistsOrNot() {
        BrowserCall c = answeredCall();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("malformed", "not-a-jwt");
        refused.put("expired", IdentityProviderFake.crmUserWith(Map.of("exp", NumericDate.fromSeconds(now() - 3600))));
        refused.put("not yet valid", IdentityProviderFake.crmUserWith(Map.of("nbf", NumericDate.fromSeconds(now() + 3600))));
        refused.put("wrong issuer", IdentityProviderFake.crmUserWith(Map.of("iss", "https://other.supabase.co/auth/v1")));
        refused.put("wrong audience", IdentityProviderFake.crmUserWith(Map.of("aud", "anon")));
        refused.put("unknown key", IdentityProviderFake.signedWithUnknownKey());
        refused.put("alg none", IdentityProviderFake.unsigned());
        refused.put("HS256 signed with the public key", IdentityProviderFake.hs256WithThePublicKey());
        for (var token : refused.entrySet()) {
            for (String path : List.of("/api/leads/" + c.leadId() + "/activities", "/api/leads/" + UUID.randomUUID() + "/activities",
                    "/api/calls/" + c.parentSid(), "/api/calls/" + TwilioFake.newSid("CA"))) {
                as(token.getValue()).get(path).then().statusCode(401)
                        .header("WWW-Authenticate", containsStringIgnoringCase("bearer"));
            }
        }
        given().get("/api/leads/" + c.leadId() + "/activities").then().statusCode(401)
                .header("WWW-Authenticate", containsStringIgnoringCase("bearer"));
        given().get("/api/calls/" + TwilioFake.newSid("CA")).then().statusCode(401);
    }

    @Test
    void aTokenInTheQueryStringIsNotATokenAtAll() {
        BrowserCall c = answeredCall();
        given().queryParam("access_token", IdentityProviderFake.crmUser())
                .get("/api/leads/" + c.leadId() + "/activities").then().statusCode(401);
    }

    @Test
    void aValidTokenWithoutTheCrmClaimOpensNothing() {
        BrowserCall c = answeredCall();
        Map<String, String> noCrmRole = Map.of("provider", "email");
        as(IdentityProviderFake.crmUserWith(Map.of("role", "anon", "app_metadata", noCrmRole)))
                .get("/api/calls/" + c.parentSid()).then().statusCode(403);
        as(IdentityProviderFake.crmUserWith(Map.of("groups", List.of("operator", "crm-user"), "role", "anon", "app_metadata", noCrmRole)))
                .get("/api/calls/" + c.parentSid()).then().statusCode(403);
    }

    @Test
    void aSignedUpUserWithoutTheAppMetadataClaimIsNoCrmUser() {
        BrowserCall c = answeredCall();
        String path = "/api/leads/" + c.leadId() + "/activities";
        as(IdentityProviderFake.crmUser()).get(path).then().statusCode(200);
        // What Supabase gives everyone who signs up: role and aud "authenticated", app_metadata without the claim.
        as(IdentityProviderFake.crmUserWith(Map.of("app_metadata", Map.of("provider", "email")))).get(path).then().statusCode(403);
        // user_metadata is the user's own to write; a top-level claim of the same name is not app_metadata's member.
        as(IdentityProviderFake.crmUserWith(Map.of("app_metadata", Map.of("provider", "email"),
                "user_metadata", Map.of("crm_role", "agent"), "crm_role", "agent"))).get(path).then().statusCode(403);
        as(IdentityProviderFake.crmUserWith(Map.of("app_metadata", Map.of("crm_role", "admin")))).get(path).then().statusCode(403);
        as(IdentityProviderFake.crmUserWith(Map.of("app_metadata", Map.of("crm_role", List.of("viewer", "agent")))))
                .get(path).then().statusCode(200);
    }

    @Test
    void aCrmUserNeverOpensTheOperatorEndpoints() {
        asCrmUser().get("/api/diagnostics/stuck-calls").then().statusCode(403);
        asCrmUser().post("/api/admin/reconcile").then().statusCode(403);
        as(IdentityProviderFake.crmUserWith(Map.of("groups", List.of("operator")))).get("/api/diagnostics/stuck-calls")
                .then().statusCode(403);
        asOperator().get("/api/diagnostics/stuck-calls").then().statusCode(200).header("Cache-Control", "no-store");
    }

    @Test
    void aRotatedSigningKeyIsFetchedByItsKid() {
        BrowserCall c = answeredCall();
        String signedWithTheNextKey = IdentityProviderFake.signedWithNextKey();
        IdentityProviderFake.rotate();
        IdentityProviderTestResource.publishKeys();
        // jose4j ignores a JWKS refresh within 300 ms of the previous one (an earlier test's unknown kid may
        // just have caused one): the new key is picked up on the first unknown-kid token after that.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                as(signedWithTheNextKey).get("/api/calls/" + c.parentSid()).then().statusCode(200));
        asCrmUser().get("/api/calls/" + c.parentSid()).then().statusCode(200);
    }

    @Test
    void browsersOfTheConfiguredCrmOriginMayAskWithAToken() {
        given().header("Origin", "https://crm.example.com").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/api/leads/" + UUID.randomUUID() + "/activities").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "https://crm.example.com")
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("authorization"));
        given().header("Origin", "https://evil.example.com").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/api/leads/" + UUID.randomUUID() + "/activities").then()
                .statusCode(not(equalTo(200)))
                .header("Access-Control-Allow-Origin", nullValue());
    }

    private BrowserCall answeredCall() {
        UUID lead = sql.insertLead("new", "+15551230123");
        BrowserCall c = BrowserCall.to(lead, "+15551230123", BrowserCall.Outcome.COMPLETED);
        twilio.post(TwilioFake.VOICE_PATH, c.voice()).then().statusCode(200);
        twilio.playTheDial(c);
        return c;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
