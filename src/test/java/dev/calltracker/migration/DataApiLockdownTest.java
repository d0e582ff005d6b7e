package dev.calltracker.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.DatabaseOfItsOwn;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ReadApi;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service on a database set up as a Supabase project's is (roles anon and authenticated, default privileges
 * granting every new table to both, the service on a role of its own that is no superuser), migrated from empty:
 * every table the service owns is closed to the Data API's roles, the service works, the CRM's tables are left as
 * the CRM had them. The table list is read from the catalog, so a table a later migration adds without closing it
 * fails here.
 */
@QuarkusTest
@TestProfile(DataApiLockdownTest.SupabaseProject.class)
class DataApiLockdownTest extends ServiceTest {

    /** The CRM's own tables: their grants and row security are the CRM's (docs/security.md). */
    static final Set<String> CRM_TABLES = Set.of("leads", "call_recordings");
    static final String FLYWAY_HISTORY = "flyway_schema_history";
    static final List<String> API_ROLES = List.of("anon", "authenticated");
    static final String INSUFFICIENT_PRIVILEGE = "42501";
    static final String PHONE = "+15557310000";


    public static class SupabaseProject extends DatabaseOfItsOwn {
        @Override
        protected String databaseKind() {
            return PostgresTestResource.SUPABASE_ROLES;
        }
    }

    @BeforeEach
    void everyServiceTableHoldsRows() {
        // One whole call (call_events, lead_activities) and one reconciler run (reconcile_runs): rows anon must not see.
        BrowserCall c = BrowserCall.to(sql.insertLead("new", PHONE), PHONE, Outcome.COMPLETED);
        c.requests().forEach(r -> assertThat(twilio.send(r)).as("%s", r).isBetween(200, 299));
        ReadApi.asOperator().post("/api/admin/reconcile").then().statusCode(200);
    }

