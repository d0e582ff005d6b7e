package dev.calltracker.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.calltracker.testing.TwilioFake.newSid;
import static dev.calltracker.testing.TwilioFake.rfc2822;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.calltracker.testing.DatabaseOfItsOwn;
import dev.calltracker.testing.InjectWireMock;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reconciler claims every stuck call of the database, so this class runs on a database of its own;
 * each test decides about its own calls and asserts on them only (calls that earlier tests of the class
 * left open are claimed too, and left alone by the assertions).
 */
@QuarkusTest
@TestProfile(ReconcilerTest.OwnDatabase.class)
class ReconcilerTest extends ServiceTest {

    public static class OwnDatabase extends DatabaseOfItsOwn {
    }

    static final String CALLS = "/2010-04-01/Accounts/" + TwilioFake.ACCOUNT_SID + "/Calls";
    static final Duration AWAIT = Duration.ofMinutes(2);

    @Inject
    Pool pool;
    @Inject
    StuckCallReconciler reconciler;
    @Inject
    CircuitBreakerMaintenance circuitBreakers;
    @Inject
    StuckCallRepository stuckCalls;
    @Inject
    TwilioCallsGateway gateway;
    @Inject
    ReconcileBatch batches;
    @Inject
    ReconcileRunLog runLog;
    @Inject
    ReconcilerMetrics metrics;
    @Inject
    ReconcileConfig config;
    @Inject
    TwilioConcurrencyLimit twilioLimit;
    @Inject
    MeterRegistry registry;

    @InjectWireMock
    WireMockServer twilioApi;


    @BeforeEach
    void setUp() {
        twilioApi.resetAll();
        circuitBreakers.resetAll();
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    }

    static String twilioCall(String sid, String parent, String status, Integer duration, OffsetDateTime start,
                             OffsetDateTime end) {
        return """
                {"sid": "%s", "parent_call_sid": %s, "status": "%s", "duration": %s, "start_time": %s, "end_time": %s,
                 "direction": "outbound-dial", "answered_by": null, "to": "+15551230000"}"""
                .formatted(sid, parent == null ? "null" : "\"" + parent + "\"", status,
                        duration == null ? "null" : "\"" + duration + "\"",
                        start == null ? "null" : "\"" + rfc2822(start) + "\"", end == null ? "null" : "\"" + rfc2822(end) + "\"");
    }

    void stubCall(String sid, String json) {
        twilioApi.stubFor(get(urlPathEqualTo(CALLS + "/" + sid + ".json")).willReturn(okJson(json)));
    }

    /**
     * Another replica, or this one with another clock or batch size: CDI has one reconciler per process, the
     * rest of the reconciler (its batches, run log, metrics) is the application's.
     */
    StuckCallReconciler replica(Replica replica, ReconcileConfig settings, java.time.Clock clock) {
        return new StuckCallReconciler(batches, runLog, metrics, twilioLimit, settings, clock, replica);
    }

    /** The reconciler's settings with another batch size. */
    ReconcileConfig withBatchSize(int batchSize) {
        return (ReconcileConfig) java.lang.reflect.Proxy.newProxyInstance(ReconcileConfig.class.getClassLoader(),
                new Class<?>[] {ReconcileConfig.class}, (proxy, method, args) -> method.getName().equals("batchSize")
                        ? batchSize : method.invoke(config, args));
    }

    ReconcileReport runReconciler() {
        return reconciler.run("test").await().atMost(AWAIT);
    }

    ReconcileReport.Entry entryFor(ReconcileReport report, String callSid) {
        return report.calls().stream().filter(e -> e.callSid().equals(callSid)).findFirst()
                .orElseThrow(() -> new AssertionError(callSid + " was not claimed: " + report));
    }

