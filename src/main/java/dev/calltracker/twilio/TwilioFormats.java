package dev.calltracker.twilio;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The formats of what Twilio sends and what the service hands to Twilio, each written once: sids, E.164
 * numbers, status words, dates. Used by the request reader, the destination policy, the read endpoints,
 * the reconciler and the configuration check.
 */
public final class TwilioFormats {

    /** A sid: two capital letters naming what it identifies ({@code CA} call, {@code RE} recording) and 32 hex digits. */
    private static final Predicate<String> SID = TwilioFormats::isAnySid;
    public static final String CALL_SID_PREFIX = "CA";
    public static final String RECORDING_SID_PREFIX = "RE";
    public static final String ACCOUNT_SID_PREFIX = "AC";
    public static final String API_KEY_SID_PREFIX = "SK";
    public static final String APPLICATION_SID_PREFIX = "AP";
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern E164_PREFIX = Pattern.compile("\\+[0-9]{1,15}");
    /** Status words: Twilio's are lowercase with dashes. Anything else is not a status but an attack or a bug. */
    private static final Pattern STATUS_WORD = Pattern.compile("[a-z][a-z-]{0,31}");
    /** The caller of a browser call: {@code client:<identity>}, or a number. */
    private static final Pattern CALLER = Pattern.compile("client:[A-Za-z0-9_.@-]{1,256}|\\+?[0-9]{1,15}");
    /** A party of a call: a number, a Voice SDK client, a SIP address, or Twilio's words for hidden numbers. */
    private static final Predicate<String> PARTY = Pattern.compile(
            "\\+?[0-9]{1,15}|client:[A-Za-z0-9_.@-]{1,256}|sip:[A-Za-z0-9_.@:;=+-]{1,256}|anonymous|restricted|unknown")
            .asMatchPredicate();
    // The formats every callback checks on each of its parameters are read by hand, not by regular expressions
    // (which took 4-5 % of the service's CPU per callback); what each accepts is written as the expression it
    // equals, and TwilioFormatsTest holds them to it.
    /** {@code [A-Za-z][A-Za-z0-9_-]{0,39}} */
    private static final Predicate<String> TOKEN = v -> isWord(v, 40, true);
    /** {@code [0-9]{1,9}} */
    private static final Predicate<String> COUNT = v -> !v.isEmpty() && v.length() <= 9 && allBetween(v, '0', '9');
    private static final Predicate<String> BOOLEAN = v -> v.equals("true") || v.equals("false");
    private static final Predicate<String> RFC_2822 = Pattern.compile("[A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} "
            + "[0-9]{2}:[0-9]{2}:[0-9]{2} ([+-][0-9]{4}|GMT|UT)").asMatchPredicate();
    private static final Predicate<String> API_VERSION = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}").asMatchPredicate();
    /** Day and month names of RFC 2822 dates, in {@link java.time.DayOfWeek} and month order. */
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    static final int MAX_PARAMETER_NAME_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 2048;

    /**
     * The standard parameters of Twilio's voice requests. A signed request whose standard field breaks its
     * format is refused: it is not what Twilio sends, whoever signed it. Parameters not listed (custom
     * parameters, caller name, geography) are data: kept as received, never spliced into SQL or XML.
     */
    private static final Map<String, Predicate<String>> STANDARD_PARAMETERS = Map.ofEntries(
            Map.entry("AccountSid", SID), Map.entry("CallSid", SID), Map.entry("ParentCallSid", SID),
            Map.entry("DialCallSid", SID), Map.entry("RecordingSid", SID), Map.entry("ApplicationSid", SID),
            Map.entry("Direction", TOKEN), Map.entry("CallbackSource", TOKEN), Map.entry("CallStatus", TOKEN),
            Map.entry("DialCallStatus", TOKEN), Map.entry("RecordingStatus", TOKEN), Map.entry("RecordingSource", TOKEN),
            Map.entry("RecordingTrack", TOKEN), Map.entry("AnsweredBy", TOKEN),
            Map.entry("Duration", COUNT), Map.entry("CallDuration", COUNT), Map.entry("DialCallDuration", COUNT),
            Map.entry("RecordingDuration", COUNT), Map.entry("RecordingChannels", COUNT), Map.entry("SequenceNumber", COUNT),
            Map.entry("DialBridged", BOOLEAN),
            Map.entry("Timestamp", RFC_2822), Map.entry("RecordingStartTime", RFC_2822),
            Map.entry("ApiVersion", API_VERSION),
            // No "To": on the voice webhook the destination policy answers it with TwiML that refuses; on the
            // dialed leg's callbacks TwilioParams requires E.164.
            Map.entry("From", PARTY), Map.entry("Caller", PARTY), Map.entry("Called", PARTY),
            Map.entry("ForwardedFrom", PARTY));

    private TwilioFormats() {
    }

    public static boolean isSid(String value, String prefix) {
        return value != null && value.startsWith(prefix) && isAnySid(value);
    }

    /** {@code [A-Z]{2}[0-9a-fA-F]{32}} */
    private static boolean isAnySid(String v) {
        if (v.length() != 34 || v.charAt(0) < 'A' || v.charAt(0) > 'Z' || v.charAt(1) < 'A' || v.charAt(1) > 'Z') {
            return false;
        }
        for (int i = 2; i < 34; i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** A letter, then letters, digits, underscores (and dashes if {@code dashes}): at most {@code most} in all. */
    private static boolean isWord(String v, int most, boolean dashes) {
        if (v.isEmpty() || v.length() > most || !isLetter(v.charAt(0))) {
            return false;
        }
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(isLetter(c) || (c >= '0' && c <= '9') || c == '_' || (dashes && c == '-'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean allBetween(String v, char low, char high) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < low || v.charAt(i) > high) {
                return false;
            }
        }
        return true;
    }

    public static boolean isCallSid(String value) {
        return isSid(value, CALL_SID_PREFIX);
    }

    public static boolean isE164(String value) {
        return value != null && E164.matcher(value).matches();
    }

    /** A dialing prefix of the configuration, such as {@code +1} or {@code +1900}. */
    public static boolean isE164Prefix(String value) {
        return value != null && E164_PREFIX.matcher(value).matches();
    }

    static boolean isStatusWord(String value) {
        return STATUS_WORD.matcher(value).matches();
    }

    static boolean isCaller(String value) {
        return CALLER.matcher(value).matches();
    }

    /** {@code [A-Za-z][A-Za-z0-9_]{0,63}} */
    static boolean isParameterName(String value) {
        return isWord(value, MAX_PARAMETER_NAME_LENGTH, false);
    }

    /** Whether a standard parameter's value is in the format Twilio sends (parameters Twilio does not define: true). */
    static boolean isStandardFormat(String name, String value) {
        Predicate<String> format = STANDARD_PARAMETERS.get(name);
        return format == null || value.isEmpty() || format.test(value);
    }

    /**
     * Twilio's dates (callback {@code Timestamp}, REST API {@code start_time}/{@code end_time}) are RFC 2822,
     * e.g. {@code Tue, 25 Nov 2026 20:17:02 +0000}. Parsed with fixed English names, whatever the locale.
     * Twilio's one shape (two-digit day, numeric offset) is read by hand: the callbacks parse one per request,
     * and {@link DateTimeFormatter#RFC_1123_DATE_TIME} took 2-3 % of the service's CPU; anything else goes to
     * that formatter, which accepts and refuses exactly what it always did.
     */
    public static Optional<OffsetDateTime> parseRfc2822(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        OffsetDateTime quick = parseTwilioShape(value);
        if (quick != null) {
            return Optional.of(quick);
        }
        try {
            return Optional.of(OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code EEE, dd MMM yyyy HH:mm:ss +hhmm} exactly, with a day name that is the date's; null for anything else
     * (the formatter then decides).
     */
    private static OffsetDateTime parseTwilioShape(String v) {
        if (v.length() != 31 || v.charAt(3) != ',' || v.charAt(4) != ' ' || v.charAt(7) != ' ' || v.charAt(11) != ' '
                || v.charAt(16) != ' ' || v.charAt(19) != ':' || v.charAt(22) != ':' || v.charAt(25) != ' ') {
            return null;
        }
        int monthAt = MONTHS.indexOf(v.substring(8, 11));
        int day = digits(v, 5, 2);
        int year = digits(v, 12, 4);
        int hour = digits(v, 17, 2);
        int minute = digits(v, 20, 2);
        int second = digits(v, 23, 2);
        int offsetHours = digits(v, 27, 2);
        int offsetMinutes = digits(v, 29, 2);
        char sign = v.charAt(26);
        // A negative field is one that was not all digits; the ranges are java.time's to check.
        if (monthAt < 0 || monthAt % 3 != 0 || (sign != '+' && sign != '-')
                || Math.min(Math.min(Math.min(day, year), Math.min(hour, minute)),
                        Math.min(second, Math.min(offsetHours, offsetMinutes))) < 0) {
            return null;
        }
        int signum = sign == '-' ? -1 : 1;
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.of(year, monthAt / 3 + 1, day, hour, minute, second, 0,
                    ZoneOffset.ofHoursMinutes(signum * offsetHours, signum * offsetMinutes));
        } catch (DateTimeException e) {
            return null;
        }
        return v.startsWith(DAYS[parsed.getDayOfWeek().ordinal()]) ? parsed : null;
    }

    /** The decimal number of {@code length} ASCII digits at {@code from}; negative if one is not a digit. */
    private static int digits(String v, int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; i++) {
            int d = v.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }
}
