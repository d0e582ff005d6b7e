package dev.calltracker.webhook;

import dev.calltracker.testing.DatabaseOfItsOwn;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Webhooks configured, to a receiver on the WireMock server of the fake Twilio API, with short timeouts and
 * back-off so that retries happen within a test; a database of its own, so that the outbox holds only its events.
 */
public class WebhooksOn extends DatabaseOfItsOwn {

    public static final String PATH = "/crm/call-tracker-events";
    /** The signing key the CRM holds, in Standard Webhooks' form. */
    public static final byte[] KEY = "test-webhook-key-not-a-secret-32".getBytes(StandardCharsets.UTF_8);
    public static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "webhooks.url", "${twilio.api-base-url}" + PATH,
                "webhooks.secret", SECRET,
                "webhooks.timeout", "1s",
                "webhooks.first-retry-after", "400ms",
                "webhooks.max-retry-after", "800ms",
                "webhooks.max-attempts", "3");
    }
}
