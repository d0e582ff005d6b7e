package dev.calltracker.twilio;

import static dev.calltracker.testing.TwilioFake.CALLBACK_FRAGMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calltracker.testing.TwilioFake;
import dev.calltracker.twilio.TwilioSignatureVerifier.Scheme;
import dev.calltracker.twilio.TwilioSignatureVerifier.Verified;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which key and which URL forms each endpoint accepts. Requests are signed by {@link TwilioFake}, the test
 * kit's own implementation of Twilio's signing, not by the code under test.
 */
class TwilioSignatureVerifierTest {

    static final String BASE = "https://calls.example.com";
    static final String AUTH_TOKEN = "auth-token";
    static final String CURRENT = "webhooks_sharedkey_current";
    static final String CURRENT_SECRET = "current-secret";
    static final String PREVIOUS = "webhooks_sharedkey_previous";
    static final String PREVIOUS_SECRET = "previous-secret==";
    static final String VOICE = TwilioFake.VOICE_PATH;
    static final String WEBHOOK = CallbackUrls.WEBHOOK_PATH;
    static final String RECORDING = CallbackUrls.RECORDING_PATH;
    static final Map<String, String> PARAMS = Map.of("AccountSid", TwilioFake.ACCOUNT_SID, "CallSid", "CA" + "1".repeat(32),
            "CallStatus", "completed");

    final TwilioSignatureVerifier verifier = verifier(BASE, CALLBACK_FRAGMENT);

    static TwilioSignatureVerifier verifier(String base, String fragment) {
        return new TwilioSignatureVerifier(new CallbackUrls(base, fragment), base, AUTH_TOKEN,
                List.of(CURRENT + "=" + CURRENT_SECRET, " " + PREVIOUS + "=" + PREVIOUS_SECRET + " "));
    }

    /** Twilio signing as configured: the Auth Token, over the public base URL as given. */
    static TwilioFake twilio(String base) {
        return new TwilioFake(base, AUTH_TOKEN);
    }

    static Map<String, List<String>> multi(Map<String, String> params) {
        return params.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }

    Verified verify(TwilioFake twilio, String path) {
        return verify(verifier, twilio, path, null);
    }

    static Verified verify(TwilioSignatureVerifier verifier, TwilioFake twilio, String path, String query) {
        String requested = query == null ? path : path + "?" + query;
        return verifier.verify("test", path, query, twilio.settingsHeader(), twilio.sign(requested, PARAMS), multi(PARAMS));
    }

