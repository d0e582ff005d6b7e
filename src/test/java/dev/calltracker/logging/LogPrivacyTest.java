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
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.formatters.JsonFormatter;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class LogPrivacyTest {

    /** Any E.164 number, or a US number of the tests written without its plus (masked ones have '*'). */
    static final Pattern FULL_PHONE_NUMBER =
            Pattern.compile("(?<![A-Za-z0-9*])(\\+\\d{10,15}|1555\\d{7})(?![A-Za-z0-9])"
                    // and written with separators: +1 (555) 123-0000, 555-123-0000, (555) 123.0000
                    + "|(?<![A-Za-z0-9*])(\\+\\d{1,3}[ .-]?)?\\(?\\d{3}\\)?[ .-]?\\d{3}[ .-]\\d{4}(?![A-Za-z0-9])");

    /** The lead dev mode creates: its digit groups used to be masked as phone numbers. */
    static final String DEMO_LEAD = "00000000-0000-4000-8000-000000000001";

    final TwilioFake twilio = TwilioFake.forTests();

    /** A failure naming numbers in its message, its cause and a suppressed exception. */
    static Exception failureNamingNumbers() {
        IllegalStateException failure = new IllegalStateException("could not dial +15551230000 for lead " + DEMO_LEAD,
                new IOException("peer +447700900123 hung up"));
        failure.addSuppressed(new IllegalArgumentException("retry to 15551239999 failed"));
        return failure;
    }

    /** Numbers plain and written with separators are masked; sids, times and their neighbours stay readable. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            dialing +15551230000 for CA0123456789abcdef0123456789abcdef | dialing +1********00 for CA0123456789abcdef0123456789abcdef
            lead phone 5551230000, took 42 ms at 2026-11-25              | lead phone 5*******00, took 42 ms at 2026-11-25
            Refused to dial +1 (555) 123-0000 for call CA0123456789abcdef0123456789abcdef | Refused to dial +1 (***) ***-**00 for call CA0123456789abcdef0123456789abcdef
            lead phone 555-123-0000, (555) 123.0000 or 1 555 123 0000    | lead phone 5**-***-**00, (5**) ***.**00 or 1 *** *** **00
            To=+44 7700 900123, +33 1 23 45 67 89, To=%2B1%20555         | To=+4* **** ****23, +3* * ** ** ** 89, To=%2B1%20555
            posted To=%2B1-555-123-0000                                  | posted To=%2B1-***-***-**00
            """)
    void masksNumbers(String logged, String masked) {
        assertThat(PhoneNumberMaskingFilter.mask(logged)).isEqualTo(masked);
    }

    @Test
    void datesTimesAddressesAndShortNumbersStayReadable() {
        String readable = "at 2026-11-25 13:04:14,122 from 127.0.0.1:8281 took 42 ms, 3 of 500 calls, +1 retry, v1.2.3";
        assertThat(PhoneNumberMaskingFilter.mask(readable)).isEqualTo(readable);
    }

    @Test
    void keepsUuidsAndHyphenatedNamesWhole() {
        String ids = "lead " + DEMO_LEAD + ", run 12345678-0000-4000-8000-123456789012 on replica call-tracker-12345678";
        assertThat(PhoneNumberMaskingFilter.mask(ids)).isEqualTo(ids);
        assertThat(PhoneNumberMaskingFilter.mask("written 555-1230000, posted To=%2B15551230000&From=client%3Aagent"))
                .as("digit groups without letters are still numbers, and a URL-encoded + still a plus")
                .isEqualTo("written 555-1****00, posted To=%2B1********00&From=client%3Aagent");
    }

    @Test
    void exceptionsAreMaskedInTheConsoleAndJsonFormatsWithTheirFramesAndTypes() {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, "dialing failed", ExtLogRecord.FormatStyle.NO_FORMAT,
                LogPrivacyTest.class.getName());
        record.setThrown(failureNamingNumbers());
        new PhoneNumberMaskingFilter().isLoggable(record);

        String console = new PatternFormatter("%s%e%n").format(record);
        JsonFormatter jsonFormatter = new JsonFormatter();
        jsonFormatter.setExceptionOutputType(StructuredFormatter.ExceptionOutputType.DETAILED_AND_FORMATTED);
        String json = jsonFormatter.format(record);

        for (String line : List.of(console, json)) {
            assertThat(FULL_PHONE_NUMBER.matcher(line).find()).as("a full phone number in %s", line).isFalse();
            assertThat(line).contains("java.lang.IllegalStateException: could not dial +1********00 for lead " + DEMO_LEAD)
                    .contains("java.io.IOException: peer +4*********23 hung up")
                    .contains("java.lang.IllegalArgumentException: retry to 1********99 failed")
                    .as("stack frames kept").contains("failureNamingNumbers");
        }
        assertThat(console).contains("Caused by: java.io.IOException").contains("Suppressed: java.lang.IllegalArgumentException");
    }

    @Test
    void anExceptionWithoutNumbersIsLoggedAsThrown() {
        Exception failure = new IllegalStateException("lead " + DEMO_LEAD + " not found");
        ExtLogRecord record = new ExtLogRecord(Level.WARN, "lookup failed", ExtLogRecord.FormatStyle.NO_FORMAT,
                LogPrivacyTest.class.getName());
        record.setThrown(failure);
        new PhoneNumberMaskingFilter().isLoggable(record);
        assertThat(record.getThrown()).isSameAs(failure);
    }

    @Test
    void anExceptionLoggedThroughJBossLoggingReachesTheLogFileMasked() throws Exception {
        Logger log = Logger.getLogger(LogPrivacyTest.class);
        log.error("dialing failed", failureNamingNumbers());
        log.infof("demo lead %s dialed", DEMO_LEAD);

        // The test log file is written by quarkus-logging-json's file handler: the exception is in its JSON form.
        String file = Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8);
        assertThat(file).contains("java.lang.IllegalStateException: could not dial +1********00 for lead " + DEMO_LEAD)
                .contains("java.io.IOException: peer +4*********23 hung up")
                .contains("java.lang.IllegalArgumentException: retry to 1********99 failed")
                .contains("demo lead " + DEMO_LEAD + " dialed");
        assertThat(FULL_PHONE_NUMBER.matcher(file).find()).as("a full phone number in the log").isFalse();
    }

    @Test
    void theServiceLogHoldsNoFullPhoneNumberTokenOrAuthHeader() throws Exception {
        Logger.getLogger(LogPrivacyTest.class).infof("a log line naming %s and +15551239999", "+15551230000");
        // Requests that make the service log: refusals, a forged signature, a wrong admin token.
        twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), "+447700900123", null));
        // Not E.164: refused, and logged as the browser wrote it.
        twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), "+1 (555) 123-0000", null));
        twilio.post(TwilioFake.VOICE_PATH, voice(newSid("CA"), "555-123-0000", null));
        RestAssured.given().contentType("application/x-www-form-urlencoded").header("X-Twilio-Signature", "forged")
                .formParams(voice(newSid("CA"), "+15551230000", null)).post(TwilioFake.VOICE_PATH);
        RestAssured.given().header("Authorization", "Bearer wrong-" + TwilioApiTestResource.ADMIN_TOKEN)
                .get("/api/diagnostics/stuck-calls");

        String log = Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("a log line naming +1********00 and +1********99");
        assertThat(log).as("the service's own refusal line reached the file").contains("Refused to dial +4*********23 for call")
                .contains("Refused to dial +1 (***) ***-**00 for call").contains("Refused to dial 5**-***-**00 for call");
        assertThat(FULL_PHONE_NUMBER.matcher(log).find()).as("a full phone number in the log").isFalse();
        assertThat(log).doesNotContain(TwilioFake.TEST_AUTH_TOKEN).doesNotContain(TwilioApiTestResource.ADMIN_TOKEN)
                .doesNotContain("X-Twilio-Signature: ").doesNotContain("Authorization: ");
    }
}
