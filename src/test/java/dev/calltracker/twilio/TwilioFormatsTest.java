package dev.calltracker.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
            String text = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss xx", java.util.Locale.ENGLISH)
                    .format(instant.atOffset(offset));

            assertThat(TwilioFormats.parseRfc2822(text)).as(text).isEqualTo(byFormatter(text)).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Tue, 25 Nov 2026 20:17:02 +0000", // Twilio's own example
            "Thu, 04 Dec 2026 01:20:29 -0500",
            "Sat, 29 Feb 2028 23:59:59 +1400",
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
            "Tue, 25 Nov 2026 20:17:02 *0000",
            "Tue, 2x Nov 2026 20:17:02 +0000",
            "Tue, 25 Nov 2026 20:17:02 +00000",
            "Tue; 25 Nov 2026 20:17:02 +0000",
            "2026-11-25T20:17:02Z",
    })
    void everyOtherShapeIsTheFormattersDecision(String text) {
        assertThat(TwilioFormats.parseRfc2822(text)).as(text).isEqualTo(byFormatter(text));
    }
}
