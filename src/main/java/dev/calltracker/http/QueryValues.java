package dev.calltracker.http;

import java.time.Duration;
import java.util.UUID;

/** Parses query and path values, refusing nonsense with a 400 that names the parameter. */
public final class QueryValues {

    private QueryValues() {
    }

    public static int intBetween(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw RequestRejected.badField(name, name + " must be a whole number between " + min + " and " + max);
    }

    public static UUID uuid(String name, String value) {
        try {
            UUID id = UUID.fromString(value);
            if (id.toString().equalsIgnoreCase(value)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw RequestRejected.badField(name, name + " must be a UUID");
    }

    /** A positive duration written as {@code 90s}, {@code 10m}, {@code 6h}, {@code 2d} or ISO-8601 ({@code PT10M}). */
    public static Duration duration(String name, String value, Duration defaultValue) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            Duration d;
            if (value.matches("[0-9]{1,6}[smhd]")) {
                long n = Long.parseLong(value.substring(0, value.length() - 1));
                d = switch (value.charAt(value.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                d = Duration.parse(value);
            }
            if (!d.isNegative()) {
                return d;
            }
        } catch (RuntimeException e) {
            // refused below
        }
        throw RequestRejected.badField(name, name + " must be a duration such as 90s, 10m, 6h or PT10M");
    }
}
