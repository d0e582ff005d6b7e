package dev.calltracker.db;

import java.util.UUID;

/**
 * Who watches what, told to the database: a session that wants to hear of changes to something holds a
 * <em>shared</em> advisory lock on its key while it listens; a writer announces a change only when it cannot take the
 * same lock exclusively ({@code NOT pg_try_advisory_xact_lock(space, key)} in its statement), so changes nobody
 * watches cost no {@code NOTIFY} (whose commit takes a cluster-wide lock).
 *
 * <p>No change is missed: a writer that takes the lock holds it until its transaction ends, so a watch that starts
 * meanwhile waits for that commit, and the watcher's first read, after its watch, sees the change. A writer that
 * cannot take it (someone watches, or another writer of the same key holds it) announces. Keys are 32 bits: two
 * things sharing one cost an announcement nobody needed, never a missed one. Advisory locks live in the database, so
 * this holds across replicas, and a session that dies gives its watches back by itself.
 */
public enum Watches {
    /** A lead's timeline ({@code lead_activities}), watched by the live streams. */
    LEAD_ACTIVITY(0x4c454144); // "LEAD"

    private final int space;

    Watches(int space) {
        this.space = space;
    }

    /** The first key of the two-key advisory lock form, which one-key locks (bigint) never meet. */
    public int space() {
        return space;
    }

    /** The second key: the thing watched, or null when there is none (nothing to announce). */
    public static Integer keyOf(UUID id) {
        return id == null ? null : Long.hashCode(id.getMostSignificantBits() ^ id.getLeastSignificantBits());
    }
}
