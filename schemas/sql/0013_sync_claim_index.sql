-- 0013 — the push delivery's claim walks the outbox in seq order looking for pending rows
-- (store_pg_sync.c, S_CLAIM). Delivered rows are kept forever, so without this index the walk
-- passes over the whole delivered history on every claim: scripts/bench-sync measured one
-- claim of 50 at 2.5 ms with a full backlog and 38 ms once 90 % of 100,000 was delivered.
-- A partial index of the pending rows, in seq order, keeps it short; the per-person check
-- uses (person_id, seq), which exists (sync_outbox_person), and only looks at undelivered rows.
CREATE INDEX sync_outbox_pending_seq ON sync_outbox (seq) WHERE state = 'pending';
CREATE INDEX sync_outbox_person_open ON sync_outbox (person_id, seq) WHERE state IN ('pending', 'dead');
