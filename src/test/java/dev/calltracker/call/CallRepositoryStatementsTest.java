package dev.calltracker.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.SqlConnectOptions;
import org.junit.jupiter.api.Test;

/**
 * The hot path's statements must stay prepared once per connection: the Vert.x client caches only
 * statements shorter than its SQL limit (2,048 characters; Quarkus has no setting for it). A longer one
 * would be prepared again on every execution, an extra round trip that also stalls the pipelined
 * transaction, without any error to notice it by.
 */
class CallRepositoryStatementsTest {

    @Test
    void hotPathStatementsFitThePreparedStatementCache() {
        int limit = SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT;
        CallRepository calls = new CallRepository();
        assertThat(calls.appendEventAndLockCall).hasSizeLessThan(limit);
        assertThat(calls.saveTransition).hasSizeLessThan(limit);
        assertThat(calls.recordDialedCall).hasSizeLessThan(limit);
        assertThat(calls.appendAmdResultAndLockCall).hasSizeLessThan(limit);
        assertThat(calls.appendParentStatusToKnownCall).hasSizeLessThan(limit);
    }
}
