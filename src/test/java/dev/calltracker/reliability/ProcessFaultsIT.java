package dev.calltracker.reliability;

import static dev.calltracker.testing.TwilioFake.dialedStatus;
import static dev.calltracker.testing.TwilioFake.newSid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.calltracker.reliability.CallbackStormTest.Outcome;
import dev.calltracker.reliability.CallbackStormTest.StormCall;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceProcess;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Suites 3 and 4 against the packaged application, as separate processes: {@code kill -9} during a
 * storm, and two replicas on one database handling the same calls and reconciling concurrently.
 */
@QuarkusIntegrationTest
class ProcessFaultsIT {

    static final String ADMIN_TOKEN = "faults-admin-token";

    @Test
    void killMinusNineLosesNothingThatWasAnswered2xxAndRedeliveryIsIdempotent() throws Exception {
        Random random = new Random(99);
        List<StormCall> calls = newCalls(120, "+1555301", random);
        List<Map<String, String>> requests = deliveryOrder(calls, random);
        Map<Map<String, String>, Integer> answers = new ConcurrentHashMap<>();

        try (ServiceProcess service = start(8094)) {
            TwilioFake twilio = new TwilioFake(service.baseUrl(), TwilioFake.TEST_AUTH_TOKEN);
            AtomicInteger answered = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<Future<?>> sent = new ArrayList<>();
            for (Map<String, String> r : requests) {
                sent.add(clients.submit(() -> {
                    int status = twilio.send(TwilioFake.pathOf(r), r);
                    answers.put(r, status);
                    if (answered.incrementAndGet() == requests.size() * 2 / 5) {
                        service.kill(); // SIGKILL in the middle of the storm
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            clients.shutdown();
            assertThat(service.awaitExit(Duration.ofSeconds(10))).isTrue();
        }

        List<Map<String, String>> acknowledged = answers.entrySet().stream()
                .filter(e -> e.getValue() >= 200 && e.getValue() < 300).map(Map.Entry::getKey).toList();
        int lost = 0;
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement stored = db.prepareStatement("SELECT count(*) FROM call_events WHERE params = ?::jsonb")) {
            for (Map<String, String> r : acknowledged) {
                stored.setString(1, new JsonObject(Map.copyOf(r)).encode());
                try (ResultSet rs = stored.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 1) {
                        lost++;
                    }
                }
            }
        }
        System.out.printf("Process kill: requests=%d answered 2xx before the kill=%d lost=%d%n",
                requests.size(), acknowledged.size(), lost);
        assertThat(acknowledged).as("some requests were answered before the kill").isNotEmpty();
        assertThat(acknowledged.size()).as("the kill happened mid-storm").isLessThan(requests.size());
        assertThat(lost).as("requests answered 2xx but not stored").isZero();

        // Twilio re-delivers (everything, to be thorough) to the restarted service.
        try (ServiceProcess service = start(8094)) {
            TwilioFake twilio = new TwilioFake(service.baseUrl(), TwilioFake.TEST_AUTH_TOKEN);
            for (Map<String, String> r : requests) {
                assertThat(twilio.send(TwilioFake.pathOf(r), r)).isBetween(200, 299);
            }
        }
        assertThat(mismatches(calls)).as("calls whose final state differs from in-order delivery").isEmpty();
    }

    @Test
    void twoReplicasShareCallbacksAndReconcileConcurrentlyWithoutLostUpdatesOrDoubleDecisions() throws Exception {
        Random random = new Random(7);
        List<StormCall> calls = newCalls(150, "+1555302", random);
        List<Map<String, String>> requests = deliveryOrder(calls, random);
        List<String> staleCalls = insertStaleCalls(300);

        try (ServiceProcess a = start(8095); ServiceProcess b = start(8096)) {
            TwilioFake[] replicas = {new TwilioFake(a.baseUrl(), TwilioFake.TEST_AUTH_TOKEN),
                    new TwilioFake(b.baseUrl(), TwilioFake.TEST_AUTH_TOKEN)};
            ExecutorService pool = Executors.newFixedThreadPool(18);
            List<Future<?>> work = new ArrayList<>();
            // Both replicas reconcile, over and over, while the callbacks of the same calls go to either.
            work.add(pool.submit(() -> drainReconciler(a.baseUrl())));
            work.add(pool.submit(() -> drainReconciler(b.baseUrl())));
            List<Map<String, String>> withStaleCallbacks = new ArrayList<>(requests);
            OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(19).truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < staleCalls.size(); i += 3) {
                withStaleCallbacks.add(dialedStatus(staleCalls.get(i), newSid("CA"), "completed", 3, t, 30));
            }
            Collections.shuffle(withStaleCallbacks, random);
            for (Map<String, String> r : withStaleCallbacks) {
                work.add(pool.submit(() -> {
                    int status = replicas[random.nextInt(2)].send(TwilioFake.pathOf(r), r);
                    assertThat(status).isBetween(200, 299);
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            drainReconciler(a.baseUrl());
        }

        assertThat(mismatches(calls)).as("lost updates between replicas").isEmpty();
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement twice = db.prepareStatement("SELECT count(*) FROM (SELECT call_sid FROM call_events "
                     + "WHERE kind = 'reconciler' AND call_sid = ANY(?) GROUP BY call_sid HAVING count(*) > 1) t");
             PreparedStatement open = db.prepareStatement("SELECT count(*) FROM call_recordings WHERE call_sid = ANY(?) "
                     + "AND status <> 'completed'")) {
            java.sql.Array sids = db.createArrayOf("text", staleCalls.toArray());
            twice.setArray(1, sids);
            open.setArray(1, sids);
            try (ResultSet rs = twice.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("calls decided twice").isZero();
            }
            try (ResultSet rs = open.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("stale calls left undecided").isZero();
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static ServiceProcess start(int port) throws Exception {
        return ServiceProcess.start(port, PostgresTestResource.jdbcUrl(), PostgresTestResource.user(),
                PostgresTestResource.password(), "admin.token=" + ADMIN_TOKEN, "quarkus.shutdown.delay-enabled=false",
                "twilio.account-sid=", "reconcile.batch-size=40");
    }

    private static List<StormCall> newCalls(int n, String phonePrefix, Random random) throws Exception {
        List<StormCall> calls = new ArrayList<>();
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minusHours(2);
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO leads (id, first_name, status, phone) VALUES (?, 'Storm', 'new', ?)")) {
            for (int i = 0; i < n; i++) {
                UUID lead = UUID.randomUUID();
                String phone = phonePrefix + "%04d".formatted(i);
                insert.setObject(1, lead);
                insert.setString(2, phone);
                insert.executeUpdate();
                Outcome outcome = Outcome.values()[random.nextInt(Outcome.values().length)];
                calls.add(CallbackStormTest.stormCall(outcome, newSid("CA"), newSid("CA"), lead, phone, base.plusSeconds(i)));
            }
        }
        return calls;
    }

    /** Voice webhooks first (Twilio dials only after them), then everything else shuffled, 20% twice. */
    private static List<Map<String, String>> deliveryOrder(List<StormCall> calls, Random random) {
        List<Map<String, String>> first = new ArrayList<>();
        List<Map<String, String>> rest = new ArrayList<>();
        for (StormCall c : calls) {
            first.add(c.requests().get(0));
            rest.addAll(c.requests().subList(1, c.requests().size()));
            c.requests().stream().filter(r -> random.nextDouble() < 0.2).forEach(rest::add);
        }
        Collections.shuffle(first, random);
        Collections.shuffle(rest, random);
        first.addAll(rest);
        return first;
    }

    /** Inserts stale calls with a duration (the reconciler completes them from evidence); returns their sids. */
    private static List<String> insertStaleCalls(int n) throws Exception {
        List<String> sids = new ArrayList<>();
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement insert = db.prepareStatement("INSERT INTO call_recordings (call_sid, status, duration_seconds, "
                     + "created_at, last_event_at) VALUES (?, 'in-progress', 30, now() - interval '20 minutes', "
                     + "now() - interval '20 minutes')")) {
            for (int i = 0; i < n; i++) {
                String sid = newSid("CA");
                insert.setString(1, sid);
                insert.executeUpdate();
                sids.add(sid);
            }
        }
        return sids;
    }

    private static void drainReconciler(String baseUrl) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (int run = 0; run < 100; run++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/admin/reconcile"))
                        .header("Authorization", "Bearer " + ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                JsonObject report = new JsonObject(response.body());
                if (!report.getBoolean("skipped") && report.getInteger("claimed") == 0) {
                    return;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The calls whose final state differs from what in-order delivery gives. */
    private static List<String> mismatches(List<StormCall> calls) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement query = db.prepareStatement("""
                     SELECT c.status, c.ended_at, c.duration_seconds, l.status AS lead_status, l.last_contacted_at,
                            (SELECT count(*) FROM lead_activities a WHERE a.lead_id = l.id) AS activities
                       FROM call_recordings c JOIN leads l ON l.id = c.lead_id WHERE c.call_sid = ?""")) {
            for (StormCall c : calls) {
                query.setString(1, c.parent());
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        wrong.add(c.parent() + ": missing");
                        continue;
                    }
                    OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
                    OffsetDateTime contacted = rs.getObject("last_contacted_at", OffsetDateTime.class);
                    boolean same = Objects.equals(c.expectedStatus(), rs.getString("status"))
                            && sameInstant(c.expectedEnd(), ended)
                            && Objects.equals(c.expectedDuration(), (Integer) rs.getObject("duration_seconds"))
                            && Objects.equals(c.contactsLead() ? "contacted" : "new", rs.getString("lead_status"))
                            && sameInstant(c.contactsLead() ? c.expectedEnd() : null, contacted)
                            && rs.getLong("activities") == 1;
                    if (!same) {
                        wrong.add(c.outcome() + " " + c.parent() + ": " + rs.getString("status") + " ended " + ended
                                + " (expected " + c.expectedEnd() + ") duration " + rs.getObject("duration_seconds")
                                + " lead " + rs.getString("lead_status") + " " + contacted + " activities "
                                + rs.getLong("activities"));
                    }
                }
            }
        }
        return wrong;
    }

    private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }
}