    @Test
    void twilioSaysCompletedWithDuration() {
        UUID lead = sql.insertLead("new", "+15551230000");
        String child = newSid("CA");
        String parent = sql.insertStaleCall(child, lead, "in-progress", null, Duration.ofMinutes(30));
        OffsetDateTime end = now().minusMinutes(20);
        stubCall(child, twilioCall(child, parent, "completed", 95, end.minusSeconds(100), end));

        ReconcileReport report = runReconciler();

        assertThat(entryFor(report, parent).outcome()).isEqualTo("completed");
        Row call = sql.call(parent);
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getString("resolution")).isEqualTo("twilio-api");
        assertThat(call.getInteger("duration_seconds")).isEqualTo(95);
        assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(end);
        Row lead2 = sql.lead(lead);
        assertThat(lead2.getString("status")).isEqualTo("contacted");
        assertThat(lead2.getOffsetDateTime("last_contacted_at")).isEqualTo(end);
        assertThat(sql.count("SELECT count(*) FROM call_events WHERE call_sid = $1 AND kind = 'reconciler' "
                + "AND source = 'twilio-api'", parent)).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM lead_activities WHERE lead_id = $1 AND status = 'completed'", lead))
                .isEqualTo(1);
        assertThat(sql.row("SELECT reconcile_claimed_until FROM call_recordings WHERE call_sid = $1", parent)
                .getOffsetDateTime(0)).as("claim released").isNull();
    }

    @Test
    void twilioSaysBusyAndTheLeadIsNotContacted() {
        UUID lead = sql.insertLead("new", "+15551230000");
        String child = newSid("CA");
        String parent = sql.insertStaleCall(child, lead, "ringing", null, Duration.ofMinutes(30));
        stubCall(child, twilioCall(child, parent, "busy", 0, now().minusMinutes(30), now().minusMinutes(29)));

        runReconciler();

        assertThat(sql.call(parent).getString("status")).isEqualTo("busy");
        assertThat(sql.lead(lead).getString("status")).isEqualTo("new");
        assertThat(sql.lead(lead).getOffsetDateTime("last_contacted_at")).isNull();
    }

    @Test
    void aCallTwilioSaysIsStillLiveIsLeftOpen() {
        String child = newSid("CA");
        String parent = sql.insertStaleCall(child, null, "in-progress", null, Duration.ofHours(2));
        stubCall(child, twilioCall(child, parent, "in-progress", null, now().minusHours(2), null));

        ReconcileReport report = runReconciler();

        assertThat(entryFor(report, parent).outcome()).isEqualTo("left-live");
        assertThat(sql.call(parent).getString("status")).isEqualTo("in-progress");
        assertThat(sql.call(parent).getString("resolution")).isNull();
    }

    @Test
    void withoutADialedSidTheChildrenAreListed() {
        String parent = sql.insertStaleCall(null, null, "initiated", null, Duration.ofMinutes(15));
        String child = newSid("CA");
        OffsetDateTime end = now().minusMinutes(14);
        twilioApi.stubFor(get(urlPathEqualTo(CALLS + ".json")).withQueryParam("ParentCallSid",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(parent))
                .willReturn(okJson("{\"calls\": [" + twilioCall(child, parent, "no-answer", 0, end.minusSeconds(30), end) + "]}")));

        runReconciler();

        Row call = sql.call(parent);
        assertThat(call.getString("status")).isEqualTo("no-answer");
        assertThat(call.getString("dialed_call_sid")).isEqualTo(child);
    }

    @Test
    void parentEndedAndNoDialedLegEverExistedIsCanceled() {
        String parent = sql.insertStaleCall(null, null, "initiated", null, Duration.ofMinutes(15));
        OffsetDateTime end = now().minusMinutes(14);
        twilioApi.stubFor(get(urlPathEqualTo(CALLS + ".json")).willReturn(okJson("{\"calls\": []}")));
        stubCall(parent, twilioCall(parent, null, "completed", 3, end.minusSeconds(3), end));

        runReconciler();

        Row call = sql.call(parent);
        assertThat(call.getString("status")).isEqualTo("canceled");
        assertThat(call.getString("resolution")).isEqualTo("twilio-api");
        assertThat(call.getOffsetDateTime("ended_at")).isEqualTo(end);
    }

    @Test
    void aParentThatEndedMakesTheCallACandidateBeforeItIsStale() {
        String parent = newSid("CA");
        sql.execute("INSERT INTO call_recordings (call_sid, status, created_at, last_event_at, parent_ended_at) "
                + "VALUES ($1, 'ringing', now() - interval '2 minutes', now() - interval '1 minute', now() - interval '1 minute')", parent);
        twilioApi.stubFor(get(urlPathEqualTo(CALLS + ".json")).willReturn(okJson("{\"calls\": []}")));
        stubCall(parent, twilioCall(parent, null, "completed", 3, now().minusMinutes(2), now().minusMinutes(1)));

        runReconciler();

        assertThat(sql.call(parent).getString("status")).isEqualTo("canceled");
    }

    @Test
    void unknownToTwilioDecidesFromEvidence() {
        UUID lead = sql.insertLead("new", "+15551230000");
        String withDuration = sql.insertStaleCall(newSid("CA"), lead, "in-progress", 300, Duration.ofMinutes(20));
        String young = sql.insertStaleCall(newSid("CA"), null, "ringing", null, Duration.ofMinutes(20));
        String old = sql.insertStaleCall(newSid("CA"), null, "ringing", null, Duration.ofHours(7));
        // WireMock answers 404 to anything not stubbed.

        ReconcileReport report = runReconciler();

        Row connected = sql.call(withDuration);
        assertThat(connected.getString("status")).isEqualTo("completed");
        assertThat(connected.getString("resolution")).isEqualTo("inferred");
        assertThat(connected.getOffsetDateTime("ended_at"))
                .isEqualTo(connected.getOffsetDateTime("created_at").plusSeconds(300));
        assertThat(sql.lead(lead).getString("status")).isEqualTo("contacted");

        assertThat(entryFor(report, young).outcome()).isEqualTo("left-waiting");
        assertThat(sql.call(young).getString("status")).isEqualTo("ringing");

        Row gaveUp = sql.call(old);
        assertThat(gaveUp.getString("status")).isEqualTo("unknown");
        assertThat(gaveUp.getString("resolution")).isEqualTo("inferred");
    }

    @Test
    void rateLimitedThenAnsweredIsRetried() {
        String child = newSid("CA");
        String parent = sql.insertStaleCall(child, null, "ringing", null, Duration.ofMinutes(20));
        String url = CALLS + "/" + child + ".json";
        twilioApi.stubFor(get(urlPathEqualTo(url)).inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withBody("{\"code\": 20429}")).willSetStateTo("answered"));
        twilioApi.stubFor(get(urlPathEqualTo(url)).inScenario("429").whenScenarioStateIs("answered")
                .willReturn(okJson(twilioCall(child, parent, "failed", 0, now().minusMinutes(20), now().minusMinutes(19)))));

        runReconciler();

        assertThat(sql.call(parent).getString("status")).isEqualTo("failed");
        twilioApi.verify(2, getRequestedFor(urlPathEqualTo(url)));
    }

    @Test
    void anUnauthorizedRequestIsSentOncePerCallAndLeavesTheCall() {
        String child = newSid("CA");
        String dialed = sql.insertStaleCall(child, null, "ringing", null, Duration.ofMinutes(20));
        String undialed = sql.insertStaleCall(null, null, "initiated", null, Duration.ofMinutes(20));
        String callUrl = CALLS + "/" + child + ".json";
        twilioApi.stubFor(get(urlPathEqualTo(callUrl)).willReturn(aResponse().withStatus(401).withBody("{\"code\": 20003}")));
        twilioApi.stubFor(get(urlPathEqualTo(CALLS + ".json")).withQueryParam("ParentCallSid",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(undialed))
                .willReturn(aResponse().withStatus(401).withBody("{\"code\": 20003}")));

        ReconcileReport report = runReconciler();

        twilioApi.verify(1, getRequestedFor(urlPathEqualTo(callUrl)));
        twilioApi.verify(1, getRequestedFor(urlPathEqualTo(CALLS + ".json")).withQueryParam("ParentCallSid",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(undialed)));
        twilioApi.verify(0, getRequestedFor(urlPathEqualTo(CALLS + "/" + undialed + ".json")));
        for (String parent : List.of(dialed, undialed)) {
            assertThat(entryFor(report, parent).outcome()).isEqualTo("left-twilio-refused");
            assertThat(entryFor(report, parent).detail()).contains("HTTP 401", "TWILIO_ACCOUNT_SID");
        }
        assertThat(sql.call(dialed).getString("status")).as("a refusal is never a reason to guess").isEqualTo("ringing");
        assertThat(sql.call(undialed).getString("status")).isEqualTo("initiated");
        assertThat(registry.counter("calltracker.twilio.api.errors", "status", "401").count()).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 403, 405, 422})
    void otherClientErrorsAreNotRetried(int status) {
        String sid = newSid("CA");
        String url = CALLS + "/" + sid + ".json";
        twilioApi.stubFor(get(urlPathEqualTo(url)).willReturn(aResponse().withStatus(status)));

        Throwable failure = catchThrowable(() -> gateway.fetchCall(sid).await().atMost(AWAIT));

        assertThat(failure).isInstanceOf(TwilioApiRefused.class);
        assertThat(((TwilioApiRefused) failure).status()).isEqualTo(status);
        twilioApi.verify(1, getRequestedFor(urlPathEqualTo(url)));
    }

    static Stream<Arguments> transientFailures() {
        return Stream.concat(IntStream.of(408, 429, 500, 502, 503, 504).mapToObj(status ->
                        Arguments.of("HTTP " + status, List.of(aResponse().withStatus(status), aResponse().withStatus(status)))),
                Stream.of(Arguments.of("connection reset", List.of(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void aTransientFailureIsRetriedUntilTwilioAnswers(String failure,
                                                      List<com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder> failures) {
        String sid = newSid("CA");
        String url = CALLS + "/" + sid + ".json";
        answersAfter(url, failures, okJson(twilioCall(sid, null, "completed", 5, now().minusMinutes(2), now().minusMinutes(1))));

        assertThat(gateway.fetchCall(sid).await().atMost(AWAIT)).hasValueSatisfying(c -> assertThat(c.status()).isEqualTo("completed"));
        twilioApi.verify(failures.size() + 1, getRequestedFor(urlPathEqualTo(url)));
    }

    @Test
    void aServiceThatStaysUnavailableIsAskedOnceAndRetriedThreeTimes() {
        String sid = newSid("CA");
        String url = CALLS + "/" + sid + ".json";
        twilioApi.stubFor(get(urlPathEqualTo(url)).willReturn(aResponse().withStatus(503)));

        Throwable failure = catchThrowable(() -> gateway.fetchCall(sid).await().atMost(AWAIT));

        assertThat(failure).isInstanceOf(WebApplicationException.class).isNotInstanceOf(TwilioApiRefused.class);
        twilioApi.verify(4, getRequestedFor(urlPathEqualTo(url)));
    }

    @Test
    void persistentServerErrorsOpenTheBreakerAndLeaveTheCalls() {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            parents.add(sql.insertStaleCall(newSid("CA"), null, "ringing", 60, Duration.ofMinutes(20)));
        }
        twilioApi.stubFor(get(urlPathMatching(CALLS + "/.*")).willReturn(aResponse().withStatus(500)));

        ReconcileReport report = runReconciler();

        for (String parent : parents) {
            assertThat(sql.call(parent).getString("status")).as("Twilio unreachable is never a reason to guess")
                    .isEqualTo("ringing");
            assertThat(entryFor(report, parent).outcome()).isEqualTo("left-twilio-unavailable");
        }
        assertThat(report.calls()).anyMatch(e -> e.detail().contains("circuit breaker open"));
        int requests = twilioApi.findAll(getRequestedFor(urlPathMatching(CALLS + "/.*"))).size();
        assertThat(requests).as("the breaker stops the requests").isLessThan(5 * 4);
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = ANY($1) AND reconcile_claimed_until IS NULL",
                (Object) parents.toArray(String[]::new))).as("left for the next run").isEqualTo(5);
    }

    @Test
    void aCallbackAfterTheReconcilerClosedTheCallOnlyFillsInMissingData() {
        String child = newSid("CA");
        String parent = sql.insertStaleCall(child, null, "ringing", null, Duration.ofMinutes(30));
        runReconciler(); // 404 → no evidence, young → left
        // Seven hours later (the call's re-check time has come too):
        sql.execute("UPDATE call_recordings SET created_at = now() - interval '7 hours', reconcile_next_check_at = now() "
                + "WHERE call_sid = $1", parent);
        runReconciler(); // → unknown
        assertThat(sql.call(parent).getString("status")).isEqualTo("unknown");

        OffsetDateTime end = now().minusHours(6);
        twilio.post(TwilioFake.WEBHOOK_PATH, TwilioFake.dialedStatus(parent, child, "completed", 3, end, 33))
                .then().statusCode(204);
        Row call = sql.call(parent);
        assertThat(call.getString("status")).isEqualTo("unknown");
        assertThat(call.getString("resolution")).isEqualTo("inferred");
        assertThat(call.getInteger("duration_seconds")).as("missing data filled in").isEqualTo(33);
        assertThat(call.getOffsetDateTime("ended_at")).as("Twilio's timestamp replaces the estimate").isEqualTo(end);
    }

    @Test
    void twoReplicasOverAThousandStaleCallsDecideEachOnceWhileCallbacksArrive() throws Exception {
        List<String> parents = new ArrayList<>();
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            children.add(newSid("CA"));
        }
        sql.execute("""
                INSERT INTO call_recordings (call_sid, dialed_call_sid, status, duration_seconds, created_at, last_event_at)
                SELECT 'CA' || md5(c), c, 'in-progress', 30, now() - interval '20 minutes', now() - interval '20 minutes'
                  FROM unnest($1::text[]) AS c""", (Object) children.toArray(String[]::new));
        sql.rows("SELECT call_sid FROM call_recordings WHERE dialed_call_sid = ANY($1) ORDER BY dialed_call_sid",
                (Object) children.toArray(String[]::new)).forEach(r -> parents.add(r.getString(0)));
        StuckCallReconciler otherReplica = replica(new Replica("replica-b"), config, java.time.Clock.systemUTC());

        Set<String> mine = Set.copyOf(parents);
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> drain(reconciler, mine));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> drain(otherReplica, mine));
        // Meanwhile Twilio's own completed callbacks arrive for 200 of the calls.
        List<Row> some = sql.rows("SELECT call_sid, dialed_call_sid FROM call_recordings WHERE dialed_call_sid = ANY($1) "
                + "ORDER BY random() LIMIT 200", (Object) children.toArray(String[]::new));
        for (Row r : some) {
            twilio.post(TwilioFake.WEBHOOK_PATH, TwilioFake.dialedStatus(r.getString(0), r.getString(1), "completed", 3,
                    now().minusMinutes(19), 30)).then().statusCode(204);
        }
        int decidedByA = a.get();
        int decidedByB = b.get();

        assertThat(decidedByA).isPositive();
        assertThat(decidedByB).isPositive();
        String[] sids = parents.toArray(String[]::new);
        assertThat(sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = ANY($1) AND status = 'completed'",
                (Object) sids)).isEqualTo(1000);
        assertThat(sql.count("""
                SELECT count(*) FROM (SELECT call_sid FROM call_events WHERE kind = 'reconciler' AND call_sid = ANY($1)
                                      GROUP BY call_sid HAVING count(*) > 1) twice""", (Object) sids))
                .as("no call decided twice").isZero();
        long byReconciler = sql.count("SELECT count(*) FROM call_events WHERE kind = 'reconciler' AND call_sid = ANY($1)",
                (Object) sids);
        long byCallback = sql.count("SELECT count(*) FROM call_recordings WHERE call_sid = ANY($1) AND resolution = 'callback'",
                (Object) sids);
        assertThat(byReconciler + byCallback).as("every call decided exactly once").isEqualTo(1000);
        assertThat(decidedByA + decidedByB).isEqualTo((int) byReconciler);
    }

    @Test
    void aRunStopsClaimingAtItsTimeLimitAndTheNextGoesOn() {
        for (int i = 0; i < 3; i++) {
            sql.insertStaleCall(newSid("CA"), null, "in-progress", 60, Duration.ofMinutes(20));
        }
        // A clock that moves a minute each time it is read: the run's time limit (45 s) is over after one batch.
        java.time.Clock hasty = new java.time.Clock() {
            final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.now().plus(Duration.ofMinutes(reads.incrementAndGet()));
            }
        };
        StuckCallReconciler replica = replica(new Replica("hasty"), withBatchSize(1), hasty);

        ReconcileReport first = replica.run("test").await().atMost(AWAIT);
        ReconcileReport second = replica.run("test").await().atMost(AWAIT);

        assertThat(first.stoppedBecause()).isEqualTo(ReconcileReport.TIME_LIMIT);
        assertThat(first.batches()).isEqualTo(1);
        assertThat(first.claimed()).isEqualTo(1);
        assertThat(second.claimed()).as("the next run goes on with the backlog").isEqualTo(1);
        assertThat(second.calls().get(0).callSid()).isNotEqualTo(first.calls().get(0).callSid());
    }

    @Test
    void aRunReleasesOnlyTheClaimsItStillHolds() {
        // A run that outlasted its lease: another replica has claimed one of its calls since.
        String mine = sql.insertStaleCall(null, null, "ringing", null, Duration.ofHours(1));
        String taken = sql.insertStaleCall(null, null, "ringing", null, Duration.ofHours(1));
        sql.execute("UPDATE call_recordings SET reconcile_claimed_until = now() + interval '5 minutes', "
                + "reconcile_claimed_by = CASE call_sid WHEN $1 THEN 'replica-a' ELSE 'replica-b' END "
                + "WHERE call_sid IN ($1, $2)", mine, taken);
        List<Recheck> rechecks = List.of(new Recheck(sql.call(mine).getUUID("id"), null, 0),
                new Recheck(sql.call(taken).getUUID("id"), null, 0));

        stuckCalls.release(pool, rechecks, "replica-a", OffsetDateTime.now(ZoneOffset.UTC)).await().atMost(AWAIT);

        assertThat(sql.call(mine).getString("reconcile_claimed_by")).isNull();
        assertThat(sql.call(taken).getString("reconcile_claimed_by")).isEqualTo("replica-b");
        assertThat(sql.call(taken).getOffsetDateTime("reconcile_claimed_until")).isNotNull();
    }

    /**
     * Runs the replica until a run claims none of {@code mine} (all decided, or held by the other replica);
     * returns how many of them it decided. Calls that earlier tests left open are claimed too, and not counted.
     */
    private static int drain(StuckCallReconciler replica, Set<String> mine) {
        int decided = 0;
        for (int run = 0; run < 1000; run++) {
            ReconcileReport report = replica.run("race").await().atMost(AWAIT);
            if (report.skipped()) {
                continue;
            }
            List<ReconcileReport.Entry> claimedOfMine = report.calls().stream().filter(e -> mine.contains(e.callSid())).toList();
            if (claimedOfMine.isEmpty()) {
                return decided;
            }
            decided += (int) claimedOfMine.stream().filter(ReconcileReport.Entry::applied).count();
        }
        throw new AssertionError("the stale calls were not drained in 1000 runs");
    }

    @Test
    void theStuckCallsGaugeIsPublished() {
        sql.insertStaleCall(newSid("CA"), null, "ringing", null, Duration.ofMinutes(20));
        twilioApi.stubFor(get(urlPathMatching(CALLS + "/.*")).willReturn(aResponse().withStatus(503)));
        runReconciler();
        assertThat(registry.get("calltracker.calls.stuck").gauge().value()).isGreaterThanOrEqualTo(1);
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("calltracker_calls_stuck"))
                .body(org.hamcrest.Matchers.containsString("calltracker_reconciler_decisions_total"))
                .body(org.hamcrest.Matchers.containsString("calltracker_twilio_api_errors_total"))
                .body(org.hamcrest.Matchers.containsString("calltracker_reconciler_backlog"))
                .body(org.hamcrest.Matchers.containsString("calltracker_reconciler_twilio_in_flight"))
                .body(org.hamcrest.Matchers.containsString("calltracker_reconciler_twilio_concurrency_limit"))
                .body(org.hamcrest.Matchers.containsString("calltracker_reconciler_twilio_rate_limited_total"))
                .body(org.hamcrest.Matchers.containsString("calltracker_reconciler_twilio_requests_total"));
    }

    /** Twilio's API answers {@code url} with each failure once, in order, then with {@code answer}. */
    private void answersAfter(String url, List<com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder> failures,
                              com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        String state = STARTED;
        for (int i = 0; i < failures.size(); i++) {
            String next = "failed-" + (i + 1);
            twilioApi.stubFor(get(urlPathEqualTo(url)).inScenario(url).whenScenarioStateIs(state)
                    .willReturn(failures.get(i)).willSetStateTo(next));
            state = next;
        }
        twilioApi.stubFor(get(urlPathEqualTo(url)).inScenario(url).whenScenarioStateIs(state).willReturn(answer));
    }
}
