package dev.calltracker.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.testing.OperatorDatabase;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The retention job on a real PostgreSQL, with rows of several ages inserted with SQL. Its own database (shared
 * with the operator tests): a run works on whole tables.
 */
@QuarkusTest
@TestProfile(OperatorDatabase.class)
class DataRetentionTest {

    static final Duration TIMEOUT = Duration.ofMinutes(1);

    final TestSql sql = TestSql.forTests();

    @Inject
    DataRetention retention;
    @Inject
    MeterRegistry registry;

    /** An event of a new call received {@code daysAgo}, with the parameters Twilio sends; returns its id. */
    long eventReceivedDaysAgo(String callSid, int daysAgo, String status) {
        return sql.row("""
                INSERT INTO call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
                VALUES ($1, $1, 'dialed-status', $2, now() - make_interval(days => $3), 'callback', $1 || ':' || $2,
                        jsonb_build_object('CallSid', $1::text, 'From', 'client:agent-1', 'To', '+15557770000'))
                RETURNING id""", callSid, status, daysAgo).getLong("id");
    }

    Row event(long id) {
        return sql.row("SELECT status, received_at, params::text AS params FROM call_events WHERE id = $1", id);
    }

    @Test
    void rawParametersOlderThanNinetyDaysAreClearedAndTheEventsStay() {
        String call = TwilioFake.newSid("CA");
        long yearOld = eventReceivedDaysAgo(call, 365, "initiated");
        long justExpired = eventReceivedDaysAgo(call, 91, "ringing");
        long justKept = eventReceivedDaysAgo(call, 89, "in-progress");
        long yesterday = eventReceivedDaysAgo(call, 1, "completed");
        Row before = event(yearOld);

        Map<String, Long> purged = retention.run().await().atMost(TIMEOUT);

        assertThat(purged.get("call_events.params")).isGreaterThanOrEqualTo(2);
        assertThat(event(yearOld).getString("params")).isEqualTo("{}");
        assertThat(event(justExpired).getString("params")).isEqualTo("{}");
        assertThat(event(justKept).getString("params")).contains("+15557770000", "client:agent-1");
        assertThat(event(yesterday).getString("params")).contains("+15557770000");
        assertThat(event(yearOld).getString("status")).as("the event itself stays").isEqualTo("initiated");
        assertThat(event(yearOld).getOffsetDateTime("received_at")).isEqualTo(before.getOffsetDateTime("received_at"));
        assertThat(sql.eventsOf(call)).isEqualTo(4);
    }

    @Test
    void reconcilerRunsOlderThanSevenDaysAreDeleted() {
        UUID month = run(Duration.ofDays(30));
        UUID eightDays = run(Duration.ofDays(8));
        UUID sixDays = run(Duration.ofDays(6));
        UUID hour = run(Duration.ofHours(1));

        retention.run().await().atMost(TIMEOUT);

        assertThat(sql.rows("SELECT run_id FROM reconcile_runs WHERE run_id = ANY($1)",
                (Object) new UUID[] {month, eightDays, sixDays, hour}).stream().map(r -> r.getUUID("run_id")))
                .containsExactlyInAnyOrder(sixDays, hour);
    }

    /** Dead webhook events go after 30 days; an event still due stays however old it is (it was accepted). */
    @Test
    void webhookEventsDeadForThirtyDaysAreDeletedAndUndeliveredOnesStay() {
        UUID deadLongAgo = webhookEvent(Duration.ofDays(31));
        UUID deadRecently = webhookEvent(Duration.ofDays(29));
        UUID stillDue = webhookEvent(null);
        UUID[] ours = {deadLongAgo, deadRecently, stillDue};
        try {
            Map<String, Long> purged = retention.run().await().atMost(TIMEOUT);

            assertThat(purged.get("webhook_outbox.dead")).isGreaterThanOrEqualTo(1);
            assertThat(sql.rows("SELECT id FROM webhook_outbox WHERE id = ANY($1)", (Object) ours).stream()
                    .map(r -> r.getUUID("id"))).containsExactlyInAnyOrder(deadRecently, stillDue);
        } finally {
            sql.execute("DELETE FROM webhook_outbox WHERE id = ANY($1)", (Object) ours);
        }
    }

    /** A webhook event created 60 days ago, dead since {@code deadAgo} (null: still due after its 12 attempts). */
    UUID webhookEvent(Duration deadAgo) {
        return sql.row("""
                INSERT INTO webhook_outbox (event_type, body, created_at, next_attempt_at, attempts, dead_at)
                VALUES ('call.updated', '{}'::jsonb, now() - interval '60 days', now() + interval '1 hour', 12,
                        now() - $1::text::interval)
                RETURNING id""", deadAgo == null ? null : deadAgo.getSeconds() + " seconds").getUUID("id");
    }

    UUID run(Duration finishedAgo) {
        UUID id = UUID.randomUUID();
        sql.execute("""
                INSERT INTO reconcile_runs (run_id, replica, trigger, started_at, finished_at, stopped_because, batches,
                                            claimed, closed, left_open, twilio_requests, rate_limited)
                VALUES ($1, 'test', 'schedule', now() - $2::text::interval - interval '1 second', now() - $2::text::interval,
                        'drained', 1, 0, 0, 0, 0, 0)""", id, finishedAgo.getSeconds() + " seconds");
        return id;
    }

    /**
     * More expired rows than a batch, cleared by two replicas' runs at once: each row once (the counts add up to
     * exactly the expired rows, none left), in batches of a thousand, counted by the metric.
     */
    @Test
    void replicasRunningAtOnceClearEachExpiredRowOnceInBatches() {
        double countedBefore = registry.counter("calltracker.retention.purged", "table", "call_events.params").count();
        String call = TwilioFake.newSid("CA");
        sql.execute("""
                INSERT INTO call_events (call_sid, leg_sid, kind, status, received_at, source, dedupe_key, params)
                SELECT $1, $1, 'dialed-status', 'ringing', now() - interval '200 days' + g * interval '1 second',
                       'callback', $1 || ':' || g, jsonb_build_object('To', '+15557770001')
                  FROM generate_series(1, 2500) g""", call);

        List<Map<String, Long>> runs = Uni.join().all(retention.run(), retention.run()).andFailFast()
                .await().atMost(TIMEOUT);

        long cleared = runs.stream().mapToLong(r -> r.get("call_events.params")).sum();
        assertThat(cleared).isEqualTo(2500);
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1 AND params <> '{}'::jsonb", call)).isZero();
        assertThat(registry.counter("calltracker.retention.purged", "table", "call_events.params").count() - countedBefore)
                .isEqualTo(2500);
        assertThat(retention.run().await().atMost(TIMEOUT).get("call_events.params")).as("nothing left").isZero();
    }
}
