package dev.calltracker.retention;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How long the service keeps what grows (docs/operations.md#retention). Environment variables: {@code RETENTION_*}.
 * A period is a duration ({@code 90d}, {@code 12h}) or {@code off}: kept for ever.
 */
@ConfigMapping(prefix = "retention")
public interface RetentionConfig {

    /** How often the retention job runs ({@code off} disables it; read by {@code @Scheduled}). */
    @WithDefault("1h")
    String every();

    /**
     * How long the raw Twilio parameters of an event ({@code call_events.params}: From, To, Caller, recording URLs)
     * are kept. The event row, its kind, status and times stay for ever, so timelines and audits still work.
     */
    @WithDefault("90d")
    String eventParams();

    /** How long a finished reconciler run is kept in {@code reconcile_runs} (the diagnostics' run list). */
    @WithDefault("7d")
    String reconcileRuns();

    /**
     * How long a webhook event that used its last attempt stays in {@code webhook_outbox} ({@code dead_at} set), for
     * an operator to inspect or send again. Events still due are never deleted.
     */
    @WithDefault("30d")
    String webhooksDead();

    /** Rows per statement: each batch is its own short transaction, so no lock is held long. */
    @WithDefault("1000")
    int batchSize();

    /** A run starts no further batch after this long; the next run continues where it stopped. */
    @WithDefault("30s")
    Duration runTimeLimit();

    /** Whether a value switches a schedule or a period off (the words the scheduler accepts). */
    static boolean isOff(String value) {
        return value.trim().equalsIgnoreCase("off") || value.trim().equalsIgnoreCase("disabled");
    }

    /**
     * The period a value names, empty for {@code off}.
     *
     * @throws IllegalArgumentException for anything else than a positive duration or {@code off}
     */
    static Optional<Duration> period(String value) {
        if (isOff(value)) {
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = DurationConverter.parseDuration(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: " + value, e);
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("not a positive duration: " + value);
        }
        return Optional.of(duration);
    }
}
