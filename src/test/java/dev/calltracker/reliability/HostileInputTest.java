package dev.calltracker.reliability;

import static dev.calltracker.testing.TwilioFake.dialAction;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.parentStatus;
import static dev.calltracker.testing.TwilioFake.recording;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.ReadApi;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioApiTestResource;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Suite 5: a corpus of hostile requests against every endpoint. Each must get a clear 4xx (or TwiML
 * that refuses), and afterwards the database must be exactly as before: nothing written, nothing changed.
 */
@QuarkusTest
class HostileInputTest extends ServiceTest {

    static final List<String> PAYLOADS = List.of(
            "'; DROP TABLE leads; --",
            "' OR '1'='1",
            "<Dial>+19005551234</Dial>",
            "]]><Hangup/><![CDATA[",
            "\"/><Redirect>https://evil.example</Redirect>",
            "bell\u0007",
            "nul\u0000byte",
            "line\r\nX-Injected: 1",
            "x".repeat(5000));

    /** The service's own address, for requests Twilio would never send. */
    @TestHTTPResource
    URI service;

    final List<String> failures = new ArrayList<>();
    int tried;

    record Answer(int status, String body) {
        static Answer of(Response r) {
            return new Answer(r.statusCode(), r.asString());
        }
    }

    /**
     * @param expected the statuses that refuse this request for the right reason; 200 means TwiML that
     *                 refuses the dial (no {@code <Dial>}, a {@code <Hangup/>})
     */
    record Case(String name, Supplier<Answer> request, Set<Integer> expected) {
    }

