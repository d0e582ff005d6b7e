package dev.calltracker.webhook;

import dev.calltracker.db.Database;
import dev.calltracker.db.SqlFile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The deliverer's side of {@code webhook_outbox} (the events are written by the call's statements, in the
 * transaction of their change). Background work: it waits for a connection behind the callbacks.
 */
@ApplicationScoped
public class WebhookOutbox {

    private final String claim = SqlFile.load("claim-webhooks.sql");
    private final String deleteDelivered = SqlFile.load("delete-delivered-webhook.sql");
    private final String rescheduleFailed = SqlFile.load("reschedule-failed-webhook.sql");
    private final String backlog = SqlFile.load("webhook-backlog.sql");
    private final Database database;

    /** An event leased to this replica: its stable id, type, the body exactly as sent, and the attempt this is. */
    public record ClaimedWebhook(UUID id, String type, String body, int attempt) {
    }

    public record Backlog(long pending, double oldestSeconds, long dead) {
    }

    public WebhookOutbox(Database database) {
        this.database = database.forBackgroundWork();
    }

    /** Leases up to {@code limit} due events for {@code lease}: no other deliverer claims them meanwhile. */
    public Uni<List<ClaimedWebhook>> claim(int limit, Duration lease) {
        return database.query(claim, Tuple.of(limit, Math.toIntExact(lease.toMillis()))).map(rows -> {
            List<ClaimedWebhook> claimed = new ArrayList<>();
            for (Row row : rows) {
                claimed.add(new ClaimedWebhook(row.getUUID("id"), row.getString("event_type"), row.getString("body"),
                        row.getInteger("attempts")));
            }
            return claimed;
        });
    }

    public Uni<Void> delivered(UUID id) {
        return database.query(deleteDelivered, Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> failed(UUID id, Duration retryAfter, String reason, boolean dead) {
        return database.query(rescheduleFailed, Tuple.of(id, Math.toIntExact(retryAfter.toMillis()), reason, dead))
                .replaceWithVoid();
    }

    public Uni<Backlog> backlog() {
        return database.query(backlog, Tuple.tuple()).map(rows -> {
            Row row = rows.iterator().next();
            return new Backlog(row.getLong("pending"), row.getDouble("oldest_seconds"), row.getLong("dead"));
        });
    }
}