    @Test
    void theServiceRunsAsItsOwnRoleWhichIsNoSuperuser() {
        var me = sql.row("SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
        assertThat(me.getString("name")).isEqualTo(PostgresTestResource.SERVICE_ROLE);
        assertThat(me.getBoolean("rolsuper")).as("a superuser would pass every check below").isFalse();
        assertThat(me.getBoolean("rolbypassrls")).isFalse();
    }

    @Test
    void everyTableTheServiceOwnsHasRowSecurityAndNoGrantToTheApiRoles() throws SQLException {
        List<String> serviceTables = serviceTables();
        assertThat(serviceTables).contains("call_events", "lead_activities", "reconcile_runs", "legacy_repairs", FLYWAY_HISTORY);
        try (Connection db = PostgresTestResource.connectAsAdministrator()) {
            for (String table : serviceTables) {
                // Flyway's history is closed by the revoke alone (V9: Flyway holds it locked while migrating).
                if (!table.equals(FLYWAY_HISTORY)) {
                    assertThat(bool(db, "SELECT relrowsecurity FROM pg_class WHERE oid = '" + table + "'::regclass"))
                            .as("row security on %s", table).isTrue();
                }
                for (String role : API_ROLES) {
                    for (String privilege : List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")) {
                        assertThat(bool(db, "SELECT has_table_privilege('" + role + "', '" + table + "', '" + privilege + "')"))
                                .as("%s may %s %s", role, privilege, table).isFalse();
                    }
                }
            }
            for (String sequence : strings(db, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = 'public' AND c.relkind = 'S'")) {
                for (String role : API_ROLES) {
                    assertThat(bool(db, "SELECT has_sequence_privilege('" + role + "', '" + sequence + "', 'USAGE,SELECT,UPDATE')"))
                            .as("%s may use %s", role, sequence).isFalse();
                }
            }
        }
    }

    @Test
    void asAnonOrAuthenticatedReadingOrInsertingIntoEachServiceTableIsRefused() throws SQLException {
        try (Connection db = PostgresTestResource.connectAsAdministrator(); Statement s = db.createStatement()) {
            for (String role : API_ROLES) {
                for (String table : serviceTables()) {
                    s.execute("SET ROLE " + role);
                    try {
                        assertThat(refusal(s, "SELECT * FROM " + table + " LIMIT 1")).as("%s reads %s", role, table)
                                .isEqualTo(INSUFFICIENT_PRIVILEGE);
                        assertThat(refusal(s, "INSERT INTO " + table + " DEFAULT VALUES")).as("%s inserts into %s", role, table)
                                .isEqualTo(INSUFFICIENT_PRIVILEGE);
                    } finally {
                        s.execute("RESET ROLE");
                    }
                }
            }
            // The attack the review found: a row with a future event's dedupe key, to have the real callback dropped.
            s.execute("SET ROLE anon");
            try {
                assertThat(refusal(s, "INSERT INTO call_events (call_sid, kind, received_at, source, dedupe_key, params) "
                        + "VALUES ('CA0', 'amd', now(), 'callback', 'amd:CA1', '{}')")).isEqualTo(INSUFFICIENT_PRIVILEGE);
            } finally {
                s.execute("RESET ROLE");
            }
        }
    }

    @Test
    void rowSecurityStillHidesEveryRowIfAServiceTableIsGrantedAgain() throws SQLException {
        try (Connection db = PostgresTestResource.connectAsAdministrator(); Statement s = db.createStatement()) {
            s.execute("GRANT SELECT, INSERT ON call_events TO anon");
            try {
                s.execute("SET ROLE anon");
                assertThat(count(s, "SELECT count(*) FROM call_events")).as("rows anon sees").isZero();
                assertThat(refusal(s, "INSERT INTO call_events (call_sid, kind, received_at, source, dedupe_key, params) "
                        + "VALUES ('CA0', 'amd', now(), 'callback', 'amd:CA1', '{}')"))
                        .as("a row-level security refusal").isEqualTo(INSUFFICIENT_PRIVILEGE);
            } finally {
                s.execute("RESET ROLE");
                s.execute("REVOKE ALL ON call_events FROM anon");
            }
            assertThat(count(s, "SELECT count(*) FROM call_events")).as("rows the administrator sees").isPositive();
        }
    }

    @Test
    void theServiceWorksAndTheCrmsTablesKeepTheirGrants() throws SQLException {
        UUID lead = sql.insertLead("new", "+15557310001");
        BrowserCall c = BrowserCall.to(lead, "+15557310001", Outcome.COMPLETED);
        c.requests().forEach(r -> assertThat(twilio.send(r)).as("%s", r).isBetween(200, 299));
        assertThat(sql.mismatches(List.of(c))).isEmpty();
        ReadApi.asCrmUser().get("/api/leads/" + lead + "/activities").then().statusCode(200);
        assertThat(sql.count("SELECT count(*) FROM reconcile_runs")).isPositive();

        try (Connection db = PostgresTestResource.connectAsAdministrator()) {
            for (String table : CRM_TABLES) {
                assertThat(bool(db, "SELECT has_table_privilege('anon', '" + table + "', 'SELECT')"))
                        .as("the grant Supabase's default privileges gave on %s is the CRM's to keep or drop", table).isTrue();
                assertThat(bool(db, "SELECT relrowsecurity FROM pg_class WHERE oid = '" + table + "'::regclass"))
                        .as("row security on %s is the CRM's to set", table).isFalse();
            }
        }
    }

    /** Every table of the schema but the CRM's: the service's, whatever migration created them. */
    static List<String> serviceTables() throws SQLException {
        try (Connection db = PostgresTestResource.connectAsAdministrator()) {
            List<String> tables = strings(db, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1");
            tables.removeAll(CRM_TABLES);
            return tables;
        }
    }

    /** The SQLSTATE a statement is refused with (it must be refused). */
    static String refusal(Statement s, String statement) {
        SQLException refused = catchThrowableOfType(SQLException.class, () -> s.execute(statement));
        assertThat((Throwable) refused).as("refused: %s", statement).isNotNull();
        return refused.getSQLState();
    }

    static long count(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean bool(Connection db, String query) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static List<String> strings(Connection db, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
