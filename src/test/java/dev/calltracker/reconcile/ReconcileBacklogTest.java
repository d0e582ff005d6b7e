package dev.calltracker.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.calltracker.reconcile.ReconcilerTest.CALLS;
import static dev.calltracker.reconcile.ReconcilerTest.now;
import static dev.calltracker.reconcile.ReconcilerTest.twilioCall;
import static dev.calltracker.testing.TwilioFake.newSid;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.calltracker.testing.DatabaseOfItsOwn;
import dev.calltracker.testing.InjectWireMock;
import dev.calltracker.testing.TestSql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against a backlog: queue order, requests in flight, 429 and 503 from Twilio, back-off of live
 * calls, a large adopted backlog drained. Its own database, a schedule of one tick an hour whose first tick
 * is the start-up run, and a limit of {@value #CONCURRENCY} requests in flight.
 */
@QuarkusTest
@TestProfile(ReconcileBacklogTest.Backlog.class)
class ReconcileBacklogTest {

    static final int CONCURRENCY = 4;
    static final int BATCH = 20;

    public static class Backlog extends DatabaseOfItsOwn {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("reconcile.every", "1h", "reconcile.run-at-startup", "true",
                    "reconcile.twilio-concurrency", Integer.toString(CONCURRENCY), "reconcile.batch-size", Integer.toString(BATCH),
                    // The large backlog drains in one run on a busy machine too.
                    "reconcile.run-time-limit", "5m",
                    // The breaker has its own tests (ReconcilerTest); here random 503s must not open it: with 4 calls
                    // at once, the retries of a few calls can make 3 failures of the last 4 requests.
                    "dev.calltracker.reconcile.TwilioCallsGateway/fetchCall/CircuitBreaker/requestVolumeThreshold", "40");
        }
    }

    @Inject
    StuckCallReconciler reconciler;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;
    @Inject
    TwilioConcurrencyLimit twilioLimit;
    @Inject
    ReconcileConfig config;
    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @InjectWireMock
    WireMockServer twilioApi;

    final TestSql sql = TestSql.forTests();

    @BeforeEach
    void setUp() {
        // The start-up run (the schedule's first tick) must be over before a test runs its own.
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> sql.count("SELECT count(*) FROM reconcile_runs WHERE trigger = 'schedule'") >= 1);
        twilioApi.resetAll();
        circuitBreakers.resetAll();
    }

    ReconcileReport run() {
        ReconcileReport report = reconciler.run("test").await().atMost(Duration.ofMinutes(2));
        assertThat(report.skipped()).isFalse();
        return report;
    }

    /** A stuck call whose dialed leg Twilio says is {@code status}; returns the parent sid. */
    String stuckCallTwilioSays(String status, Duration quietFor) {
        String child = newSid("CA");
        boolean ended = !status.equals("in-progress");
        OffsetDateTime answered = now().minus(quietFor).minusMinutes(1);
        String parent = sql.insertStaleCall(child, null, ended ? "ringing" : "in-progress", null, quietFor);
        if (!ended) {
            // Stored as Twilio tells it, so that its answer changes nothing: no event, the call stays stale.
            sql.execute("UPDATE call_recordings SET answered_at = $2 WHERE call_sid = $1", parent, answered);
        }
        twilioApi.stubFor(get(urlPathEqualTo(CALLS + "/" + child + ".json")).willReturn(okJson(twilioCall(child, parent,
                status, ended ? 0 : null, answered, ended ? now().minusMinutes(1) : null))));
        return parent;
    }

    @Test
    void theStartUpRunIsTheScheduleFirstTickAndTheOnlyOne() {
        assertThat(sql.count("SELECT count(*) FROM reconcile_runs WHERE trigger IN ('schedule', 'startup')"))
                .as("one run at start, not two").isEqualTo(1);
    }

    @Test
    void oldLiveCallsDoNotStarveANewStuckCall() {
        List<String> oldLive = new ArrayList<>();
        for (int i = 0; i < 5 * BATCH; i++) {
            oldLive.add(stuckCallTwilioSays("in-progress", Duration.ofHours(3).plusMinutes(i)));
        }
        String fresh = stuckCallTwilioSays("busy", Duration.ofMinutes(11));

        ReconcileReport first = run();

        List<String> order = first.calls().stream().map(ReconcileReport.Entry::callSid).toList();
        assertThat(order.indexOf(fresh)).as("the new stuck call is in the first batch, not behind %d older ones", oldLive.size())
                .isBetween(0, BATCH - 1);
        assertThat(sql.call(fresh).getString("status")).isEqualTo("busy");
        assertThat(order).containsAll(oldLive);

        // The live calls were checked and went to the back: the next run takes only the newly stuck call.
        String next = stuckCallTwilioSays("no-answer", Duration.ofMinutes(12));
        ReconcileReport second = run();
        assertThat(second.calls()).extracting(ReconcileReport.Entry::callSid).contains(next).doesNotContainAnyElementsOf(oldLive);
        assertThat(sql.call(next).getString("status")).isEqualTo("no-answer");
    }

    @Test
    void aLiveCallIsExaminedAgainAfterAGrowingCappedBackoffAndAtOnceAfterAnEvent() {
        String live = stuckCallTwilioSays("in-progress", Duration.ofHours(1));
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ReconcileReport report = run();
            assertThat(report.calls()).extracting(ReconcileReport.Entry::callSid).containsOnlyOnce(live);
            waits.add(waitAfterLastCheck(live));
            assertThat(run().calls()).as("not examined again before its time").extracting(ReconcileReport.Entry::callSid)
                    .doesNotContain(live);
            sql.execute("UPDATE call_recordings SET reconcile_next_check_at = now() - interval '1 second' WHERE call_sid = $1", live);
        }
        assertThat(waits).containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
                Duration.ofMinutes(16), Duration.ofMinutes(30), Duration.ofMinutes(30));
        assertThat(sql.call(live).getInteger("reconcile_checks")).isEqualTo(6);

        // An event after the last check (then quiet again): the back-off holds no more and starts over.
        sql.execute("UPDATE call_recordings SET reconcile_next_check_at = now() + interval '30 minutes', "
                + "last_event_at = now() - interval '11 minutes', reconcile_checked_at = now() - interval '12 minutes' "
                + "WHERE call_sid = $1", live);
        assertThat(run().calls()).extracting(ReconcileReport.Entry::callSid).contains(live);
        assertThat(waitAfterLastCheck(live)).isEqualTo(Duration.ofMinutes(2));
        assertThat(sql.call(live).getString("status")).as("a live call is never closed").isEqualTo("in-progress");
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1", live)).as("nothing changed: no event")
                .isZero();
    }

    private Duration waitAfterLastCheck(String callSid) {
        Row call = sql.call(callSid);
        return Duration.between(call.getOffsetDateTime("reconcile_checked_at"), call.getOffsetDateTime("reconcile_next_check_at"));
    }

    @Test
    void neverMoreRequestsInFlightThanTheLimit() {
        List<String> parents = stuckCallsTwilioSaysFailedAfter(40, 150);

        run();

        assertThat(parents).allSatisfy(p -> assertThat(sql.call(p).getString("status")).isEqualTo("failed"));
        int observed = mostAtOnce(twilioApi.getAllServeEvents());
        assertThat(observed).as("requests open at once, seen by Twilio").isLessThanOrEqualTo(CONCURRENCY).isGreaterThan(1);
        assertThat(twilioLimit.maxInFlight()).isLessThanOrEqualTo(CONCURRENCY);
        assertThat(twilioLimit.inFlight()).isZero();
    }

    @Test
    void aSlowTwilioHoldsNoDatabaseConnectionAndStartsNoSecondRun() {
        // Twilio answers after 30 s: every request times out (5 s from its sending) and is retried.
        List<String> parents = stuckCallsTwilioSaysFailedAfter(2, 30_000);
        var slowRun = reconciler.run("test").subscribeAsCompletionStage();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> twilioLimit.inFlight() > 0);

        assertThat(sql.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND state LIKE 'idle in transaction%'")).as("no transaction open while Twilio is asked").isZero();
        assertThat(reconciler.run("test").await().atMost(Duration.ofSeconds(5)).skipped())
                .as("a second run while the slow one goes on does nothing").isTrue();
        assertThat(sql.count("SELECT count(*) FROM call_recordings")).as("the pool serves others meanwhile").isPositive();

        ReconcileReport report = slowRun.toCompletableFuture().orTimeout(2, java.util.concurrent.TimeUnit.MINUTES).join();
        assertThat(report.skipped()).isFalse();
        assertThat(parents).as("Twilio never answered in time: left as they were, nothing guessed")
                .allSatisfy(p -> assertThat(sql.call(p).getString("status")).isEqualTo("ringing"));
        assertThat(twilioLimit.inFlight()).isZero();
    }

    /** {@code n} stuck calls whose dialed leg Twilio says failed, each answer after {@code delayMillis}; their parent sids. */
    private List<String> stuckCallsTwilioSaysFailedAfter(int n, int delayMillis) {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String child = newSid("CA");
            parents.add(sql.insertStaleCall(child, null, "ringing", null, Duration.ofMinutes(20 + i)));
            twilioApi.stubFor(get(urlPathEqualTo(CALLS + "/" + child + ".json")).willReturn(okJson(
                    twilioCall(child, null, "failed", 0, now().minusMinutes(20), now().minusMinutes(19))).withFixedDelay(delayMillis)));
        }
        return parents;
    }

    /** The most requests the fake Twilio was serving at one moment (received, answer not yet sent). */
    static int mostAtOnce(List<ServeEvent> served) {
        record Edge(long at, int delta) {
        }
        List<Edge> edges = new ArrayList<>();
        for (ServeEvent e : served) {
            long start = e.getRequest().getLoggedDate().getTime();
            // The journal has milliseconds: the end one millisecond early, so that a request sent right after an
            // answer never counts as overlapping it.
            edges.add(new Edge(start, 1));
            edges.add(new Edge(start + e.getTiming().getTotalTime() - 1, -1));
        }
        edges.sort(Comparator.comparingLong(Edge::at).thenComparingInt(Edge::delta));
        int open = 0;
        int most = 0;
        for (Edge edge : edges) {
            open += edge.delta();
            most = Math.max(most, open);
        }
        return most;
    }

    @Test
    void aRateLimitedAnswerSlowsDownHonoursRetryAfterAndIsNeverEvidence() {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            parents.add(stuckCallTwilioSays("completed", Duration.ofMinutes(30 + i)));
        }
        // The first requests, whichever calls they are for, are answered 429 with Retry-After: 1 (two, or three when
        // concurrent requests meet WireMock's scenario before it moves on).
        twilioApi.stubFor(get(urlPathMatching(CALLS + "/.*")).inScenario("limit").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"code\": 20429}"))
                .willSetStateTo("once"));
        twilioApi.stubFor(get(urlPathMatching(CALLS + "/.*")).inScenario("limit").whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"code\": 20429}"))
                .willSetStateTo("calm"));
        long rateLimitedBefore = twilioLimit.rateLimitedAnswers();

        ReconcileReport report = run();

        List<ServeEvent> served = twilioApi.getAllServeEvents();
        long answered429 = served.stream().filter(e -> e.getResponse().getStatus() == 429).count();
        assertThat(answered429).isGreaterThanOrEqualTo(2);
        assertThat(report.rateLimited()).isEqualTo(answered429);
        assertThat(twilioLimit.rateLimitedAnswers() - rateLimitedBefore).isEqualTo(answered429);
        for (String parent : parents) {
            Row call = sql.call(parent);
            assertThat(call.getString("status")).as("closed on Twilio's answer, after the 429").isEqualTo("completed");
            assertThat(call.getString("resolution")).isEqualTo("twilio-api");
        }
        long lastRateLimitedAt = served.stream().filter(e -> e.getResponse().getStatus() == 429)
                .mapToLong(e -> e.getRequest().getLoggedDate().getTime()).max().orElseThrow();
        long firstRateLimitedAt = served.stream().filter(e -> e.getResponse().getStatus() == 429)
                .mapToLong(e -> e.getRequest().getLoggedDate().getTime()).min().orElseThrow();
        // Requests sent after the first 429 was answered waited for Retry-After (a lower bound: never flaky on a slow machine).
        assertThat(served.stream().filter(e -> e.getRequest().getLoggedDate().getTime() > lastRateLimitedAt + 100)
                .mapToLong(e -> e.getRequest().getLoggedDate().getTime()).min().orElseThrow())
                .isGreaterThanOrEqualTo(firstRateLimitedAt + 900);
        assertThat(served).as("every 429 asked again, nothing else").hasSize(parents.size() + (int) answered429);
    }

    @Test
    void intermittentServiceUnavailableAnswersAreRetriedAndEveryCallIsClosedOnTwilioAnswer() {
        List<String> parents = new ArrayList<>();
        java.util.Set<String> urls = new java.util.HashSet<>();
        java.util.Random random = new java.util.Random(14);
        int expectedFailures = 0;
        for (int i = 0; i < 30; i++) {
            String child = newSid("CA");
            String parent = sql.insertStaleCall(child, null, "ringing", null, Duration.ofMinutes(40 + i));
            parents.add(parent);
            String url = CALLS + "/" + child + ".json";
            urls.add(url);
            String answer = twilioCall(child, parent, "no-answer", 0, now().minusMinutes(40), now().minusMinutes(39));
            // A quarter of the calls meet one or two 503s first, at random moments of the run.
            int failures = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
            expectedFailures += failures;
            String state = STARTED;
            for (int f = 0; f < failures; f++) {
                twilioApi.stubFor(get(urlPathEqualTo(url)).inScenario(url).whenScenarioStateIs(state)
                        .willReturn(aResponse().withStatus(503)).willSetStateTo("failed-" + (f + 1)));
                state = "failed-" + (f + 1);
            }
            twilioApi.stubFor(get(urlPathEqualTo(url)).inScenario(url).whenScenarioStateIs(state).willReturn(okJson(answer)));
        }

        ReconcileReport report = run();

        for (String parent : parents) {
            assertThat(sql.call(parent).getString("status")).as(report.calls().toString()).isEqualTo("no-answer");
            assertThat(sql.call(parent).getString("resolution")).isEqualTo("twilio-api");
        }
        assertThat(twilioApi.getAllServeEvents()).as("one request per call, one more per 503")
                .filteredOn(e -> urls.contains(e.getRequest().getUrl())).hasSize(30 + expectedFailures);
        assertThat(twilioApi.getAllServeEvents()).filteredOn(e -> e.getResponse().getStatus() == 503).hasSize(expectedFailures)
                .isNotEmpty();
    }

    @Test
    void anAdoptedDatabaseWithALargeBacklogIsDrainedToZero() {
        // Whatever earlier tests left open is closed first, so that the backlog is this test's alone.
        sql.execute("UPDATE call_recordings SET status = 'completed' WHERE status NOT IN "
                + "('completed', 'busy', 'no-answer', 'failed', 'canceled', 'unknown')");
        // 3,000 rows as the original system left them: no event, no reconciler columns touched, hours old; Twilio no
        // longer knows them (404), so each is decided from evidence: a duration ⇒ completed, none ⇒ unknown.
        int calls = 3000;
        sql.execute("""
                INSERT INTO call_recordings (call_sid, dialed_call_sid, status, duration_seconds, created_at)
                SELECT 'CA' || md5('adopted-p-' || n), 'CA' || md5('adopted-c-' || n), 'in-progress',
                       CASE WHEN n % 2 = 0 THEN 30 END, now() - interval '8 hours' - n * interval '1 second'
                  FROM generate_series(1, $1) AS n""", calls);

        ReconcileReport report = run();

        assertThat(report.claimed()).isEqualTo(calls);
        assertThat(report.batches()).isGreaterThanOrEqualTo(calls / BATCH);
        assertThat(report.stoppedBecause()).isEqualTo("drained");
        assertThat(report.backlogAfter()).isZero();
        assertThat(registry.get("calltracker.reconciler.backlog").gauge().value()).isZero();
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid LIKE 'CA%' AND status = 'completed' "
                + "AND resolution = 'inferred' AND duration_seconds = 30 AND created_at < now() - interval '7 hours'"))
                .isEqualTo(calls / 2);
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE status = 'unknown' "
                + "AND created_at < now() - interval '7 hours'")).isEqualTo(calls / 2);
        assertThat(sql.row("SELECT claimed, closed, left_open, stopped_because FROM reconcile_runs WHERE run_id = $1",
                java.util.UUID.fromString(report.runId())).getInteger("closed")).isEqualTo(calls);
    }
}
