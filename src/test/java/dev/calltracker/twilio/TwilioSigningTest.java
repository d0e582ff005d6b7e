package dev.calltracker.twilio;

import static dev.calltracker.testing.TwilioFake.PREVIOUS_SHARED_KEY_ID;
import static dev.calltracker.testing.TwilioFake.PREVIOUS_SHARED_KEY_SECRET;
import static dev.calltracker.testing.TwilioFake.RECORDING_PATH;
import static dev.calltracker.testing.TwilioFake.SHARED_KEY_ID;
import static dev.calltracker.testing.TwilioFake.SHARED_KEY_SECRET;
import static dev.calltracker.testing.TwilioFake.VOICE_PATH;
import static dev.calltracker.testing.TwilioFake.WEBHOOK_PATH;
import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.recording;
import static dev.calltracker.testing.TwilioFake.voice;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every way Twilio signs, end to end: the Auth Token or a Webhook Rules SharedKey (two during a rotation), over
 * the callback URL with or without the connection-override fragment; and what is refused (403, nothing written).
 */
@QuarkusTest
class TwilioSigningTest {

    static final String PHONE = "+15551239000";
    static final String SETTINGS = "key=" + SHARED_KEY_ID + ",algorithm=HMAC_SHA256";

    final TestSql sql = TestSql.forTests();
    final TwilioFake authToken = TwilioFake.forTests();
    final TwilioFake current = authToken.withSharedKey(SHARED_KEY_ID, SHARED_KEY_SECRET);
    final TwilioFake previous = authToken.withSharedKey(PREVIOUS_SHARED_KEY_ID, PREVIOUS_SHARED_KEY_SECRET);

    /** {@code calltracker_twilio_signatures_total} for one endpoint, key and URL form. */
    /** The endpoint's verified signatures by "scheme url", all four combinations. */
    static Map<String, Double> signatureCounts(String endpoint) {
        Map<String, Double> counts = new java.util.TreeMap<>();
        for (String scheme : List.of("auth-token", "shared-key")) {
            for (String url : List.of("with-fragment", "without-fragment")) {
                counts.put(scheme + " " + url, signatures(endpoint, scheme, url));
            }
        }
        return counts;
    }

    /** What grew between two counts, and by how much. */
    static Map<String, Double> increase(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> grown = new java.util.TreeMap<>();
        after.forEach((key, value) -> {
            if (value > before.get(key)) {
                grown.put(key, value - before.get(key));
            }
        });
        return grown;
    }

    static double signatures(String endpoint, String scheme, String url) {
        return metric("calltracker_twilio_signatures_total{endpoint=\"" + endpoint + "\",scheme=\"" + scheme
                + "\",url=\"" + url + "\"}");
    }

