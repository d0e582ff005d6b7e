package dev.calltracker.testing;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Direct SQL for test set-up and assertions on the service's database, blocking, from test threads.
 * The same in every kind of test: {@link #forTests()} uses the service's own pool inside a
 * {@code @QuarkusTest}, and a small pool of its own on the database {@link PostgresTestResource} started
 * in an {@code *IT} (where the service runs in another process).
 */
public final class TestSql {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Pools of the test JVM, by database URL (a profile change starts another database). */
    private static final Map<String, Pool> OWN_POOLS = new ConcurrentHashMap<>();
    private static volatile Vertx ownVertx;

    private final Supplier<Pool> pool;

    public TestSql(Pool pool) {
        this.pool = () -> pool;
    }

    private TestSql(Supplier<Pool> pool) {
        this.pool = pool;
    }

    /** The database of the service under test. */
    public static TestSql forTests() {
        return new TestSql(TestSql::poolOfTheServiceUnderTest);
    }

    /**
     * The database of the service under test through a pool of the test's own, for a test that makes the service's
     * connections fail (and still needs to read what was stored).
     */
    public static TestSql ownConnections() {
        return new TestSql(TestSql::ownPool);
    }

    private static Pool poolOfTheServiceUnderTest() {
        ArcContainer container = Arc.container();
        if (container != null && container.isRunning()) {
            return container.instance(Pool.class).get();
        }
        return ownPool();
    }

    private static Pool ownPool() {
        return OWN_POOLS.computeIfAbsent(PostgresTestResource.reactiveUrl(), url -> {
            PgConnectOptions options = PgConnectOptions.fromUri(url)
                    .setUser(PostgresTestResource.user()).setPassword(PostgresTestResource.password());
            return Pool.newInstance(PgDriver.INSTANCE.createPool(vertx().getDelegate(), List.of(options),
                    new PoolOptions().setMaxSize(4)));
        });
    }

    private static synchronized Vertx vertx() {
        if (ownVertx == null) {
            ownVertx = Vertx.vertx();
        }
        return ownVertx;
    }

    // --- plain SQL -------------------------------------------------------------------------------

    public List<Row> rows(String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        pool.get().preparedQuery(sql).execute(Tuple.from(args)).await().atMost(TIMEOUT).forEach(rows::add);
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

    /** Runs a statement; returns the number of rows it changed. */
    public int execute(String sql, Object... args) {
        return pool.get().preparedQuery(sql).execute(Tuple.from(args)).await().atMost(TIMEOUT).rowCount();
    }

    // --- leads and calls -------------------------------------------------------------------------

    public UUID insertLead(String status, String phone) {
        return row("INSERT INTO leads (first_name, last_name, status, phone) VALUES ('Ada', 'Lovelace', $1, $2) RETURNING id",
                status, phone).getUUID("id");
    }

    /**
     * A call that stopped hearing from Twilio {@code age} ago (created then, last event then), as the
     * reconciler finds it; returns its (new) sid.
     */
    public String insertStaleCall(String dialedSid, UUID leadId, String status, Integer duration, Duration age) {
        String parent = TwilioFake.newSid("CA");
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minus(age);
        execute("INSERT INTO call_recordings (call_sid, dialed_call_sid, lead_id, status, duration_seconds, created_at, "
                + "last_event_at) VALUES ($1, $2, $3, $4, $5, $6, $6)", parent, dialedSid, leadId, status, duration, at);
        return parent;
    }

    public Row call(String callSid) {
        return row("SELECT * FROM call_recordings WHERE call_sid = $1", callSid);
    }

    public Row lead(UUID id) {
        return row("SELECT * FROM leads WHERE id = $1", id);
    }

    /** The events stored for a call (by its parent sid), of every kind. */
    public long eventsOf(String callSid) {
        return count("SELECT count(*) FROM call_events WHERE call_sid = $1", callSid);
    }

    /** The activities on a lead's timeline. */
    public long activitiesOf(UUID leadId) {
        return count("SELECT count(*) FROM lead_activities WHERE lead_id = $1", leadId);
    }

    /** Those of {@code requests} not stored exactly once (an event keeps the parameters as received). */
    public List<Map<String, String>> notStoredOnce(List<Map<String, String>> requests) {
        List<Map<String, String>> missing = new ArrayList<>();
        for (Map<String, String> r : requests) {
            String params = new JsonObject(Map.<String, Object>copyOf(r)).encode();
            if (count("SELECT count(*) FROM call_events WHERE params = $1::text::jsonb", params) != 1) {
                missing.add(r);
            }
        }
        return missing;
    }

    // --- final states ----------------------------------------------------------------------------

    /** What the database holds about a call and its lead, or null when there is no such call. */
    public FinalState finalStateOf(String callSid) {
        List<Row> found = rows("""
                SELECT c.status, c.dialed_call_sid, c.answered_at, c.ended_at, c.ended_at_estimated, c.duration_seconds,
                       c.parent_ended_at IS NOT NULL AS parent_ended, l.status AS lead_status, l.last_contacted_at,
                       (SELECT count(*) FROM lead_activities a WHERE a.lead_id = c.lead_id) AS activities,
                       (SELECT count(*) FROM call_events e WHERE e.call_sid = c.call_sid AND e.kind <> 'reconciler')
                           AS twilio_requests
                  FROM call_recordings c LEFT JOIN leads l ON l.id = c.lead_id
                 WHERE c.call_sid = $1""", callSid);
        if (found.isEmpty()) {
            return null;
        }
        Row r = found.get(0);
        return new FinalState(r.getString("status"), r.getString("dialed_call_sid"), r.getOffsetDateTime("answered_at"),
                r.getOffsetDateTime("ended_at"), r.getBoolean("ended_at_estimated"), r.getInteger("duration_seconds"),
                r.getBoolean("parent_ended"), r.getString("lead_status"), r.getOffsetDateTime("last_contacted_at"),
                r.getLong("activities"), r.getLong("twilio_requests"));
    }

    /**
     * The one final-state check: every call whose state in the database differs from what in-order
     * delivery of all of its requests gives, described. Empty when every call ended as it should.
     */
    public List<String> mismatches(Collection<BrowserCall> calls) {
        return mismatches(calls, BrowserCall::finalState);
    }

    /** The same check against another expectation, e.g. {@link BrowserCall#finalStateAfterTheDial()}. */
    public List<String> mismatches(Collection<BrowserCall> calls, Function<BrowserCall, FinalState> expected) {
        List<String> wrong = new ArrayList<>();
        for (BrowserCall c : calls) {
            List<String> differences = expected.apply(c).differencesFrom(finalStateOf(c.parentSid()));
            if (!differences.isEmpty()) {
                wrong.add(c.outcome() + " " + c.parentSid() + ": " + differences);
            }
        }
        return wrong;
    }
}
