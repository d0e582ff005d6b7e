-- The reconciler gives back the calls it claimed, each with when it is due again. Only the claims of this
-- replica's run ($5): a run that outlasted its lease may find some of its calls claimed by another since.
-- $1 ids, $2 next check times, $3 checks so far (arrays of one length), $4 when they were examined, $5 claimant
UPDATE call_recordings c
   SET reconcile_claimed_until = NULL, reconcile_claimed_by = NULL, reconcile_checked_at = $4,
       reconcile_next_check_at = r.next_check_at, reconcile_checks = r.checks
  FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) AS r(id, next_check_at, checks)
 WHERE c.id = r.id AND c.reconcile_claimed_by = $5
