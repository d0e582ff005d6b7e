package dev.calltracker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import dev.calltracker.testing.BrowserCall.Outcome;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The kit's Twilio plays Twilio faithfully: signatures Twilio's own library accepts, requests where Twilio sends them. */
class TwilioFakeTest {

    static final String PUBLIC_BASE_URL = "https://calls.example.org";

    final TwilioFake twilio = new TwilioFake(PUBLIC_BASE_URL, TwilioFake.TEST_AUTH_TOKEN);
    final RequestValidator twiliosValidator = new RequestValidator(TwilioFake.TEST_AUTH_TOKEN);

    @Test
    void everyRequestOfEveryKindOfCallIsSignedAsTwilioSignsIt() {
        for (Outcome outcome : Outcome.values()) {
            BrowserCall call = BrowserCall.to(UUID.randomUUID(), "+15551230000", outcome);
            for (Map<String, String> request : call.requests()) {
                String path = TwilioFake.pathOf(request);
                assertThat(twiliosValidator.validate(PUBLIC_BASE_URL + path, request, twilio.sign(path, request)))
                        .as("%s %s", outcome, request).isTrue();
                assertThat(twiliosValidator.validate(PUBLIC_BASE_URL + path, request,
                        twilio.withAuthToken("another-token").sign(path, request))).isFalse();
            }
        }
    }

    /**
     * Signed by twilio-node's own signer (npm twilio 6.3.1, {@code lib/webhooks/webhooks.js},
     * {@code getExpectedTwilioSignature(secret, url, params, algorithm)}); twilio-java has no SharedKey validator.
     */
    @Test
    void signsWithASharedKeyAndOverTheFragmentAsTwilioNodeDoes() {
        Map<String, String> callback = Map.ofEntries(Map.entry("AccountSid", "AC" + "0".repeat(32)),
                Map.entry("CallSid", "CA" + "1".repeat(32)), Map.entry("ParentCallSid", "CA" + "2".repeat(32)),
                Map.entry("CallStatus", "completed"), Map.entry("SequenceNumber", "3"), Map.entry("CallDuration", "30"),
                Map.entry("CallbackSource", "call-progress-events"), Map.entry("Direction", "outbound-dial"),
                Map.entry("From", "+15005550006"), Map.entry("To", "+15551230000"),
                Map.entry("Timestamp", "Tue, 01 Dec 2026 15:00:00 +0000"));
        // twilio-node computed these signatures over the URL with this fragment.
        String nodeVectorsFragment = "#rc=3&rp=ct,rt,5xx";
        TwilioFake twilio = new TwilioFake("https://calls.example.com", TwilioFake.TEST_AUTH_TOKEN);
        TwilioFake current = twilio.withSharedKey("webhooks_sharedkey_1", "shared-key-secret-current");
        assertThat(current.settingsHeader()).isEqualTo("key=webhooks_sharedkey_1,algorithm=HMAC_SHA256");
        assertThat(current.sign(TwilioFake.WEBHOOK_PATH, callback)).isEqualTo("O9je4b8bR1R7HC0MsOcYU3/CV0285gobahptCBXbJKY=");
        assertThat(current.signingTheFragment(nodeVectorsFragment).sign(TwilioFake.WEBHOOK_PATH, callback))
                .isEqualTo("lxqQyigHgXk0s/yaGY67ptLvMCcJGRENgHe8UHbEFC0=");
        assertThat(twilio.withSharedKey("webhooks_sharedkey_0", "shared-key-secret-previous=").signingTheFragment(nodeVectorsFragment)
                .sign(TwilioFake.WEBHOOK_PATH, callback)).isEqualTo("m4TdinklKQmVCphaXVDPb4fuWxPOUQLjvXh+jGov8hk=");
        String withFragment = twilio.signingTheFragment(nodeVectorsFragment).sign(TwilioFake.WEBHOOK_PATH, callback);
        assertThat(withFragment).isEqualTo("NptLV6QA56IDbW4Kmnp6/5h7wjE=");
        assertThat(new RequestValidator(TwilioFake.TEST_AUTH_TOKEN).validate(
                "https://calls.example.com" + TwilioFake.WEBHOOK_PATH + nodeVectorsFragment, callback, withFragment)).isTrue();
        assertThat(twilio.settingsHeader()).isNull();
    }

    @Test
    void eachRequestGoesToTheEndpointTwilioSendsItTo() {
        BrowserCall call = BrowserCall.to(UUID.randomUUID(), "+15551230000", Outcome.COMPLETED);
        assertThat(TwilioFake.pathOf(call.voice())).isEqualTo(TwilioFake.VOICE_PATH);
        call.dialedLegAndAction().forEach(r -> assertThat(TwilioFake.pathOf(r)).isEqualTo(TwilioFake.WEBHOOK_PATH));
        assertThat(TwilioFake.pathOf(call.parentEnd())).isEqualTo(TwilioFake.WEBHOOK_PATH);
        assertThat(TwilioFake.pathOf(call.recording())).isEqualTo(TwilioFake.RECORDING_PATH);
    }

    @Test
    void aCallsScriptAndItsFinalStateAgree() {
        for (Outcome outcome : Outcome.values()) {
            BrowserCall call = BrowserCall.to(UUID.randomUUID(), "+15551230000", outcome);
            FinalState end = call.finalState();
            assertThat(end.status()).isEqualTo(outcome.finalStatus);
            assertThat(end.twilioRequests()).isEqualTo(call.requests().size());
            assertThat(end.parentEnded()).isTrue();
            assertThat(call.finalStateAfterTheDial().parentEnded()).isFalse();
            assertThat(call.requests()).as("each request is distinct").doesNotHaveDuplicates();
        }
    }
}
