package dev.calltracker.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.OperatorDatabase;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.TestSql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V13 (call_events' one index per call) on a database that already holds events of every kind, an AMD result
 * stored under its parent leg as the previous version did among them: a schema of its own migrated to V12, filled,
 * then migrated to the end as an upgrade would.
 */
@QuarkusTest
@TestProfile(OperatorDatabase.class)
class EventIndexMigrationTest {

    static final String SCHEMA = "events_before_v13";

    final TestSql sql = TestSql.forTests();

    Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(PostgresTestResource.jdbcUrl(), PostgresTestResource.user(), PostgresTestResource.password())
                .schemas(SCHEMA).locations("classpath:db/migration").target(target).load();
    }

    @Test
    void theEventsAreIndexedByCallAndStillDeduplicated() {
        sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        flyway("12").migrate();
        sql.execute("""
                INSERT INTO %1$s.call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
                SELECT 'CA' || g, CASE WHEN k = 'dialed-status' THEN 'CL' || g ELSE 'CA' || g END, k, 'completed',
                       now() - g * interval '1 minute', 'callback',
                       CASE k WHEN 'voice' THEN 'voice:CA' || g WHEN 'dialed-status' THEN 'dialed-status:CL' || g || ':2'
                              WHEN 'amd' THEN 'amd:CL' || g ELSE k || ':CA' || g || ':completed' END,
                       '{}'::jsonb
                  FROM generate_series(1, 2000) g,
                       unnest(ARRAY['voice', 'dialed-status', 'dial-action', 'parent-status', 'amd']) k""".formatted(SCHEMA));

        assertThat(flyway("latest").migrate().migrationsExecuted).isPositive();

        Row index = sql.row("""
                SELECT i.indisunique AND i.indisvalid AS unique_and_valid, pg_get_indexdef(i.indexrelid) AS def
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relname = 'call_events_call_sid_dedupe_key_key'""", SCHEMA);
        assertThat(index.getBoolean("unique_and_valid")).isTrue();
        assertThat(index.getString("def")).contains("(call_sid, dedupe_key)", "fillfactor='70'");
        assertThat(sql.count("""
                SELECT count(*) FROM pg_indexes WHERE schemaname = $1
                   AND indexname IN ('call_events_dedupe_key_key', 'call_events_call_sid_idx')""", SCHEMA))
                .as("replaced").isZero();
        assertThat(sql.count("SELECT count(*) FROM " + SCHEMA + ".call_events")).isEqualTo(10_000);

        // A re-delivery of an event stored before the upgrade is still stored once (the service's ON CONFLICT).
        int stored = sql.execute("""
                INSERT INTO %1$s.call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
                VALUES ('CA7', 'CL7', 'dialed-status', 'completed', now(), 'callback', 'dialed-status:CL7:2', '{}')
                ON CONFLICT (call_sid, dedupe_key) DO NOTHING""".formatted(SCHEMA));
        assertThat(stored).isZero();

        sql.execute("ANALYZE " + SCHEMA + ".call_events");
        String plan = sql.rows("EXPLAIN SELECT id FROM " + SCHEMA
                        + ".call_events WHERE call_sid = 'CA7' OR (call_sid = 'CL7' AND kind = 'amd') ORDER BY id")
                .stream().map(r -> r.getString(0)).collect(Collectors.joining("\n"));
        assertThat(plan).as("a call's events (find-call-events.sql)").contains("call_events_call_sid_dedupe_key_key");

        assertThat(flyway("latest").migrate().migrationsExecuted).as("a second start changes nothing").isZero();
        sql.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    }
}
