package dev.calltracker.voice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a lead's stored phone is read before it must equal the destination: E.164 or nothing, never a suffix. */
class DestinationPolicyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "+1 (555) 123-0000 | +15551230000",
            "+15551230000      | +15551230000",
            "555-123-0000      | +15551230000",
            "(555) 123.0000    | +15551230000",
            "1 555 123 0000    | +15551230000",
            "0044 7700 900123  | +447700900123",
            "+44 7700 900123   | +447700900123",
            "123-0000          | none",
            "07700 900123      | none",
            "155-5123-00001    | none",
            "055-123-0000      | none",
            "+0 555 123 0000   | none",
            "+1555123000012345 | none",
            "ext. 42           | none"})
    void aStoredPhoneIsReadAsE164OrNotAtAll(String stored, String expected) {
        assertThat(DestinationPolicy.e164(stored).orElse(null)).as(stored).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1230000    | +15551230000",
            "5551230000 | +445551230000",
            "+15551230000 | +155512300001"})
    void aPartOfTheDestinationIsNotTheLeadsNumber(String stored, String to) {
        assertThat(DestinationPolicy.sameNumber(stored, to)).isFalse();
    }
}
