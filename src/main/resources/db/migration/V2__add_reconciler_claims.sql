-- Several replicas run the reconciler at the same time. A replica claims a stale call (with
-- FOR UPDATE SKIP LOCKED, so claims never overlap) by setting these columns, asks Twilio without
-- holding any lock (callbacks never wait for the reconciler), then releases the claim. A claim left by
-- a replica that died mid-run expires after reconcile.claim-timeout.
ALTER TABLE call_recordings
    ADD COLUMN IF NOT EXISTS reconcile_claimed_until timestamptz,
    ADD COLUMN IF NOT EXISTS reconcile_claimed_by    text;
