package dev.calltracker.logging;

import io.quarkus.logging.LoggingFilter;
import java.text.MessageFormat;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Masks phone numbers in every log line, whoever logs it (this service, Vert.x, the database driver):
 * {@code +15551230000} becomes {@code +1********00} and {@code +1 (555) 123-0000} {@code +1 (***) ***-**00}, in the message and in the logged exception (its
 * message, causes and suppressed ones; see {@link MaskedThrowable}). Leads' numbers are personal data;
 * logs travel further than the database.
 *
 * <p>The record is changed before any handler formats it, so the console pattern, the JSON formatter and
 * the test log file all print the masked text: a formatter of our own would have to be written for each.
 */
@LoggingFilter(name = "mask-phone-numbers")
public final class PhoneNumberMaskingFilter implements Filter {

    /**
     * 7 to 15 digits, optionally after '+' (or its URL encoding, in a logged form body), not part of a longer
     * word: Twilio sids and hex tokens are letters and digits, so their digit runs never match.
     */
    private static final Pattern PHONE = Pattern.compile("(?<![A-Za-z0-9])(\\+|%2[Bb])?(\\d{7,15})(?![A-Za-z0-9])");
    /**
     * Numbers written with separators: after '+' (or its URL encoding), digits with single spaces, dots, hyphens
     * or a parenthesised group between them ({@code +1 (555) 123-0000}, {@code +44 7700 900123}); without '+',
     * the North American shape only ({@code 555-123-0000}, {@code (555) 123-0000}, {@code 1 555.123.0000}), so that
     * dates ({@code 2026-11-25}), times and addresses stay readable.
     */
    private static final Pattern FORMATTED_PHONE = Pattern.compile("(?<![A-Za-z0-9*])(?:"
            + "(?<international>(?:\\+|%2[Bb])\\d(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d)){6,18})"
            + "|(?<national>(?:1[ .-]?)?(?:\\(\\d{3}\\)[ .-]?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}))(?![A-Za-z0-9])");
    private static final Pattern UUID = Pattern.compile(
            "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = formatted(record);
        if (message != null) {
            String masked = mask(message);
            if (!masked.equals(message)) {
                if (record instanceof ExtLogRecord ext) {
                    ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
                } else {
                    record.setMessage(masked);
                }
                record.setParameters(null);
            }
        }
        if (record.getThrown() != null) {
            record.setThrown(MaskedThrowable.of(record.getThrown()));
        }
        return true;
    }

    public static String mask(String text) {
        return maskPlain(maskFormatted(text));
    }

    /** Every digit of a formatted number but its first and last two becomes '*'; separators stay. */
    private static String maskFormatted(String text) {
        Matcher m = FORMATTED_PHONE.matcher(text);
        StringBuilder out = null;
        while (m.find()) {
            String number = m.group();
            int digits = (int) number.chars().filter(Character::isDigit).count()
                    - (number.startsWith("%2") ? 1 : 0); // the 2 of %2B is no digit of the number
            if (digits < 7 || digits > 15 || (m.group("national") != null && isPartOfIdentifier(text, m.start(), m.end()))) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(maskDigits(number)));
        }
        if (out == null) {
            return text;
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String maskDigits(String number) {
        int prefix = number.startsWith("%2") ? 3 : 0;
        int total = (int) number.substring(prefix).chars().filter(Character::isDigit).count();
        StringBuilder masked = new StringBuilder(number.substring(0, prefix));
        int seen = 0;
        for (int i = prefix; i < number.length(); i++) {
            char c = number.charAt(i);
            if (Character.isDigit(c)) {
                seen++;
                masked.append(seen == 1 || seen > total - 2 ? c : '*');
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }

    private static String maskPlain(String text) {
        Matcher m = PHONE.matcher(text);
        StringBuilder out = null;
        while (m.find()) {
            String prefix = m.group(1) == null ? "" : m.group(1);
            if (prefix.isEmpty() && isPartOfIdentifier(text, m.start(2), m.end(2))) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            String digits = m.group(2);
            String kept = digits.substring(0, 1) + "*".repeat(digits.length() - 3) + digits.substring(digits.length() - 2);
            m.appendReplacement(out, Matcher.quoteReplacement(prefix + kept));
        }
        if (out == null) {
            return text;
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Whether the digits are one group of a hyphen-joined identifier: a UUID (a run id, the demo lead
     * {@code 00000000-0000-4000-8000-000000000001}) or a word with letters (a pod or replica name such as
     * {@code call-tracker-12345678}). Digit groups without letters, such as {@code 555-1230000}, stay masked.
     */
    private static boolean isPartOfIdentifier(String text, int start, int end) {
        int from = start;
        while (from > 0 && isIdentifierChar(text.charAt(from - 1))) {
            from--;
        }
        int to = end;
        while (to < text.length() && isIdentifierChar(text.charAt(to))) {
            to++;
        }
        if (from == start && to == end) {
            return false;
        }
        String word = text.substring(from, to);
        return UUID.matcher(word).find() || word.chars().anyMatch(Character::isLetter);
    }

    private static boolean isIdentifierChar(char c) {
        return c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String formatted(LogRecord record) {
        String message = record.getMessage();
        Object[] params = record.getParameters();
        if (message == null || params == null || params.length == 0) {
            return message;
        }
        if (record instanceof ExtLogRecord ext) {
            return ext.getFormattedMessage();
        }
        try {
            return MessageFormat.format(message, params);
        } catch (IllegalArgumentException e) {
            return message;
        }
    }
}
