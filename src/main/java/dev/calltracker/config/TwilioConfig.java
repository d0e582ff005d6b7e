package dev.calltracker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The Twilio account. Environment variables: {@code TWILIO_*}. */
@ConfigMapping(prefix = "twilio")
public interface TwilioConfig {

    /** Signing key of {@code X-Twilio-Signature}; also the REST password when no API key is set. */
    String authToken();

    /**
     * Webhook Rules SharedKeys that may sign requests instead of the Auth Token, as comma-separated
     * {@code id=secret} pairs (two during a rotation). A request names its key in
     * {@code X-Twilio-Webhooks-Signature-Settings}; one naming a key not listed here is refused.
     */
    Optional<List<String>> webhookSharedKeys();

    /** When set, requests naming another account are refused (checked after the signature). */
    Optional<String> accountSid();

    /** API key used as HTTP Basic user for the REST API (preferred over the auth token). */
    Optional<String> apiKeySid();

    Optional<String> apiKeySecret();

    @WithDefault("https://api.twilio.com")
    String apiBaseUrl();
}
