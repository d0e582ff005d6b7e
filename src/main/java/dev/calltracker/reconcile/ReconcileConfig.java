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

    /** Whether {@code every} switches the schedule off (the words the scheduler accepts). */
    static boolean isOff(String every) {
        return every.trim().equalsIgnoreCase("off") || every.trim().equalsIgnoreCase("disabled");
    }

    /**
     * Whether a run starts as soon as the service has started (after migrations): the schedule's first tick,
     * which comes at once; without it the first run comes one {@code every} later.
     */
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

    /**
     * Candidates claimed at a time; a run claims batch after batch until none is due or
     * {@link #runTimeLimit()} is reached. A quarter of each batch is the newest stuck calls, the rest the
     * longest due (see {@code StuckCallRepository}).
     */
    @WithDefault("200")
    int batchSize();

    /** A run claims no further batch after this long (the batch under way finishes). */
    @WithDefault("45s")
    Duration runTimeLimit();

    /**
     * Requests to Twilio's REST API in flight at most, per replica. Twilio limits concurrent requests per
     * account: the sum over replicas (and other clients of the account) must stay below it. On a 429 the
     * replica lowers its own limit and raises it again as requests succeed.
     */
    @WithDefault("8")
    int twilioConcurrency();

    /** A call Twilio says is still live (or without evidence yet) is examined again after this, doubling each time. */
    @WithDefault("2m")
    Duration recheckAfter();

    /** The longest wait between two examinations of a call that stays open. */
    @WithDefault("30m")
    Duration recheckMax();

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
