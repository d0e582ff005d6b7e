package dev.calltracker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The Twilio account. Environment variables: {@code TWILIO_*}. */
@ConfigMapping(prefix = "twilio")
public interface TwilioConfig {

    /** Signing key of {@code X-Twilio-Signature}; also the REST password when no API key is set. */
    String authToken();

    /** When set, requests naming another account are refused (checked after the signature). */
    Optional<String> accountSid();

    /** API key used as HTTP Basic user for the REST API (preferred over the auth token). */
    Optional<String> apiKeySid();

    Optional<String> apiKeySecret();

    @WithDefault("https://api.twilio.com")
    String apiBaseUrl();
}
