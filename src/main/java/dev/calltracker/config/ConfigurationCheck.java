package dev.calltracker.config;

import dev.calltracker.twilio.TwilioFormats;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start with settings that would make the TwiML wrong or the signature check fail for
 * every request, naming the environment variable to fix.
 */
@Startup
@ApplicationScoped
public class ConfigurationCheck {


    public ConfigurationCheck(CallingConfig calling, TwilioConfig twilio) {
        List<String> problems = new ArrayList<>();
        if (!TwilioFormats.isE164(calling.callerId())) {
            problems.add("CALLING_CALLER_ID must be an E.164 number such as +15005550006");
        }
        if (!isBaseUrl(calling.publicBaseUrl())) {
            problems.add("CALLING_PUBLIC_BASE_URL must be the http(s) URL Twilio calls, such as "
                    + "https://calls.example.com (no path, query or fragment)");
        }
        calling.allowedPrefixes().stream().filter(p -> !TwilioFormats.isE164Prefix(p.trim()))
                .forEach(p -> problems.add("CALLING_ALLOWED_PREFIXES has '" + p + "': prefixes look like +1 or +44"));
        calling.blockedPrefixes().stream().filter(p -> !TwilioFormats.isE164Prefix(p.trim()))
                .forEach(p -> problems.add("CALLING_BLOCKED_PREFIXES has '" + p + "': prefixes look like +1900"));
        if (calling.timeLimit().isNegative() || calling.timeLimit().isZero() || calling.timeLimit().toHours() > 24) {
            problems.add("CALLING_TIME_LIMIT must be between 1s and 24h");
        }
        String fragment = calling.callbackUrlFragment();
        if (!fragment.isEmpty() && (!fragment.startsWith("#") || fragment.chars().anyMatch(c -> c <= ' ' || c == '"'))) {
            problems.add("CALLING_CALLBACK_URL_FRAGMENT must be empty or start with # (e.g. #rc=3&rp=ct,rt,5xx)");
        }
        if (twilio.authToken().isBlank()) {
            problems.add("TWILIO_AUTH_TOKEN must not be empty");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", problems));
        }
    }

    private static boolean isBaseUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (Exception e) {
            return false;
        }
    }
}
