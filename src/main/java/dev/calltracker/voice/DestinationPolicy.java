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
     * Whether {@code to} (E.164) is the lead's phone number as the CRM stored it: punctuation is ignored
     * ({@code +1 (555) 123-0000}), and a number stored without country code ({@code 555-123-0000}, at
     * least 7 digits) matches the end of {@code to}.
     */
    public static boolean sameNumber(String leadPhone, String to) {
        String stored = PHONE_PUNCTUATION.matcher(leadPhone).replaceAll("");
        if (stored.startsWith("+")) {
            return stored.equals(to);
        }
        return stored.length() >= 7 && stored.chars().allMatch(Character::isDigit) && to.endsWith(stored);
    }
}
