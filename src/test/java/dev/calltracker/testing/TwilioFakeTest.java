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
