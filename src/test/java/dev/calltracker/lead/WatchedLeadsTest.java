package dev.calltracker.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.calltracker.db.Watches;
import dev.calltracker.testing.BrowserCall;
import dev.calltracker.testing.BrowserCall.Outcome;
import dev.calltracker.testing.IdentityProviderFake;
import dev.calltracker.testing.LiveStreamClient;
import dev.calltracker.testing.LiveStreamClient.Event;
import dev.calltracker.testing.PostgresTestResource;
import dev.calltracker.testing.TestSql;
import dev.calltracker.testing.TwilioFake;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Changes are announced (NOTIFY) only for leads a live stream watches (db/Watches), and a stream that starts watching
 * while a change commits still gets it.
 */
@QuarkusTest
class WatchedLeadsTest {

    final TestSql sql = TestSql.forTests();
    final TwilioFake twilio = TwilioFake.forTests();

    @BeforeEach
    void streamsOfEarlierTestsAreClosed() {
        await().atMost(Duration.ofSeconds(10)).until(() -> LeadActivityStreamTest.metric("calltracker_live_streams_open") == 0);
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

            try (LiveStreamClient stream = open(lead)) {
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
                assertThat(LeadActivityStreamTest.field(read.get(0), "status")).isEqualTo("in-progress");
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

    private LiveStreamClient open(UUID lead) {
        return open(lead, null);
    }

    private LiveStreamClient open(UUID lead, String lastEventId) {
        return LiveStreamClient.open(twilio.publicBaseUrl(), lead, IdentityProviderFake.crmUserWith(Map.of("sub", "watcher")),
                lastEventId);
    }

    private void deliver(Map<String, String> request) {
        assertThat(twilio.send(request)).as("%s", request).isBetween(200, 299);
    }
}
