package dev.calltracker.reliability;

import static dev.calltracker.testing.TwilioFake.newSid;

import dev.calltracker.reliability.CallbackStormTest.Outcome;
import dev.calltracker.reliability.CallbackStormTest.StormCall;
import dev.calltracker.testing.PostgresTestResource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

/** Storm calls for the fault suites, set up and checked through plain JDBC (usable from *IT classes too). */
public final class StormFixtures {

    private StormFixtures() {
    }

    public static List<StormCall> newCalls(int n, String phonePrefix, Random random) throws Exception {
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
    public static List<Map<String, String>> deliveryOrder(List<StormCall> calls, Random random) {
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

    /** The acknowledged requests that are not in call_events (their parameters are stored as received). */
    public static List<Map<String, String>> notStored(List<Map<String, String>> requests) throws Exception {
        List<Map<String, String>> missing = new ArrayList<>();
        try (Connection db = PostgresTestResource.connect();
             PreparedStatement stored = db.prepareStatement("SELECT count(*) FROM call_events WHERE params = ?::jsonb")) {
            for (Map<String, String> r : requests) {
                stored.setString(1, new io.vertx.core.json.JsonObject(Map.copyOf(r)).encode());
                try (ResultSet rs = stored.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 1) {
                        missing.add(r);
                    }
                }
            }
        }
        return missing;
    }

    /** The calls whose final state differs from what in-order delivery gives. */
    public static List<String> mismatches(List<StormCall> calls) throws Exception {
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

    public static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null : b != null && a.isEqual(b);
    }
}
