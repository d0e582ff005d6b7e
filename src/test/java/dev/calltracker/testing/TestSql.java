package dev.calltracker.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Direct SQL for test setup and assertions, on the service's own pool (from the test thread, blocking). */
public final class TestSql {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;

    public TestSql(Pool pool) {
        this.pool = pool;
    }

    public List<Row> rows(String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    public Row row(String sql, Object... args) {
        List<Row> rows = rows(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0);
    }

    public long count(String sql, Object... args) {
        return row(sql, args).getLong(0);
    }

    public UUID insertLead(String status, String phone) {
        return row("INSERT INTO leads (first_name, last_name, status, phone) VALUES ('Ada', 'Lovelace', $1, $2) RETURNING id",
                status, phone).getUUID("id");
    }

    public Row call(String callSid) {
        return row("SELECT * FROM call_recordings WHERE call_sid = $1", callSid);
    }

    public Row lead(UUID id) {
        return row("SELECT * FROM leads WHERE id = $1", id);
    }
}