    static final Set<Integer> FORBIDDEN = Set.of(403);
    static final Set<Integer> BAD_REQUEST = Set.of(400);
    static final Set<Integer> REFUSING_TWIML = Set.of(200);

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A raw body, byte for byte, with the given content type (RestAssured would re-encode it). */
    Answer raw(String path, String contentType, byte[] body) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(service.resolve(path))
                    .header("Content-Type", contentType).header("X-Twilio-Signature", "x")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyHostileRequestIsRefusedAndWritesNothing() {
        UUID lead = sql.insertLead("new", "+15558880000");
        String snapshotBefore = snapshot();

        List<Case> cases = new ArrayList<>();
        String parent = newSid("CA");
        String child = newSid("CA");
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, Map<String, String>> valid = new LinkedHashMap<>();
        valid.put(TwilioFake.VOICE_PATH, voice(parent, "+15558880000", lead.toString()));
        valid.put(TwilioFake.WEBHOOK_PATH + " status", dialedStatus(parent, child, "completed", 3, t, 30));
        valid.put(TwilioFake.WEBHOOK_PATH + " action", dialAction(parent, child, "completed", 30));
        valid.put(TwilioFake.WEBHOOK_PATH + " parent", parentStatus(parent, "completed", t, 31));
        valid.put(TwilioFake.RECORDING_PATH, recording(parent, newSid("RE"), 29));
        valid.put(TwilioFake.AMD_PATH, TwilioFake.amd(child, "human"));

        valid.forEach((label, params) -> {
            String path = label.split(" ")[0];
            // Signatures: missing, forged, another token (stale or stolen), one parameter changed after signing,
            // replayed to another endpoint, signed for another query string.
            cases.add(new Case(label + " without signature", () -> Answer.of(given().contentType(form()).formParams(params).post(path)), FORBIDDEN));
            cases.add(new Case(label + " forged signature", () -> Answer.of(given().contentType(form())
                    .header("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=").formParams(params).post(path)), FORBIDDEN));
            cases.add(new Case(label + " signed with another token",
                    () -> Answer.of(twilio.withAuthToken("old-rotated-token").post(path, params)), FORBIDDEN));
            for (String field : params.keySet()) {
                Map<String, String> altered = new LinkedHashMap<>(params);
                altered.put(field, params.get(field) + "0");
                String signature = twilio.sign(path, params);
                cases.add(new Case(label + " " + field + " changed after signing", () -> Answer.of(given().contentType(form())
                        .header("X-Twilio-Signature", signature).formParams(altered).post(path)), FORBIDDEN));
            }
            String otherPath = path.equals(TwilioFake.RECORDING_PATH) ? TwilioFake.WEBHOOK_PATH : TwilioFake.RECORDING_PATH;
            cases.add(new Case(label + " replayed to " + otherPath, () -> Answer.of(given().contentType(form())
                    .header("X-Twilio-Signature", twilio.sign(path, params)).formParams(params).post(otherPath)), FORBIDDEN));
            cases.add(new Case(label + " signed without the query it is sent with", () -> Answer.of(given().contentType(form())
                    .header("X-Twilio-Signature", twilio.sign(path, params)).formParams(params).post(path + "?extra=1")), FORBIDDEN));

            // Webhook Rules signatures: a SharedKey the service does not know, an algorithm it does not accept, a
            // settings header it cannot read, the Auth Token's signature under a header that names a SharedKey
            // (a downgrade), a SharedKey signature without its header or over another fragment than the TwiML's.
            TwilioFake sharedKey = twilio.withSharedKey(TwilioFake.SHARED_KEY_ID, TwilioFake.SHARED_KEY_SECRET);
            String namesTheKey = "key=" + TwilioFake.SHARED_KEY_ID + ",algorithm=HMAC_SHA256";
            cases.add(new Case(label + " signed with a SharedKey not configured", () -> Answer.of(
                    twilio.withSharedKey("webhooks_sharedkey_unknown", TwilioFake.SHARED_KEY_SECRET).post(path, params)), FORBIDDEN));
            for (String algorithm : List.of("HMAC_SHA1", "HMAC_SHA512", "none", "")) {
                cases.add(new Case(label + " SharedKey algorithm=" + algorithm, () -> Answer.of(sharedKey
                        .withHmac(algorithm.equals("HMAC_SHA1") ? "HmacSHA1" : "HmacSHA256")
                        .withSettingsHeader("key=" + TwilioFake.SHARED_KEY_ID + ",algorithm=" + algorithm).post(path, params)), FORBIDDEN));
            }
            for (String header : List.of("garbage", "key=" + TwilioFake.SHARED_KEY_ID, "algorithm=HMAC_SHA256",
                    "key=" + TwilioFake.SHARED_KEY_ID + ";algorithm=HMAC_SHA256",
                    "key=" + TwilioFake.SHARED_KEY_ID + ",key=" + TwilioFake.PREVIOUS_SHARED_KEY_ID + ",algorithm=HMAC_SHA256",
                    "key=' OR '1'='1,algorithm=HMAC_SHA256", "key=<Dial>+19005551234</Dial>,algorithm=HMAC_SHA256",
                    "key=" + "x".repeat(5000) + ",algorithm=HMAC_SHA256", ",,,", "=")) {
                // Signed with the Auth Token, which alone would verify: the header must not be ignored.
                cases.add(new Case(label + " settings header " + abbreviate(header), () -> Answer.of(
                        twilio.withSettingsHeader(header).post(path, params)), FORBIDDEN));
                cases.add(new Case(label + " SharedKey signature, settings header " + abbreviate(header), () -> Answer.of(
                        sharedKey.withSettingsHeader(header).post(path, params)), FORBIDDEN));
            }
            cases.add(new Case(label + " Auth Token signature under a SharedKey header", () -> Answer.of(
                    twilio.withSettingsHeader(namesTheKey).post(path, params)), FORBIDDEN));
            cases.add(new Case(label + " SharedKey signature without its header", () -> Answer.of(
                    sharedKey.withSettingsHeader(null).post(path, params)), FORBIDDEN));
            cases.add(new Case(label + " SharedKey signature naming the other key", () -> Answer.of(
                    sharedKey.withSettingsHeader("key=" + TwilioFake.PREVIOUS_SHARED_KEY_ID + ",algorithm=HMAC_SHA256")
                            .post(path, params)), FORBIDDEN));
            for (String field : params.keySet()) {
                Map<String, String> altered = new LinkedHashMap<>(params);
                altered.put(field, params.get(field) + "0");
                String signature = sharedKey.sign(path, params);
                cases.add(new Case(label + " " + field + " changed after SharedKey signing", () -> Answer.of(given()
                        .contentType(form()).header("X-Twilio-Signature", signature)
                        .header(TwilioFake.SETTINGS_HEADER, namesTheKey).formParams(altered).post(path)), FORBIDDEN));
            }
            String otherFragment = path.equals(TwilioFake.VOICE_PATH) ? TwilioFake.CALLBACK_FRAGMENT : "#rc=5&rp=all";
            cases.add(new Case(label + " signed over the fragment " + otherFragment, () -> Answer.of(
                    twilio.signingTheFragment(otherFragment).post(path, params)), FORBIDDEN));
            cases.add(new Case(label + " SharedKey signed over the fragment " + otherFragment, () -> Answer.of(
                    sharedKey.signingTheFragment(otherFragment).post(path, params)), FORBIDDEN));

            // Transport: oversized body, wrong content types, broken encoding, invalid UTF-8.
            cases.add(new Case(label + " oversized body", () -> Answer.of(given().contentType("application/x-www-form-urlencoded")
                    .body("Pad=" + "x".repeat(70_000)).post(path)), Set.of(413)));
            for (String type : List.of("application/json", "text/plain", "application/xml", "multipart/form-data; boundary=x")) {
                cases.add(new Case(label + " as " + type, () -> raw(path, type,
                        ("{\"CallSid\":\"" + parent + "\"}").getBytes(StandardCharsets.UTF_8)), Set.of(415)));
            }
            for (String raw : List.of("CallSid=%", "CallSid=%G1", "CallSid=CA%2", "CallSid=%FF%FE", "CallSid=%C3%28",
                    "=nameless", "CallSid=%E2%82")) {
                cases.add(new Case(label + " raw body " + raw, () -> raw(path, form(), raw.getBytes(StandardCharsets.US_ASCII)), BAD_REQUEST));
            }

            // Correctly signed, hostile values in every field.
            for (String field : params.keySet()) {
                for (String payload : PAYLOADS) {
                    Map<String, String> hostile = new LinkedHashMap<>(params);
                    hostile.put(field, payload);
                    // A hostile To is refused by the destination policy (TwiML) unless its characters already are
                    // (400); a hostile AccountSid is another account's (403, the tests configure the account).
                    boolean to = path.equals(TwilioFake.VOICE_PATH) && field.equals("To");
                    cases.add(new Case(label + " " + field + "=" + abbreviate(payload),
                            () -> Answer.of(twilio.post(path, hostile)),
                            to ? Set.of(200, 400) : field.equals("AccountSid") ? FORBIDDEN : BAD_REQUEST));
                }
            }
        });

        // Numbers that are not numbers.
        for (String bad : List.of("-1", "99999999999", "1e3", "0x10", "4.5", " 7", "NaN", "²")) {
            for (String field : List.of("CallDuration", "SequenceNumber")) {
                Map<String, String> p = dialedStatus(parent, child, "completed", 3, t, 30);
                p.put(field, bad);
                cases.add(new Case("status " + field + "=" + bad, () -> Answer.of(twilio.post(TwilioFake.WEBHOOK_PATH, p)), BAD_REQUEST));
            }
            Map<String, String> a = dialAction(parent, child, "completed", 30);
            a.put("DialCallDuration", bad);
            cases.add(new Case("action DialCallDuration=" + bad, () -> Answer.of(twilio.post(TwilioFake.WEBHOOK_PATH, a)), BAD_REQUEST));
            Map<String, String> r = recording(parent, newSid("RE"), 29);
            r.put("RecordingDuration", bad);
            cases.add(new Case("recording RecordingDuration=" + bad, () -> Answer.of(twilio.post(TwilioFake.RECORDING_PATH, r)), BAD_REQUEST));
            Map<String, String> m = TwilioFake.amd(child, "machine_end_beep");
            m.put("MachineDetectionDuration", bad);
            cases.add(new Case("AMD MachineDetectionDuration=" + bad, () -> Answer.of(twilio.post(TwilioFake.AMD_PATH, m)), BAD_REQUEST));
        }
        // Malformed LeadId, and destinations that may not be dialed (outside the prefixes, premium rate).
        for (String leadId : List.of("not-a-uuid", "00000000-0000-0000-0000", "' OR 1=1 --", "{" + lead + "}")) {
            cases.add(new Case("LeadId=" + leadId,
                    () -> Answer.of(twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), "+15558880000", leadId))), BAD_REQUEST));
        }
        for (String to : List.of("+447700900123", "+19005550100", "+19765550100", "+882123456789", "+1", "15558880000",
                "+1555888000012345", "client:someone", "sip:premium@evil.example", "+1555888000#", "+1555888000,9")) {
            cases.add(new Case("To=" + to, () -> Answer.of(twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), to, null))), REFUSING_TWIML));
        }
        cases.add(new Case("To of another lead's number", () -> Answer.of(twilio.post(TwilioFake.VOICE_PATH,
                voice(newSid("CA"), "+15558880001", lead.toString()))), REFUSING_TWIML));
        // Operators' endpoints without or with a wrong token.
        for (String auth : new String[] {null, "", "Bearer", "Bearer ", "Bearer wrong", "Basic dGVzdDp0ZXN0",
                "bearer " + TwilioApiTestResource.ADMIN_TOKEN, "Bearer " + TwilioApiTestResource.ADMIN_TOKEN + "x"}) {
            cases.add(new Case("admin reconcile with " + auth, () -> Answer.of(withAuth(auth).post("/api/admin/reconcile")), Set.of(401)));
            cases.add(new Case("diagnostics with " + auth, () -> Answer.of(withAuth(auth).get("/api/diagnostics/stuck-calls")), Set.of(401)));
        }
        // Read endpoints with nonsense.
        for (String path : List.of("/api/calls/' OR 1=1", "/api/calls/CA123", "/api/leads/not-a-uuid/activities",
                "/api/leads/" + lead + "/activities?limit=-5", "/api/leads/" + lead + "/activities?limit=abc")) {
            cases.add(new Case("GET " + path, () -> Answer.of(ReadApi.asCrmUser().urlEncodingEnabled(true).get(path)), BAD_REQUEST));
        }
        // The read API with tokens it must not accept: refused before the lead's existence shows.
        for (String token : List.of("", "garbage", "' OR 1=1 --", "a.b.c", "x".repeat(8000), IdentityProviderFake.unsigned(),
                IdentityProviderFake.hs256WithThePublicKey(), IdentityProviderFake.signedWithUnknownKey(),
                IdentityProviderFake.crmUserWith(java.util.Map.of("iss", "https://evil.example.com")))) {
            String path = "/api/leads/" + lead + "/activities";
            cases.add(new Case("GET " + path + " with token " + token.substring(0, Math.min(token.length(), 24)),
                    () -> Answer.of(ReadApi.as(token).get(path)), Set.of(401)));
        }

        for (Case c : cases) {
            tried++;
            Answer answer = c.request().get();
            int status = answer.status();
            boolean refusedAsExpected = c.expected().contains(status) && (status == 200
                    ? answer.body().contains("<Hangup/>") && !answer.body().contains("<Dial")
                    : status == 413 || !answer.body().isBlank()); // a message saying what was wrong
            if (!refusedAsExpected) {
                failures.add(c.name() + " -> " + status + " (expected " + c.expected() + ") " + abbreviate(answer.body()));
            }
        }

        System.out.printf("Hostile input: %d requests tried, %d not refused%n", tried, failures.size());
        assertThat(failures).as("hostile requests that were not refused").isEmpty();
        assertThat(snapshot()).as("the database after the corpus").isEqualTo(snapshotBefore);
    }

    private static io.restassured.specification.RequestSpecification withAuth(String auth) {
        var spec = given();
        return auth == null ? spec : spec.header("Authorization", auth);
    }

    private static String form() {
        return "application/x-www-form-urlencoded; charset=UTF-8";
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }

    /** Every row of every table the service writes, hashed. */
    private String snapshot() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("leads", "call_recordings", "call_events", "lead_activities")) {
            all.append(table).append('=').append(sql.row("SELECT count(*) || ':' || COALESCE(md5(string_agg(t::text, '|' "
                    + "ORDER BY t::text)), '') FROM " + table + " t").getString(0)).append(' ');
        }
        return all.toString();
    }
}
