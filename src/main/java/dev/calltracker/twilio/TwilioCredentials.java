package dev.calltracker.twilio;

import jakarta.inject.Inject;
import dev.calltracker.config.TwilioConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How the service authenticates to Twilio's REST API (calls for the reconciler, recording media for the CRM):
 * HTTP Basic with the API key and its secret when one is configured (Twilio's advice), else the account sid and
 * auth token. Either way the account must be known: the API's URLs name it.
 */
@ApplicationScoped
public class TwilioCredentials {

    @Inject
    TwilioConfig config;

    /** Whether the REST API can be asked at all. */
    public boolean present() {
        return config.accountSid().isPresent();
    }

    public String accountSid() {
        return config.accountSid().orElseThrow(() -> new IllegalStateException("TWILIO_ACCOUNT_SID is not set"));
    }

    /** The {@code Authorization} header of a REST request. */
    public String authorization() {
        String user = config.apiKeySid().orElse(accountSid());
        String password = config.apiKeySid().isPresent() ? config.apiKeySecret().orElse("") : config.authToken();
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
