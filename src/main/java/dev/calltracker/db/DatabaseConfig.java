package dev.calltracker.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Deadlines on every use of the database (environment variables {@code DB_*}). A database that stops answering
 * (a network stall, a fail-over that closes nothing) ends each request within
 * {@code acquire-timeout + transaction-timeout} with a 503, so that Twilio's retry of it still fits in its 15 s
 * budget (docs/reliability.md has the arithmetic).
 */
@ConfigMapping(prefix = "db")
public interface DatabaseConfig {

    /** The longest wait for a pooled connection; beyond it the request is refused (503). */
    @WithDefault("2s")
    Duration acquireTimeout();

    /**
     * The longest background work (the reconciler) waits for a pooled connection: it shares the pool with the
     * callbacks and is in no hurry, but a silent database must not hold it for ever either.
     */
    @WithDefault("30s")
    Duration backgroundAcquireTimeout();

    /** The longest a new connection may take to be ready (TCP, TLS, PostgreSQL's start-up); then it is given up. */
    @WithDefault("3s")
    Duration connectTimeout();

    /**
     * The longest a request may hold its connection (its whole transaction). A connection still busy then is
     * closed, not returned to the pool: its database went silent, or its answers no longer reach us.
     */
    @WithDefault("4s")
    Duration transactionTimeout();

    /** PostgreSQL's {@code statement_timeout} on the service's sessions: a statement the server itself cancels. */
    @WithDefault("3s")
    Duration statementTimeout();

    /** PostgreSQL's {@code lock_timeout}: a row another session holds (a CRM editing a lead) refuses the request in time. */
    @WithDefault("2s")
    Duration lockTimeout();

    /** PostgreSQL's {@code idle_in_transaction_session_timeout}: the server ends a transaction its client abandoned. */
    @WithDefault("10s")
    Duration idleInTransactionTimeout();

    /** Requests that may wait for a connection at once; one more is refused at once (a stall cannot pile up memory). */
    @WithDefault("256")
    int maxWaitQueue();

    /** The readiness probe's own deadline for its {@code SELECT 1}, well inside Kubernetes' probe timeout. */
    @WithDefault("2s")
    Duration probeTimeout();
}
