package dev.calltracker.voice;

import dev.calltracker.config.CallingConfig;
import dev.calltracker.twilio.TwilioFormats;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which numbers the voice webhook may dial. {@code To} comes from the browser, so it is attacker-
 * controlled: only E.164 numbers inside an allowed prefix and outside the blocked (premium-rate) ones.
 */
@ApplicationScoped
public class DestinationPolicy {

    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[\\s().-]");
    private static final Pattern NANP_NATIONAL = Pattern.compile("[2-9]\\d{9}");
    private static final Pattern NANP_WITH_1 = Pattern.compile("1[2-9]\\d{9}");

    private final List<String> allowedPrefixes;
    private final List<String> blockedPrefixes;

    public DestinationPolicy(CallingConfig config) {
        this.allowedPrefixes = config.allowedPrefixes().stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.blockedPrefixes = config.blockedPrefixes().stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Why {@code to} may not be dialed, or empty when it may. */
    public Optional<String> refusal(String to) {
        if (!TwilioFormats.isE164(to)) {
            return Optional.of("the destination is not an E.164 number");
        }
        if (allowedPrefixes.stream().noneMatch(to::startsWith)) {
            return Optional.of("the destination is outside the allowed prefixes");
        }
        if (blockedPrefixes.stream().anyMatch(to::startsWith)) {
            return Optional.of("the destination is a blocked (premium-rate) number");
        }
        return Optional.empty();
    }

    /**
     * The lead's phone as the CRM stored it, in E.164, or empty when it is not a complete number. Punctuation is
     * ignored ({@code +1 (555) 123-0000}) and {@code 00} is read as {@code +}. A number without country code is
     * read as North American only when it has the plan's shape: ten digits starting 2-9 ({@code 555-123-0000}),
     * or eleven starting with 1. Anything else is not guessed at: a suffix match let one stored number stand
     * for a number in any country ending with it.
     */
    public static Optional<String> e164(String stored) {
        String digits = PHONE_PUNCTUATION.matcher(stored).replaceAll("");
        if (digits.startsWith("00")) {
            digits = "+" + digits.substring(2);
        }
        String number;
        if (digits.startsWith("+")) {
            number = digits;
        } else if (NANP_NATIONAL.matcher(digits).matches()) {
            number = "+1" + digits;
        } else if (NANP_WITH_1.matcher(digits).matches()) {
            number = "+" + digits;
        } else {
            return Optional.empty();
        }
        return TwilioFormats.isE164(number) ? Optional.of(number) : Optional.empty();
    }

    /** Whether {@code to} (E.164) is the lead's phone number as the CRM stored it ({@link #e164}). */
    public static boolean sameNumber(String leadPhone, String to) {
        return e164(leadPhone).filter(to::equals).isPresent();
    }
}
