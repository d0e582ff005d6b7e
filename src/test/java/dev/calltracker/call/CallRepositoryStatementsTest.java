package dev.calltracker.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.db.SqlFile;
import io.vertx.sqlclient.SqlConnectOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hot path's statements must stay prepared once per connection: the Vert.x client caches only
 * statements shorter than its SQL limit (2,048 characters; Quarkus has no setting for it). A longer one
 * would be prepared again on every execution, an extra round trip that also stalls the pipelined
 * transaction, without any error to notice it by.
 */
class CallRepositoryStatementsTest {

    /** The statements CallRepository sends on a callback or a voice webhook, as SqlFile gives them to it. */
    @ParameterizedTest
    @ValueSource(strings = {"append-event-and-lock-call.sql", "save-transition.sql", "record-dialed-call.sql",
            "append-amd-result-and-lock-call.sql", "append-parent-status-to-known-call.sql", "enqueue-call-webhooks.sql"})
    void hotPathStatementsFitThePreparedStatementCache(String file) {
        assertThat(SqlFile.load(file)).hasSizeLessThan(SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT);
    }
}
