package dev.calltracker.lead;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The live activity streams of this replica (LIVE_STREAM_*). */
@ConfigMapping(prefix = "live-stream")
public interface LiveStreamConfig {

    /** A comment line this often keeps proxies from closing a quiet stream. */
    @WithDefault("15s")
    Duration heartbeat();

    /** Open streams this replica accepts; one more is answered 503 (the client retries, maybe elsewhere). */
    @WithDefault("1000")
    int maxOpen();

    /**
     * Open streams one user (a token's subject; the admin token counts as one user) may hold on this replica; one
     * more is answered 429. A CRM page opens one per lead shown: a few tabs, not a replica's worth.
     */
    @WithDefault("20")
    int maxOpenPerUser();

    /** Items a stream may hold for a client that does not read; beyond, the client is dropped (it resumes later). */
    @WithDefault("256")
    int buffer();

    /**
     * The listening connection is pinged this often; a ping unanswered within {@code db.connect-timeout} replaces
     * the connection (a half-open socket would otherwise look like a quiet channel for ever).
     */
    @WithDefault("5s")
    Duration listenerPing();

    /** The wait before the first attempt to reconnect the listening connection; it doubles with each failed attempt. */
    @WithDefault("100ms")
    Duration reconnectDelay();

    /** The longest wait between two attempts to reconnect the listening connection. */
    @WithDefault("5s")
    Duration reconnectMaxDelay();
}
