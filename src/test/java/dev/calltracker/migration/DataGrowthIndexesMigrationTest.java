package dev.calltracker.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.OperatorDatabase;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.TestSql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V10 (the retention and timeline indexes) and V12 (the leads still new) on a database that already holds leads,
 * events and timelines: a schema of its own migrated to V9, filled, then migrated to the end as an upgrade would.
 */
@QuarkusTest
@TestProfile(OperatorDatabase.class)
class DataGrowthIndexesMigrationTest {

    static final String SCHEMA = "grown_before_v11";

    final TestSql sql = TestSql.forTests();

    Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(PostgresTestResource.jdbcUrl(), PostgresTestResource.user(), PostgresTestResource.password()).schemas(SCHEMA).locations("classpath:db/migration")
                .target(target).load();
    }

    @Test
    void theIndexesAreBuiltOverTheRowsAlreadyThere() {
        sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        flyway("9").migrate();
        sql.execute("INSERT INTO " + SCHEMA + ".leads (id, first_name) VALUES ('00000000-0000-4000-8000-000000000001', 'Ada')");
        sql.execute("""
                INSERT INTO %1$s.call_events (call_sid, kind, status, received_at, source, dedupe_key, params)
                SELECT 'CA' || g, 'voice', 'ringing', now() - g * interval '1 hour', 'callback', 'voice:CA' || g,
                       CASE WHEN g %% 2 = 0 THEN '{}'::jsonb ELSE jsonb_build_object('To', '+15550003333') END
                  FROM generate_series(1, 5000) g""".formatted(SCHEMA));
        sql.execute("""
                INSERT INTO %1$s.lead_activities (lead_id, type, status, started_at, lead_seq)
                SELECT '00000000-0000-4000-8000-000000000001', 'call', 'completed', now() - g * interval '1 minute', g
                  FROM generate_series(1, 500) g""".formatted(SCHEMA));

        var result = flyway("latest").migrate();

        assertThat(result.migrationsExecuted).isPositive();
        assertThat(sql.count("""
                SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND i.indisvalid AND c.relname IN ('call_events_params_kept_idx',
                                                                        'lead_activities_timeline_idx',
                                                                        'leads_still_new_idx')""", SCHEMA))
                .isEqualTo(3);
        assertThat(sql.row("SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'leads_still_new_idx'",
                SCHEMA).getString(0)).contains("(id)", "WHERE (status = 'new'::text)");
        assertThat(sql.count("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname = 'lead_activities_lead_id_idx'",
                SCHEMA)).as("replaced by the timeline index").isZero();
        assertThat(sql.row("SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'call_events_params_kept_idx'",
                SCHEMA).getString(0)).contains("(received_at)", "WHERE (params <> '{}'::jsonb)");
        assertThat(sql.count("SELECT count(*) FROM " + SCHEMA + ".call_events")).isEqualTo(5000);
        assertThat(sql.count("SELECT count(*) FROM " + SCHEMA + ".lead_activities")).isEqualTo(500);
        assertThat(flyway("latest").migrate().migrationsExecuted).as("a second start changes nothing").isZero();
        sql.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    }
}
