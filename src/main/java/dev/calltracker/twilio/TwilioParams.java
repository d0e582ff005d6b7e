package dev.calltracker.twilio;

import dev.calltracker.http.RequestRejected;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The verified parameters of one Twilio request, with typed accessors that refuse malformed values
 * (400 naming the field) before anything is written.
 */
public final class TwilioParams {

    private static final Pattern SID = Pattern.compile("[A-Z]{2}[0-9a-fA-F]{32}");
    /** Status words: Twilio's are lowercase with dashes. Anything else is not a status but an attack or a bug. */
    private static final Pattern STATUS_WORD = Pattern.compile("[a-z][a-z-]{0,31}");
    private static final int MAX_INT_DIGITS = 9;
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern CALLER = Pattern.compile("client:[A-Za-z0-9_.@-]{1,256}|\\+?[0-9]{1,15}");

    private final FormBody form;

    public TwilioParams(FormBody form) {
        this.form = form;
    }

    public Map<String, String> asMap() {
        return form.firstValues();
    }

    public boolean has(String name) {
        String v = form.first(name);
        return v != null && !v.isEmpty();
    }

    public String optional(String name) {
        String v = form.first(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String required(String name) {
        String v = optional(name);
        if (v == null) {
            throw RequestRejected.badField(name, name + " is required");
        }
        return v;
    }

    /** A Twilio sid: two capital letters (the kind, e.g. {@code CA}) and 32 hex digits. */
    public String requiredSid(String name, String kind) {
        return checkSid(name, kind, required(name));
    }

    public String optionalSid(String name, String kind) {
        String v = optional(name);
        return v == null ? null : checkSid(name, kind, v);
    }

    private static String checkSid(String name, String kind, String value) {
        if (!SID.matcher(value).matches() || !value.startsWith(kind)) {
            throw RequestRejected.badField(name, name + " must be a Twilio sid starting with " + kind);
        }
        return value;
    }

    public String requiredStatusWord(String name) {
        String v = required(name);
        if (!STATUS_WORD.matcher(v).matches()) {
            throw RequestRejected.badField(name, name + " is not a status word");
        }
        return v;
    }

    /** A phone number in E.164 form, as Twilio reports the dialed leg's {@code To}. */
    public String optionalE164(String name) {
        String v = optional(name);
        if (v != null && !E164.matcher(v).matches()) {
            throw RequestRejected.badField(name, name + " must be an E.164 number");
        }
        return v;
    }

    /** The caller of a browser call: {@code client:<identity>}, or a number. */
    public String optionalCaller(String name) {
        String v = optional(name);
        if (v != null && !CALLER.matcher(v).matches()) {
            throw RequestRejected.badField(name, name + " must be client:<identity> or a phone number");
        }
        return v;
    }

    public Integer optionalNonNegativeInt(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        if (v.length() > MAX_INT_DIGITS || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw RequestRejected.badField(name, name + " must be a whole number between 0 and 999999999");
        }
        return Integer.parseInt(v);
    }

    /** Twilio's {@code Timestamp} is RFC 2822, e.g. {@code Tue, 25 Nov 2026 20:17:02 +0000}. */
    public OffsetDateTime optionalRfc2822(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw RequestRejected.badField(name, name + " must be an RFC 2822 date");
        }
    }

    public UUID optionalUuid(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(v);
            if (!id.toString().equalsIgnoreCase(v)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badField(name, name + " must be a UUID");
        }
    }
}
