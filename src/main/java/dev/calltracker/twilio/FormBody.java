package dev.calltracker.twilio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strictly parsed {@code application/x-www-form-urlencoded} body.
 *
 * <p>Written by hand rather than taken from the framework's form handling because the signature is
 * computed over every parameter exactly as received, and because broken percent-encoding or invalid
 * UTF-8 must be refused with a clear message instead of being silently replaced.
 */
public final class FormBody {

    private final Map<String, List<String>> params;

    private FormBody(Map<String, List<String>> params) {
        this.params = params;
    }

    public static FormBody parse(byte[] body) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (body.length == 0) {
            return new FormBody(params);
        }
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '&') {
                if (i > start) {
                    addPair(params, body, start, i);
                }
                start = i + 1;
            }
        }
        return new FormBody(params);
    }

    private static void addPair(Map<String, List<String>> params, byte[] body, int from, int to) {
        int eq = from;
        while (eq < to && body[eq] != '=') {
            eq++;
        }
        String name = decode(body, from, eq);
        String value = eq < to ? decode(body, eq + 1, to) : "";
        if (name.isEmpty()) {
            throw new MalformedFormException("a form parameter has an empty name");
        }
        params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }

    private static String decode(byte[] body, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw new MalformedFormException("truncated percent-encoding in the form body");
                }
                int hi = Character.digit(body[i + 1], 16);
                int lo = Character.digit(body[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedFormException("invalid percent-encoding in the form body");
                }
                out.write((hi << 4) + lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFormException("the form body is not valid UTF-8");
        }
    }

    /** The first value of a parameter, or null. */
    public String first(String name) {
        List<String> values = params.get(name);
        return values == null ? null : values.get(0);
    }

    /** Every parameter with all its values, in the order received. */
    public Map<String, List<String>> all() {
        return Collections.unmodifiableMap(params);
    }

    /** Single-valued view (first value wins), for storage. */
    public Map<String, String> firstValues() {
        Map<String, String> flat = new LinkedHashMap<>();
        params.forEach((k, v) -> flat.put(k, v.get(0)));
        return flat;
    }

    public static final class MalformedFormException extends RuntimeException {
        public MalformedFormException(String message) {
            super(message);
        }
    }
}
