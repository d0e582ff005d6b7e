-- The reconciler's queue order (issue 14). A call Twilio says is still live used to keep its place at the
-- head of the queue, so a backlog of such calls starved every newer stuck call. Now each checked call
-- that stays open gets a time before which it is not examined again (a growing, capped back-off counted
-- in reconcile_checks), and reconcile_checked_at tells whether an event arrived since (which makes it a
-- candidate again as soon as it is stale). Columns, not a side table: the claim statement reads them
-- next to status and last_event_at under the same row lock. IF NOT EXISTS: adopted databases.
ALTER TABLE call_recordings
    ADD COLUMN IF NOT EXISTS reconcile_next_check_at    timestamptz,
    ADD COLUMN IF NOT EXISTS reconcile_checked_at       timestamptz,
    ADD COLUMN IF NOT EXISTS reconcile_checks           integer NOT NULL DEFAULT 0;

-- The older lane claims the open calls in the order they became due: the re-check time of a call
-- checked before, else the time it went quiet. The expression must stay identical to
-- StuckCallRepository.DUE_SINCE for the planner to use it; the predicate is the open-call predicate of
-- call_recordings_open_idx (V5). The newer lane reads the same rows the other way round.
CREATE INDEX IF NOT EXISTS call_recordings_reconcile_due_idx
    ON call_recordings ((COALESCE(reconcile_next_check_at, last_event_at, created_at)))
    WHERE status NOT IN ('completed', 'busy', 'no-answer', 'failed', 'canceled', 'unknown');

-- One row per reconciler run, for GET /api/diagnostics/reconciliations: what each replica did and how
-- long it took. The service deletes rows older than a week at the end of each run.
CREATE TABLE IF NOT EXISTS reconcile_runs (
    run_id            uuid        PRIMARY KEY,
    replica           text        NOT NULL,
    trigger           text        NOT NULL,
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz NOT NULL,
    stopped_because   text        NOT NULL, -- drained | time-limit | failed
    batches           integer     NOT NULL,
    claimed           integer     NOT NULL,
    closed            integer     NOT NULL,
    left_open         integer     NOT NULL,
    twilio_requests   bigint      NOT NULL,
    rate_limited      bigint      NOT NULL,
    backlog_after     bigint
);
CREATE INDEX IF NOT EXISTS reconcile_runs_finished_at_idx ON reconcile_runs (finished_at DESC);
