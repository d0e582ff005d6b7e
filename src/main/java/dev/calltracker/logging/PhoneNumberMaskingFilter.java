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
 * {@code +15551230000} becomes {@code +1*******00}. Leads' numbers are personal data; logs travel further
 * than the database.
 */
@LoggingFilter(name = "mask-phone-numbers")
public final class PhoneNumberMaskingFilter implements Filter {

    /** 7 to 15 digits, optionally after '+', not part of a longer word (Twilio sids are letters + hex). */
    private static final Pattern PHONE = Pattern.compile("(?<![A-Za-z0-9])(\\+?)(\\d{7,15})(?![A-Za-z0-9])");

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
        return true;
    }

    public static String mask(String text) {
        Matcher m = PHONE.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        do {
            String digits = m.group(2);
            String kept = digits.substring(0, 1) + "*".repeat(digits.length() - 3) + digits.substring(digits.length() - 2);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + kept));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
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
