package dev.calltracker.lead;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.LiveStreamClient;
import dev.calltracker.testing.LiveStreamClient.Event;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.ServiceTest;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import org.postgresql.PGNotification;
import org.postgresql.PGConnection;
import java.util.Arrays;
import java.sql.Statement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.Connection;
import dev.calltracker.db.Watches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live stream on one replica: resuming with Last-Event-ID, one lead's stream never shows another's,
 * authentication, the per-replica limit, heartbeats, a database restart, and announcements (NOTIFY) only for the
 * leads a stream watches (db/Watches). (Two replicas: LiveStreamAcrossReplicasIT.)
 */
@QuarkusTest
class LeadActivityStreamTest extends ServiceTest {

    static final Duration QUIET = Duration.ofMillis(700);
    static final ObjectMapper JSON = new ObjectMapper();

    final String baseUrl = twilio.publicBaseUrl();

    @BeforeEach
    void streamsOfEarlierTestsAreClosed() {
        // The server notices a closed stream at its next write (a heartbeat: 1 s in tests).
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("calltracker_live_streams_open") == 0);
    }

    @Test
    void aClientResumingWithLastEventIdGetsEveryChangeAfterItThenLiveOnesWithoutDuplicates() {
        UUID lead = sql.insertLead("new", "+15556100001");
        BrowserCall first = BrowserCall.to(lead, "+15556100001", Outcome.COMPLETED);
        BrowserCall second = BrowserCall.to(lead, "+15556100001", Outcome.COMPLETED);
        first.requests().forEach(this::deliver);
        deliver(second.voice());
        deliver(second.dialedStatusCallback("ringing"));

        List<Event> whole;
        try (LiveStreamClient stream = open(lead, null)) {
            whole = stream.nextUntilQuiet(QUIET);
        }
        assertThat(whole).as("without Last-Event-ID: the whole timeline, one event per activity, oldest change first")
                .extracting(e -> callSid(e)).containsExactly(first.parentSid(), second.parentSid());
        assertThat(field(whole.get(0), "status")).isEqualTo("completed");
        assertThat(field(whole.get(1), "status")).isEqualTo("ringing");
        assertThat(Long.parseLong(whole.get(0).id())).isLessThan(Long.parseLong(whole.get(1).id()));

        try (LiveStreamClient resumed = open(lead, whole.get(0).id())) {
            List<Event> replayed = resumed.nextUntilQuiet(QUIET);
            assertThat(replayed).as("after the first event: only the second").containsExactly(whole.get(1));

            deliver(second.dialedStatusCallback("in-progress"));
            Event live = resumed.next(Duration.ofSeconds(1));
            assertThat(live).as("the answer, live").isNotNull();
            assertThat(field(live, "status")).isEqualTo("in-progress");
            assertThat(Long.parseLong(live.id())).isGreaterThan(Long.parseLong(whole.get(1).id()));
            assertThat(resumed.next(QUIET)).as("nothing twice").isNull();

            try (LiveStreamClient upToDate = open(lead, live.id())) {
                assertThat(upToDate.next(QUIET)).as("resumed at the latest event: nothing to replay").isNull();
            }
        }
    }

    @Test
    void aLeadsStreamNeverShowsAnotherLeadsActivity() {
        UUID watched = sql.insertLead("new", "+15556100002");
        UUID other = sql.insertLead("new", "+15556100003");
        try (LiveStreamClient stream = open(watched, null)) {
            BrowserCall others = BrowserCall.to(other, "+15556100003", Outcome.COMPLETED);
            others.requests().forEach(this::deliver);
            BrowserCall own = BrowserCall.to(watched, "+15556100002", Outcome.BUSY);
            own.requests().forEach(this::deliver);

            List<Event> received = stream.nextUntilQuiet(Duration.ofSeconds(1));
            assertThat(received).isNotEmpty();
            assertThat(received).extracting(e -> callSid(e)).containsOnly(own.parentSid());
            assertThat(field(received.get(received.size() - 1), "status")).isEqualTo("busy");
        }
    }

    @Test
    void theStreamIsForCrmUsersWithAValidTokenOnly() {
        UUID lead = sql.insertLead("new", "+15556100004");
        try (LiveStreamClient anonymous = open(lead, null, null)) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        }
        try (LiveStreamClient expired = open(lead, IdentityProviderFake.crmUserWith(Map.of("exp", 1_600_000_000L)), null)) {
            assertThat(expired.status()).isEqualTo(401);
        }
        try (LiveStreamClient unknownLead = open(UUID.randomUUID(), null)) {
            assertThat(unknownLead.status()).isEqualTo(404);
        }
        try (LiveStreamClient badPosition = open(lead, "yesterday")) {
            assertThat(badPosition.status()).isEqualTo(400);
        }
        try (LiveStreamClient ok = open(lead, null)) {
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("Content-Type")).startsWith("text/event-stream");
            assertThat(ok.header("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void beyondTheReplicasLimitAStreamIsRefusedWith503UntilOneCloses() {
        UUID lead = sql.insertLead("new", "+15556100005");
        List<LiveStreamClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) { // %test.live-stream.max-open=4, two users (at most 3 each)
                streams.add(open(lead, user("agent-" + i % 2), null));
                assertThat(streams.get(i).status()).isEqualTo(200);
            }
            assertThat(metric("calltracker_live_streams_open")).isEqualTo(4);
            try (LiveStreamClient fifth = open(lead, user("agent-2"), null)) {
                assertThat(fifth.status()).isEqualTo(503);
            }
            streams.remove(0).close();
            awaitAStreamOpensFor(lead, "agent-2");
        } finally {
            streams.forEach(LiveStreamClient::close);
        }
    }

    @Test
    void oneUserCannotTakeEveryStreamOfTheReplica() {
        UUID lead = sql.insertLead("new", "+15556100008");
        List<LiveStreamClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // %test.live-stream.max-open-per-user=3
                streams.add(open(lead, user("greedy"), null));
                assertThat(streams.get(i).status()).isEqualTo(200);
            }
            try (LiveStreamClient fourth = open(lead, user("greedy"), null)) {
                assertThat(fourth.status()).as("the same subject, whatever else its token says").isEqualTo(429);
            }
            try (LiveStreamClient renamed = open(lead, IdentityProviderFake.crmUserWith(
                    Map.of("sub", "greedy", "email", "someone-else@example.com", "preferred_username", "someone-else")), null)) {
                assertThat(renamed.status()).as("other names, the same subject").isEqualTo(429);
            }
            try (LiveStreamClient other = open(lead, user("patient"), null)) {
                assertThat(other.status()).as("another user still gets the replica's last slot").isEqualTo(200);
            }
            streams.remove(0).close();
            awaitAStreamOpensFor(lead, "greedy");
        } finally {
            streams.forEach(LiveStreamClient::close);
        }
    }

    /** Waits until {@code sub} can open a stream of the lead again (a closed stream's slot is given back). */
    private void awaitAStreamOpensFor(UUID lead, String sub) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (LiveStreamClient again = open(lead, user(sub), null)) {
                return again.status() == 200;
            }
        });
    }

    /** A CRM user's token for the subject {@code sub}. */
    private static String user(String sub) {
        return IdentityProviderFake.crmUserWith(Map.of("sub", sub));
    }

    @Test
    void aQuietStreamGetsHeartbeats() {
        UUID lead = sql.insertLead("new", "+15556100006");
        try (LiveStreamClient stream = open(lead, null)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.comments() >= 2); // every 1 s in tests
            assertThat(stream.ended()).isFalse();
        }
    }

    @Test
    void afterADatabaseRestartTheListenerReconnectsAndWhatWasMissedIsReplayed() throws Exception {
        Assumptions.assumeTrue(PostgresTestResource.canRestartDatabase(), "needs the embedded test database");
        UUID lead = sql.insertLead("new", "+15556100007");
        BrowserCall call = BrowserCall.to(lead, "+15556100007", Outcome.COMPLETED);
        try (LiveStreamClient stream = open(lead, null)) {
            deliver(call.voice());
            assertThat(stream.next(Duration.ofSeconds(1))).as("the call, before the restart").isNotNull();

            PostgresTestResource.stopDatabase();
            PostgresTestResource.startDatabase();
            // Right after the restart, while the listener is still waiting to reconnect: nobody hears these.
            await().atMost(Duration.ofSeconds(30)).until(() -> twilio.send(call.dialedStatusCallback("ringing")) == 204);
            deliver(call.dialedStatusCallback("in-progress"));
            assertThat(metric("calltracker_live_listener_connected")).as("the changes were committed while nobody listened")
                    .isEqualTo(0);

            Event missed = stream.next(Duration.ofSeconds(15)); // the listener retries every 4 s in tests
            assertThat(missed).as("replayed once the listener is back").isNotNull();
            List<Event> rest = stream.nextUntilQuiet(QUIET);
            Event latest = rest.isEmpty() ? missed : rest.get(rest.size() - 1);
            assertThat(field(latest, "status")).isEqualTo("in-progress");

            await().atMost(Duration.ofSeconds(10)).until(() -> metric("calltracker_live_listener_connected") == 1);
            deliver(call.dialedStatusCallback("completed"));
            Event live = stream.next(Duration.ofSeconds(1));
            assertThat(live).as("live again").isNotNull();
            assertThat(field(live, "status")).isEqualTo("completed");
        }
    }

    @Test
    void aLeadIsAnnouncedOnlyWhileAStreamWatchesIt() throws Exception {
        UUID lead = sql.insertLead("new", "+15556200001");
        BrowserCall call = BrowserCall.to(lead, "+15556200001", Outcome.COMPLETED);
        try (Connection listening = PostgresTestResource.connect(); Statement listen = listening.createStatement()) {
            listen.execute("LISTEN " + ActivityChangeListener.CHANNEL);

            deliver(call.voice());
            deliver(call.dialedStatusCallback("ringing"));
            assertThat(announcementsOf(listening, lead, Duration.ofMillis(500))).as("nobody watches: no NOTIFY").isEmpty();

            try (LiveStreamClient stream = open(lead, null)) {
                assertThat(stream.nextUntilQuiet(Duration.ofMillis(700))).as("the timeline so far").hasSize(1);
                deliver(call.dialedStatusCallback("in-progress"));
                assertThat(announcementsOf(listening, lead, Duration.ofSeconds(2))).as("watched: announced").hasSize(1);
                assertThat(stream.next(Duration.ofSeconds(2))).as("and streamed").isNotNull();
            }

            // The server notices the closed stream at its next heartbeat (1 s in tests), then gives the watch back.
            await().atMost(Duration.ofSeconds(10)).until(() -> !watched(lead));
            deliver(call.dialedStatusCallback("completed"));
            assertThat(announcementsOf(listening, lead, Duration.ofMillis(500))).as("nobody watches again").isEmpty();
        }
    }

    /**
     * A writer that found nobody watching holds the lead's watch lock until it commits: a stream opening meanwhile
     * waits for that commit before its first read, so it reads the change nobody announced.
     */
    @Test
    void aStreamThatStartsWatchingWhileAnUnannouncedChangeCommitsReadsIt() throws Exception {
        UUID lead = sql.insertLead("new", "+15556200002");
        BrowserCall call = BrowserCall.to(lead, "+15556200002", Outcome.COMPLETED);
        deliver(call.voice());
        String seen = sql.row("SELECT activity_seq FROM leads WHERE id = $1", lead).getLong(0).toString();
        try (Connection writer = PostgresTestResource.connect()) {
            writer.setAutoCommit(false);
            assertThat(takeWatchLockAsAWriter(writer, lead)).as("nobody watches yet").isTrue();
            // The change a callback would write with it: the activity's next number on the lead's timeline.
            try (PreparedStatement change = writer.prepareStatement("""
                    WITH l AS (UPDATE leads SET activity_seq = activity_seq + 1 WHERE id = ? RETURNING activity_seq)
                    UPDATE lead_activities SET status = 'in-progress', lead_seq = (SELECT activity_seq FROM l)
                     WHERE lead_id = ?""")) {
                change.setObject(1, lead);
                change.setObject(2, lead);
                assertThat(change.executeUpdate()).isEqualTo(1);
            }
            // The client has seen the timeline so far: only the change is left to read.
            try (LiveStreamClient stream = open(lead, seen)) {
                assertThat(stream.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).until(() -> watchWaitsForTheWriter(lead));
                assertThat(stream.next(Duration.ofMillis(500))).as("nothing read before the commit").isNull();

                writer.commit();
                List<Event> read = stream.nextUntilQuiet(Duration.ofSeconds(1));
                assertThat(read).as("the change, read once the watch was taken").hasSize(1);
                assertThat(field(read.get(0), "status")).isEqualTo("in-progress");
            }
        }
    }

    private static boolean takeWatchLockAsAWriter(Connection writer, UUID lead) throws SQLException {
        try (PreparedStatement lock = writer.prepareStatement("SELECT pg_try_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, Watches.LEAD_ACTIVITY.space());
            lock.setInt(2, Watches.keyOf(lead));
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Whether a session holds the lead's watch (a shared advisory lock granted). */
    private static boolean watched(UUID lead) throws SQLException {
        return advisoryLocks(lead, "ShareLock", true) > 0;
    }

    /** Whether a session waits for the lead's watch. */
    private static boolean watchWaitsForTheWriter(UUID lead) throws SQLException {
        return advisoryLocks(lead, "ShareLock", false) > 0;
    }

    private static long advisoryLocks(UUID lead, String mode, boolean granted) throws SQLException {
        try (Connection c = PostgresTestResource.connect(); PreparedStatement q = c.prepareStatement("""
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2
                   AND classid = ?::oid AND objid = ?::oid AND mode = ? AND granted = ?""")) {
            // pg_locks shows the two int keys as oids: unsigned.
            q.setLong(1, Integer.toUnsignedLong(Watches.LEAD_ACTIVITY.space()));
            q.setLong(2, Integer.toUnsignedLong(Watches.keyOf(lead)));
            q.setString(3, mode);
            q.setBoolean(4, granted);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The lead's notifications that arrive on {@code listening} within {@code wait}. */
    private static List<String> announcementsOf(Connection listening, UUID lead, Duration wait) throws SQLException {
        List<String> payloads = new ArrayList<>();
        long until = System.nanoTime() + wait.toNanos();
        PGConnection pg = listening.unwrap(PGConnection.class);
        while (System.nanoTime() < until) {
            PGNotification[] arrived = pg.getNotifications((int) Math.max(1, (until - System.nanoTime()) / 1_000_000));
            if (arrived != null) {
                Arrays.stream(arrived).map(PGNotification::getParameter).filter(p -> p.startsWith(lead + "/"))
                        .forEach(payloads::add);
            }
        }
        return payloads;
    }

    private LiveStreamClient open(UUID lead, String lastEventId) {
        return open(lead, IdentityProviderFake.crmUser(), lastEventId);
    }

    private LiveStreamClient open(UUID lead, String token, String lastEventId) {
        return LiveStreamClient.open(baseUrl, lead, token, lastEventId);
    }

    private void deliver(Map<String, String> request) {
        assertThat(twilio.send(request)).as("%s", request).isBetween(200, 299);
    }

    static String callSid(Event event) {
        return field(event, "callSid");
    }

    static String field(Event event, String name) {
        try {
            JsonNode value = JSON.readTree(event.data()).get(name);
            return value == null || value.isNull() ? null : value.asText();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + event.data(), e);
        }
    }

    static double metric(String name) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(Double.NaN);
    }
}