    static double metric(String series) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst().orElse(0);
    }

    static void accepted(int status, Map<String, String> request) {
        assertThat(status).as("answer to %s", request).isIn(200, 204);
    }

    @Test
    void aCallSignedWithBothSharedKeysOfARotationIsTrackedToItsEnd() {
        double before = signatures("webhook", "shared-key", "without-fragment")
                + signatures("webhook", "shared-key", "with-fragment");
        BrowserCall call = BrowserCall.to(sql.insertLead("new", PHONE), PHONE, Outcome.COMPLETED);
        current.post(VOICE_PATH, call.voice()).then().statusCode(200).body(containsString("<Dial"));
        List<Map<String, String>> callbacks = call.requests().subList(1, call.requests().size());
        for (int i = 0; i < callbacks.size(); i++) {
            // Mid-rotation Twilio signs some requests with the new key and some with the old.
            TwilioFake signer = i % 2 == 0 ? previous : current;
            Map<String, String> request = callbacks.get(i);
            accepted(signer.send(request), request);
        }
        assertThat(sql.mismatches(List.of(call))).isEmpty();
        assertThat(signatures("voice", "shared-key", "without-fragment")).isPositive();
        assertThat(signatures("webhook", "shared-key", "without-fragment")
                + signatures("webhook", "shared-key", "with-fragment") - before)
                .isEqualTo(call.requests().stream().filter(r -> TwilioFake.pathOf(r).equals(WEBHOOK_PATH)).count());
    }

    @Test
    void theWebhookAcceptsASignatureOverItsUrlWithOrWithoutTheFragmentAndCountsWhich() {
        String parent = newSid("CA");
        String child = newSid("CA");
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, Double> before = signatureCounts("webhook");

        authToken.post(WEBHOOK_PATH, dialedStatus(parent, child, "initiated", 0, t, null)).then().statusCode(204);
        authToken.signingTheFragment().post(WEBHOOK_PATH, dialedStatus(parent, child, "ringing", 1, t, null))
                .then().statusCode(204);
        current.signingTheFragment().post(WEBHOOK_PATH, dialedStatus(parent, child, "in-progress", 2, t, null))
                .then().statusCode(204);

        assertThat(sql.eventsOf(parent)).isEqualTo(3);
        assertThat(sql.call(parent).getString("status")).isEqualTo("in-progress");
        assertThat(increase(before, signatureCounts("webhook"))).isEqualTo(Map.of(
                "auth-token without-fragment", 1.0, "auth-token with-fragment", 1.0, "shared-key with-fragment", 1.0));
    }

    @Test
    void theRecordingEndpointAcceptsASignatureOverItsUrlWithOrWithoutTheFragmentAndCountsWhich() {
        String parent = newSid("CA");
        Map<String, Double> before = signatureCounts("recording");

        authToken.post(RECORDING_PATH, recording(parent, newSid("RE"), 10)).then().statusCode(204);
        authToken.signingTheFragment().post(RECORDING_PATH, recording(parent, newSid("RE"), 20)).then().statusCode(204);
        previous.post(RECORDING_PATH, recording(parent, newSid("RE"), 30)).then().statusCode(204);

        assertThat(sql.eventsOf(parent)).isEqualTo(3);
        assertThat(increase(before, signatureCounts("recording"))).isEqualTo(Map.of(
                "auth-token without-fragment", 1.0, "auth-token with-fragment", 1.0, "shared-key without-fragment", 1.0));
    }

    @Test
    void theVoiceWebhookRefusesASignatureOverTheFragmentItsUrlNeverHas() {
        String parent = newSid("CA");
        authToken.signingTheFragment().post(VOICE_PATH, voice(parent, PHONE, null)).then().statusCode(403);
        current.signingTheFragment().post(VOICE_PATH, voice(parent, PHONE, null)).then().statusCode(403);
        assertThat(sql.eventsOf(parent)).isZero();
    }

    @Test
    void sharedKeyRequestsThatDoNotVerifyAreForbiddenAndWriteNothing() throws Exception {
        record Refusal(String because, TwilioFake twilio) {
        }
        List<Refusal> refusals = List.of(
                new Refusal("unknown SharedKey", authToken.withSharedKey("webhooks_sharedkey_retired", SHARED_KEY_SECRET)),
                new Refusal("unsupported signature algorithm",
                        current.withSettingsHeader("key=" + SHARED_KEY_ID + ",algorithm=HMAC_SHA512")),
                new Refusal("unsupported signature algorithm",
                        current.withHmac("HmacSHA1").withSettingsHeader("key=" + SHARED_KEY_ID + ",algorithm=HMAC_SHA1")),
                new Refusal("malformed X-Twilio-Webhooks-Signature-Settings", current.withSettingsHeader("key=" + SHARED_KEY_ID)),
                new Refusal("malformed X-Twilio-Webhooks-Signature-Settings", authToken.withSettingsHeader("algorithm=HMAC_SHA256")),
                // The downgrade: a valid Auth Token signature under a header that names a SharedKey.
                new Refusal("invalid X-Twilio-Signature", authToken.withSettingsHeader(SETTINGS)),
                new Refusal("invalid X-Twilio-Signature", authToken.signingTheFragment().withSettingsHeader(SETTINGS)),
                // A SharedKey signature with its header stripped, or naming the other key of the rotation.
                new Refusal("invalid X-Twilio-Signature", current.withSettingsHeader(null)),
                new Refusal("invalid X-Twilio-Signature", previous.withSettingsHeader(SETTINGS)));

        double rejected = metric("calltracker_twilio_requests_total{endpoint=\"webhook\",result=\"rejected-signature\"}");
        UUID lead = sql.insertLead("new", PHONE);
        for (Refusal refusal : refusals) {
            String because = refusal.because();
            TwilioFake twilio = refusal.twilio();
            String parent = newSid("CA");
            String child = newSid("CA");
            OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
            twilio.post(VOICE_PATH, voice(parent, PHONE, lead.toString())).then().statusCode(403)
                    .body("error", containsString(because));
            twilio.post(WEBHOOK_PATH, dialedStatus(parent, child, "completed", 3, t, 30)).then().statusCode(403)
                    .body("error", containsString(because));
            twilio.post(RECORDING_PATH, recording(parent, newSid("RE"), 29)).then().statusCode(403);
            assertThat(sql.eventsOf(parent)).as(because).isZero();
            assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = $1 OR dialed_call_sid = $2",
                    parent, child)).as(because).isZero();
        }
        assertThat(sql.lead(lead).getString("status")).isEqualTo("new");
        assertThat(sql.activitiesOf(lead)).isZero();
        assertThat(metric("calltracker_twilio_requests_total{endpoint=\"webhook\",result=\"rejected-signature\"}"))
                .isEqualTo(rejected + refusals.size());

        String log = Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8);
        assertThat(log).as("the refusal names the unknown key for the operator")
                .contains("SharedKey webhooks_sharedkey_retired, which TWILIO_WEBHOOK_SHARED_KEYS does not list");
        assertThat(log).doesNotContain(SHARED_KEY_SECRET).doesNotContain(PREVIOUS_SHARED_KEY_SECRET);
    }
}
