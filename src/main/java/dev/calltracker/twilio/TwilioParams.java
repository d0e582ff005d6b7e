package dev.calltracker.twilio;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The parameters of one Twilio request whose signature was verified ({@link TwilioRequestReader}), with typed
 * accessors that refuse malformed values (400 naming the field) before anything is written.
 *
 * @param endpoint   the endpoint that received it: the label of its metrics and refusals
 * @param receivedAt when it was received
 */
// In the contract, what Twilio posts: its form (META-INF/openapi.yaml), not this reading of it.
@Schema(ref = "TwilioForm")
public record TwilioParams(String endpoint, OffsetDateTime receivedAt, FormBody form) {

    private static final int MAX_INT_DIGITS = 9;

    /** Every parameter's first value, in the order received: what is stored with the event. */
    public Map<String, String> asMap() {
        return form.firstValues();
    }

    public boolean has(String name) {
        return optional(name) != null;
    }

    public String optional(String name) {
        String v = form.first(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public String required(String name) {
        String v = optional(name);
        if (v == null) {
            throw refused(name, name + " is required");
        }
        return v;
    }

    /** A Twilio sid starting with {@code prefix} ({@link TwilioFormats#CALL_SID_PREFIX}, ...). */
    public String requiredSid(String name, String prefix) {
        return checkSid(name, prefix, required(name));
    }

    public String optionalSid(String name, String prefix) {
        String v = optional(name);
        return v == null ? null : checkSid(name, prefix, v);
    }

    private String checkSid(String name, String prefix, String value) {
        if (!TwilioFormats.isSid(value, prefix)) {
            throw refused(name, name + " must be a Twilio sid starting with " + prefix);
        }
        return value;
    }

    public String requiredStatusWord(String name) {
        String v = required(name);
        if (!TwilioFormats.isStatusWord(v)) {
            throw refused(name, name + " is not a status word");
        }
        return v;
    }

    /** A phone number in E.164 form, as Twilio reports the dialed leg's {@code To}. */
    public String optionalE164(String name) {
        String v = optional(name);
        if (v != null && !TwilioFormats.isE164(v)) {
            throw refused(name, name + " must be an E.164 number");
        }
        return v;
    }

    /** The caller of a browser call: {@code client:<identity>}, or a number. */
    public String optionalCaller(String name) {
        String v = optional(name);
        if (v != null && !TwilioFormats.isCaller(v)) {
            throw refused(name, name + " must be client:<identity> or a phone number");
        }
        return v;
    }

    public Integer optionalNonNegativeInt(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        if (v.length() > MAX_INT_DIGITS || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw refused(name, name + " must be a whole number between 0 and 999999999");
        }
        return Integer.parseInt(v);
    }

    /** Twilio's {@code Timestamp}, RFC 2822. */
    public OffsetDateTime optionalRfc2822(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        return TwilioFormats.parseRfc2822(v).orElseThrow(() -> refused(name, name + " must be an RFC 2822 date"));
    }

    public UUID optionalUuid(String name) {
        String v = optional(name);
        if (v == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(v);
            if (id.toString().equalsIgnoreCase(v)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw refused(name, name + " must be a UUID");
    }

    public String optionalHttpUrl(String name) {
        String value = optional(name);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw refused(name, name + " must be an http(s) URL");
    }

    private TwilioRequestRejected refused(String field, String message) {
        return TwilioRequestRejected.invalid(endpoint, field, message);
    }
}