    void refused(TwilioFake twilio, String path, String because) {
        assertThatThrownBy(() -> verify(twilio, path)).as("%s %s", path, twilio.settingsHeader())
                .isInstanceOfSatisfying(TwilioRequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains(because);
                });
    }

    @Test
    void theVoiceWebhookAcceptsItsUrlWithOrWithoutTheDefaultPortButNeverAFragment() {
        assertThat(verify(twilio(BASE), VOICE)).isEqualTo(new Verified(Scheme.AUTH_TOKEN, false));
        assertThat(verify(twilio(BASE + ":443"), VOICE)).isEqualTo(new Verified(Scheme.AUTH_TOKEN, false));
        refused(twilio(BASE).signingTheFragment(), VOICE, "invalid X-Twilio-Signature");
        refused(twilio(BASE + ":443").signingTheFragment(), VOICE, "invalid X-Twilio-Signature");
    }

    @Test
    void eachCallbackEndpointAcceptsFourUrlFormsAndTellsWhetherTheFragmentWasSigned() {
        for (String path : List.of(WEBHOOK, RECORDING)) {
            for (String base : List.of(BASE, BASE + ":443")) {
                assertThat(verify(twilio(base), path)).as(base + path).isEqualTo(new Verified(Scheme.AUTH_TOKEN, false));
                assertThat(verify(twilio(base).signingTheFragment(), path)).as(base + path + CALLBACK_FRAGMENT)
                        .isEqualTo(new Verified(Scheme.AUTH_TOKEN, true));
                assertThat(verify(twilio(base).withSharedKey(CURRENT, CURRENT_SECRET).signingTheFragment(), path))
                        .isEqualTo(new Verified(Scheme.SHARED_KEY, true));
            }
        }
    }

    @Test
    void onlyTheConfiguredFragmentIsAccepted() {
        refused(twilio(BASE).signingTheFragment("#rc=5&rp=all"), WEBHOOK, "invalid");
        refused(twilio(BASE).signingTheFragment("#"), WEBHOOK, "invalid");
        TwilioSignatureVerifier other = verifier(BASE, "#rc=5&rp=all");
        assertThat(verify(other, twilio(BASE).signingTheFragment("#rc=5&rp=all"), WEBHOOK, null).withFragment()).isTrue();
        assertThatThrownBy(() -> verify(other, twilio(BASE).signingTheFragment(), WEBHOOK, null))
                .isInstanceOf(TwilioRequestRejected.class);
    }

    @Test
    void withoutAConfiguredFragmentOnlyTheBareUrlIsAccepted() {
        TwilioSignatureVerifier none = verifier(BASE, "");
        assertThat(verify(none, twilio(BASE), WEBHOOK, null)).isEqualTo(new Verified(Scheme.AUTH_TOKEN, false));
        assertThatThrownBy(() -> verify(none, twilio(BASE).signingTheFragment(), WEBHOOK, null))
                .isInstanceOf(TwilioRequestRejected.class);
    }

    @Test
    void aCallbackPathWithAQueryIsNotACallbackUrlTheTwimlHandedOut() {
        assertThat(verify(verifier, twilio(BASE), WEBHOOK, "x=1")).isEqualTo(new Verified(Scheme.AUTH_TOKEN, false));
        assertThatThrownBy(() -> verify(verifier, twilio(BASE).signingTheFragment(), WEBHOOK, "x=1"))
                .isInstanceOf(TwilioRequestRejected.class);
    }

    @Test
    void anHttpBaseUrlWithAnotherPortIsSignedOnlyAsGiven() {
        String base = "http://localhost:8096";
        TwilioSignatureVerifier local = verifier(base, CALLBACK_FRAGMENT);
        assertThat(verify(local, twilio(base).signingTheFragment(), RECORDING, null).withFragment()).isTrue();
        assertThatThrownBy(() -> verify(local, twilio("http://localhost:80"), RECORDING, null))
                .isInstanceOf(TwilioRequestRejected.class);
    }

    @Test
    void bothSharedKeysOfARotationAreAccepted() {
        assertThat(verify(twilio(BASE).withSharedKey(CURRENT, CURRENT_SECRET), WEBHOOK))
                .isEqualTo(new Verified(Scheme.SHARED_KEY, false));
        assertThat(verify(twilio(BASE).withSharedKey(PREVIOUS, PREVIOUS_SECRET), RECORDING))
                .isEqualTo(new Verified(Scheme.SHARED_KEY, false));
        assertThat(verify(twilio(BASE + ":443").withSharedKey(PREVIOUS, PREVIOUS_SECRET), VOICE))
                .isEqualTo(new Verified(Scheme.SHARED_KEY, false));
    }

    @Test
    void aSharedKeySignatureVerifiesOnlyWithTheKeyItsHeaderNames() {
        refused(twilio(BASE).withSharedKey(PREVIOUS, PREVIOUS_SECRET).withSettingsHeader("key=" + CURRENT
                + ",algorithm=HMAC_SHA256"), WEBHOOK, "invalid X-Twilio-Signature");
        refused(twilio(BASE).withSharedKey(CURRENT, "not-the-secret"), WEBHOOK, "invalid X-Twilio-Signature");
    }

    @Test
    void anUnknownKeyIdIsRefused() {
        refused(twilio(BASE).withSharedKey("webhooks_sharedkey_retired", "retired-secret"), WEBHOOK, "unknown SharedKey");
        TwilioSignatureVerifier withoutSharedKeys = new TwilioSignatureVerifier(new CallbackUrls(BASE, CALLBACK_FRAGMENT),
                BASE, AUTH_TOKEN, List.of());
        assertThatThrownBy(() -> verify(withoutSharedKeys, twilio(BASE).withSharedKey(CURRENT, CURRENT_SECRET), WEBHOOK, null))
                .isInstanceOf(TwilioRequestRejected.class).hasMessageContaining("unknown SharedKey");
    }

    @Test
    void anUnsupportedAlgorithmIsRefusedEvenHmacSha1WithTheSharedKey() {
        // twilio-node 6.3 would check HMAC_SHA1 with the SharedKey's secret; Twilio's Webhook Rules sign with
        // HMAC_SHA256, and the header is the sender's to write: nothing weaker is accepted.
        refused(twilio(BASE).withSharedKey(CURRENT, CURRENT_SECRET).withHmac("HmacSHA1")
                .withSettingsHeader("key=" + CURRENT + ",algorithm=HMAC_SHA1"), WEBHOOK, "unsupported signature algorithm");
        refused(twilio(BASE).withSharedKey(CURRENT, CURRENT_SECRET).withHmac("HmacSHA512")
                .withSettingsHeader("key=" + CURRENT + ",algorithm=HMAC_SHA512"), WEBHOOK, "unsupported signature algorithm");
    }

    @Test
    void aMalformedSettingsHeaderIsRefusedNotCheckedAgainstTheAuthToken() {
        for (String header : List.of("", "key=" + CURRENT, "algorithm=HMAC_SHA256", "key=" + CURRENT + ";algorithm=HMAC_SHA256",
                "key=" + CURRENT + ",key=" + PREVIOUS + ",algorithm=HMAC_SHA256")) {
            // Signed with the Auth Token, which would verify without the header.
            refused(twilio(BASE).withSettingsHeader(header), WEBHOOK, "malformed X-Twilio-Webhooks-Signature-Settings");
        }
    }

    @Test
    void anAuthTokenSignatureUnderASharedKeyHeaderIsRefused() {
        // No downgrade: a valid Auth Token signature (SHA1, and SHA256 too) does not count once a SharedKey is named.
        refused(twilio(BASE).withSettingsHeader("key=" + CURRENT + ",algorithm=HMAC_SHA256"), WEBHOOK, "invalid");
        refused(twilio(BASE).withHmac("HmacSHA256").withSettingsHeader("key=" + CURRENT + ",algorithm=HMAC_SHA256"),
                WEBHOOK, "invalid");
        refused(twilio(BASE).signingTheFragment().withSettingsHeader("key=" + CURRENT + ",algorithm=HMAC_SHA256"),
                RECORDING, "invalid");
    }

    @Test
    void aSharedKeySignatureWithoutItsHeaderIsRefused() {
        refused(twilio(BASE).withSharedKey(CURRENT, CURRENT_SECRET).withSettingsHeader(null), WEBHOOK, "invalid");
    }

    @Test
    void aMissingSignatureIsRefused() {
        assertThatThrownBy(() -> verifier.verify("test", WEBHOOK, null, null, null, multi(PARAMS)))
                .isInstanceOf(TwilioRequestRejected.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> verifier.verify("test", WEBHOOK, null, "key=" + CURRENT + ",algorithm=HMAC_SHA256", "",
                multi(PARAMS))).isInstanceOf(TwilioRequestRejected.class).hasMessageContaining("missing");
    }

    @Test
    void sharedKeysAreConfiguredAsIdSecretPairsAndRefusedAtStartWhenMalformed() {
        assertThat(TwilioSignatureVerifier.parseSharedKeys(List.of("a=s1", " b = s2== ", "")).keySet())
                .containsExactly("a", "b");
        assertThat(TwilioSignatureVerifier.parseSharedKeys(List.of())).isEmpty();
        for (List<String> bad : List.of(List.of("only-an-id"), List.of("a="), List.of("=secret-1"), List.of("a b=secret-1"),
                List.of("a=secret-1", "a=secret-2"))) {
            assertThatThrownBy(() -> TwilioSignatureVerifier.parseSharedKeys(bad)).as("%s", bad)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TWILIO_WEBHOOK_SHARED_KEYS")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-1", "secret-2"));
        }
    }
}
