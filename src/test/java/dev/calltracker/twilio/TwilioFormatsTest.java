package dev.calltracker.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Twilio's dates: the hand-read shape gives exactly what RFC 1123's formatter gives, and refuses what it refuses. */
class TwilioFormatsTest {

    static Optional<OffsetDateTime> byFormatter(String value) {
        try {
            return Optional.of(OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Test
    void twoThousandRandomDatesInTwiliosShapeParseAsTheFormatterParsesThem() {
        Random random = new Random(2822);
        for (int i = 0; i < 2000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L)); // 1970 to 2100
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String text = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss xx", Locale.ENGLISH)
                    .format(instant.atOffset(offset));

            assertThat(TwilioFormats.parseRfc2822(text)).as(text).isEqualTo(byFormatter(text)).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Tue, 25 Nov 2026 20:17:02 +0000", // Twilio's own example
            "Thu, 04 Dec 2026 01:20:29 -0500",
            "Tue, 29 Feb 2028 23:59:59 +1400", // a leap day
            "Sat, 29 Feb 2028 23:59:59 +1400", // the same, named the wrong day
            "Tue, 5 Nov 2026 20:17:02 +0000",  // one-digit day: the formatter's
            "Wed, 25 Nov 2026 20:17:02 GMT",   // GMT: the formatter's
            "Wed, 25 Nov 2026 20:17:02 +0000", // the wrong day name
            "Tue, 31 Nov 2026 20:17:02 +0000", // no such day
            "Thu, 29 Feb 2027 20:17:02 +0000",
            "Tue, 25 Now 2026 20:17:02 +0000", // no such month
            "Tue, 25 anF 2026 20:17:02 +0000",
            "Tue, 25 Nov 2026 24:17:02 +0000",
            "Tue, 25 Nov 2026 20:60:02 +0000",
            "Tue, 25 Nov 2026 20:17:02 +1900",
            "Tue, 25 Nov 2026 20:17:02 +1801",
            "Tue, 25 Nov 2026 20:17:02 +0060",
            "Tue, 00 Nov 2026 20:17:02 +0000",
            "Tue, 25 Nov 2026 20:17:60 +0000",
            "Tue, 25 Nov 2026 20:17:02 *0000",
            "Tue, 2x Nov 2026 20:17:02 +0000",
            "Tue, 25 Nov 2026 20:17:02 +00000",
            "Tue; 25 Nov 2026 20:17:02 +0000",
            "2026-11-25T20:17:02Z",
    })
    void everyOtherShapeIsTheFormattersDecision(String text) {
        assertThat(TwilioFormats.parseRfc2822(text)).as(text).isEqualTo(byFormatter(text));
    }

    /** The hand-read formats accept exactly what the regular expressions in their comments accept. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "CallSid       ; [A-Z]{2}[0-9a-fA-F]{32}",
            "CallStatus    ; [A-Za-z][A-Za-z0-9_-]{0,39}",
            "Duration      ; [0-9]{1,9}",
            "DialBridged   ; true|false",
    })
    void handReadFormatsAcceptWhatTheirExpressionsAccept(String parameter, String expression) {
        Pattern spec = Pattern.compile(expression);
        for (String value : samples(new Random(parameter.hashCode()))) {
            assertThat(TwilioFormats.isStandardFormat(parameter, value)).as("%s=%s", parameter, value)
                    .isEqualTo(value.isEmpty() || spec.matcher(value).matches());
        }
    }

    @Test
    void parameterNamesAreWhatTheirExpressionAccepts() {
        Pattern spec = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
        for (String value : samples(new Random(64))) {
            assertThat(TwilioFormats.isParameterName(value)).as(value).isEqualTo(spec.matcher(value).matches());
        }
    }

    /** Strings near every format: sids, words, numbers, of lengths around the limits, with a stray character. */
    static List<String> samples(Random random) {
        String alphabet = "ACEZaefz09_-+:. \u00e9";
        List<String> samples = new ArrayList<>(List.of("", "true", "false", "True",
                "CA" + "0123456789abcdef".repeat(2), "CA" + "0123456789ABCDEF".repeat(2), "ca" + "0".repeat(32),
                "CA" + "0".repeat(31), "CA" + "0".repeat(33), "CA" + "0".repeat(31) + "g", "C1" + "0".repeat(32),
                "completed", "in-progress", "_x", "a".repeat(40), "a".repeat(41), "a".repeat(64), "a".repeat(65),
                "123456789", "1234567890", "0", "-1", "1a"));
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(0, 70);
            if (random.nextBoolean() && length >= 34) {
                s.append("CA");
                for (int j = 0; j < 32; j++) {
                    s.append("0123456789abcdefABCDEF".charAt(random.nextInt(22)));
                }
            }
            while (s.length() < length) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            samples.add(s.toString());
        }
        return samples;
    }
}
