package dev.calltracker.logging;

import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.voice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.TwilioApiTestResource;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LogPrivacyTest {

    /** Any E.164 number, or a US number of the tests written without its plus (masked ones have '*'). */
    static final Pattern FULL_PHONE_NUMBER =
            Pattern.compile("(?<![A-Za-z0-9*])(\\+\\d{10,15}|1555\\d{7})(?![A-Za-z0-9])");

    final TwilioFake twilio = TwilioFake.forTests();

    @Test
    void masksNumbersKeepingSidsAndTimesReadable() {
        assertThat(PhoneNumberMaskingFilter.mask("dialing +15551230000 for CA0123456789abcdef0123456789abcdef"))
                .isEqualTo("dialing +1********00 for CA0123456789abcdef0123456789abcdef");
        assertThat(PhoneNumberMaskingFilter.mask("lead phone 5551230000, took 42 ms at 2026-11-25"))
                .isEqualTo("lead phone 5*******00, took 42 ms at 2026-11-25");
    }

    @Test
    void theServiceLogHoldsNoFullPhoneNumberTokenOrAuthHeader() throws Exception {
        Logger.getLogger(LogPrivacyTest.class).infof("a log line naming %s and +15551239999", "+15551230000");
        // Requests that make the service log: refusals, a forged signature, a wrong admin token.
        twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), "+447700900123", null));
        RestAssured.given().contentType("application/x-www-form-urlencoded").header("X-Twilio-Signature", "forged")
                .formParams(voice(newSid("CA"), "+15551230000", null)).post(TwilioFake.VOICE_PATH);
        RestAssured.given().header("Authorization", "Bearer wrong-" + TwilioApiTestResource.ADMIN_TOKEN)
                .get("/api/diagnostics/stuck-calls");

        String log = Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("a log line naming +1********00 and +1********99");
        assertThat(log).as("the service's own refusal line reached the file").contains("Refused to dial +4*********23 for call");
        assertThat(FULL_PHONE_NUMBER.matcher(log).find()).as("a full phone number in the log").isFalse();
        assertThat(log).doesNotContain(TwilioFake.TEST_AUTH_TOKEN).doesNotContain(TwilioApiTestResource.ADMIN_TOKEN)
                .doesNotContain("X-Twilio-Signature: ").doesNotContain("Authorization: ");
    }
}
