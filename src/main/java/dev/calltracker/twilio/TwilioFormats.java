package dev.calltracker.twilio;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The formats of what Twilio sends and what the service hands to Twilio, each written once: sids, E.164
 * numbers, status words, dates. Used by the request reader, the destination policy, the read endpoints,
 * the reconciler and the configuration check.
 */
public final class TwilioFormats {

    /** A sid: two capital letters naming what it identifies ({@code CA} call, {@code RE} recording) and 32 hex digits. */
    private static final Pattern SID = Pattern.compile("[A-Z]{2}[0-9a-fA-F]{32}");
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
    private static final Pattern PARTY = Pattern.compile(
            "\\+?[0-9]{1,15}|client:[A-Za-z0-9_.@-]{1,256}|sip:[A-Za-z0-9_.@:;=+-]{1,256}|anonymous|restricted|unknown");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
    private static final Pattern BOOLEAN = Pattern.compile("true|false");
    private static final Pattern RFC_2822 = Pattern.compile("[A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} "
            + "[0-9]{2}:[0-9]{2}:[0-9]{2} ([+-][0-9]{4}|GMT|UT)");
    private static final Pattern API_VERSION = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    static final int MAX_PARAMETER_NAME_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 2048;

    /**
     * The standard parameters of Twilio's voice requests. A signed request whose standard field breaks its
     * format is refused: it is not what Twilio sends, whoever signed it. Parameters not listed (custom
     * parameters, caller name, geography) are data: kept as received, never spliced into SQL or XML.
     */
    private static final Map<String, Pattern> STANDARD_PARAMETERS = Map.ofEntries(
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
        return value != null && value.startsWith(prefix) && SID.matcher(value).matches();
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

    static boolean isParameterName(String value) {
        return PARAMETER_NAME.matcher(value).matches();
    }

    /** Whether a standard parameter's value is in the format Twilio sends (parameters Twilio does not define: true). */
    static boolean isStandardFormat(String name, String value) {
        Pattern format = STANDARD_PARAMETERS.get(name);
        return format == null || value.isEmpty() || format.matcher(value).matches();
    }

    /**
     * Twilio's dates (callback {@code Timestamp}, REST API {@code start_time}/{@code end_time}) are RFC 2822,
     * e.g. {@code Tue, 25 Nov 2026 20:17:02 +0000}. Parsed with fixed English names, whatever the locale.
     */
    public static Optional<OffsetDateTime> parseRfc2822(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
