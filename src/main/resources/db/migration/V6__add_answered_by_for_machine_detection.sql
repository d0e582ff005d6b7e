-- Answering-machine detection (calling.machine-detection): who answered the dialed leg, on the call and on
-- its lead's timeline. The AMD result itself is a call_events row (kind 'amd') whose dedupe_key names the
-- dialed leg ('amd:' || sid): the callback names only that leg, so a call that does not know its dialed leg
-- yet finds the result there once it does. Nullable columns: no table rewrite.
ALTER TABLE call_recordings ADD COLUMN IF NOT EXISTS answered_by text;
ALTER TABLE lead_activities ADD COLUMN IF NOT EXISTS answered_by text;
