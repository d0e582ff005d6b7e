-- call_events' two largest indexes become one, ordered by call (issue 23): the unique (call_sid, dedupe_key)
-- replaces the unique (dedupe_key) and (call_sid, id).
--
-- Why: a call's events arrive over a minute or two, and every kind of event had its own place in the dedupe
-- key's index (the keys begin with the kind: 'voice:', 'dialed-status:', 'dial-action:', 'recording:' ...), so
-- one call wrote to five or six leaf pages there and to one more in (call_sid, id), each a random page of an
-- index of tens of millions of entries: read from disk when cold and written whole to the WAL (a full-page
-- image) after each checkpoint. Keyed by the call first, all of a call's events share one leaf page, and one
-- index is maintained instead of two (at 70 million events they held 6.6 and 4.5 GB). Deduplication is
-- unchanged: every event kind's call_sid is given by the delivery the key describes (the same callback re-sent
-- has the same CallSid/ParentCallSid), so (call_sid, dedupe_key) is unique exactly when dedupe_key was; an AMD
-- result is stored under the dialed leg it names, always (append-amd-result-and-lock-call.sql). "A call's
-- events" are found by its leading column, as through the index it replaces.
--
-- Upgrade: the previous version's statements name ON CONFLICT (dedupe_key), which no longer has an index to
-- infer once this commits: a replica still running it answers 500 to Twilio's requests until it is replaced
-- (status callbacks are retried, a dial it is asked to start fails). Replace every replica at once for this
-- version (docs/migration.md, "Upgrading").
--
-- Fill factor 70: a build packs each leaf to the fill factor, and the calls that come after it add their six or
-- eight entries to a random leaf each. At the default 90 % nearly every new call would split its leaf (a new page,
-- its neighbour rewritten, both logged whole) until the index had loosened to what random inserts leave anyway,
-- about 70 % (measured at 10 million calls: three pages read per new call instead of one; bench/README.md). Built
-- at 70 %, it starts where it would settle.
--
-- The build blocks writes to call_events while it runs (about 1.3 s per million events); on a database with many
-- millions build it first, outside Flyway, with CREATE UNIQUE INDEX CONCURRENTLY ... WITH (fillfactor = 70) under
-- the same name (IF NOT EXISTS then finds it). It cannot fail on existing rows: dedupe_key was unique.
CREATE UNIQUE INDEX IF NOT EXISTS call_events_call_sid_dedupe_key_key ON call_events (call_sid, dedupe_key)
    WITH (fillfactor = 70);
ALTER TABLE call_events DROP CONSTRAINT IF EXISTS call_events_dedupe_key_key;
DROP INDEX IF EXISTS call_events_call_sid_idx;
