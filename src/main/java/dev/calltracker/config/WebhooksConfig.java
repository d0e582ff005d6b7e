package dev.calltracker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Signed webhooks to the CRM ({@code webhook/}), off unless {@code WEBHOOKS_URL} is set. Environment variables:
 * {@code WEBHOOKS_*}. Here, not in {@code webhook/}: the call's statements read {@link #enabled()} to write the
 * outbox in their transaction.
 */
@ConfigMapping(prefix = "webhooks")
public interface WebhooksConfig {

    /** Where events are POSTed; unset: no event is written or sent. */
    Optional<String> url();

    /**
     * The signing key: {@code whsec_} and base64 (Standard Webhooks' form), or any other string (its UTF-8 bytes);
     * at least 32 bytes either way. Required with {@link #url()}.
     */
    Optional<String> secret();

    /** How often each replica looks for due events ({@code off} disables the schedule; read by {@code @Scheduled}). */
    @WithDefault("2s")
    String every();

    /** Events claimed at a time; a full batch is followed by the next at once. */
    @WithDefault("20")
    int batchSize();

    /** The whole of one POST: connecting, sending and the CRM's answer. */
    @WithDefault("10s")
    Duration timeout();

    /** Attempts of one event before it is marked dead (kept in the outbox, never sent again). */
    @WithDefault("12")
    int maxAttempts();

    /** The wait after the first failure, doubling after each next one up to {@link #maxRetryAfter()}, with jitter. */
    @WithDefault("10s")
    Duration firstRetryAfter();

    @WithDefault("1h")
    Duration maxRetryAfter();

    default boolean enabled() {
        return url().filter(u -> !u.isBlank()).isPresent();
    }
}
