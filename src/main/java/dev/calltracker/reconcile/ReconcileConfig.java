package dev.calltracker.reconcile;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the stuck-call reconciler. Environment variables: {@code RECONCILE_*}. */
@ConfigMapping(prefix = "reconcile")
public interface ReconcileConfig {

    /** How often the job runs ({@code off} disables the schedule; read by {@code @Scheduled}). */
    @WithDefault("1m")
    String every();

    /** Whether a run starts as soon as the service has started (after migrations). */
    @WithDefault("true")
    boolean runAtStartup();

    /** A non-terminal call with no event for this long is a candidate. */
    @WithDefault("10m")
    Duration staleAfter();

    /**
     * A call whose parent leg ended while its dialed leg never reported an outcome is a candidate once
     * the parent has been over this long (callbacks fired together may still be on their way).
     */
    @WithDefault("30s")
    Duration parentEndedGrace();

    /** Candidates per run, oldest first. */
    @WithDefault("200")
    int batchSize();

    /**
     * Without an answer from Twilio and without evidence, a call older than this is closed as
     * {@code unknown}. Beyond Twilio's default 4 h {@code timeLimit}, so no live call is closed.
     */
    @WithDefault("6h")
    Duration giveUpAfter();

    /** The stuck-calls gauge counts non-terminal calls with no event for longer than this. */
    @WithDefault("15m")
    Duration alertAfter();

    /** How long a replica's claim on a call lasts if it dies mid-run (another replica then takes it). */
    @WithDefault("5m")
    Duration claimTimeout();
}
