package dev.calltracker.lead;

import dev.calltracker.http.RequestRejected;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of the timeline starts: right after the entry ({@code startedAt}, {@code id}) that ended the
 * previous page, in the timeline's order (newest first, then id descending). Opaque to clients (base64url of
 * the start time in microseconds, PostgreSQL's precision, and the id), so that its format may change without
 * breaking a client that only echoes it.
 */
public record TimelineCursor(OffsetDateTime startedAt, UUID id) {

    /** Before every entry: the first page (OffsetDateTime.MAX is sent as PostgreSQL's infinity; no entry starts then). */
    static final TimelineCursor FIRST_PAGE = new TimelineCursor(OffsetDateTime.MAX, new UUID(0, 0));

    static TimelineCursor after(LeadActivity last) {
        return new TimelineCursor(last.startedAt(), last.id());
    }

    String encode() {
        Instant at = startedAt.toInstant();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor a previous page named; the first page without one. */
    static TimelineCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return FIRST_PAGE;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":", -1);
            if (parts.length == 3 && parts[0].equals("v1")) {
                Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
                UUID id = UUID.fromString(parts[2]);
                if (id.toString().equals(parts[2])) {
                    return new TimelineCursor(at.atOffset(ZoneOffset.UTC), id);
                }
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw RequestRejected.badField("cursor", "cursor must be the value a previous page named in its Link header");
    }
}
