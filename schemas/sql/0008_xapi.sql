-- 0008 — delivery of the outbox's events as xAPI statements to a Learning Record Store
-- (docs/personnel-sync.md, "xAPI"), tracked beside the push delivery, on the same rows: an
-- event has a push state (state, attempts, ...) and an xAPI state. 'skipped': a kind with no
-- xAPI statement (certificates). Events recorded before an LRS was configured are pending
-- too, so the LRS receives the whole history once it is set up.
ALTER TABLE sync_outbox
    ADD COLUMN xapi_state text NOT NULL DEFAULT 'pending'
        CHECK (xapi_state IN ('pending', 'delivered', 'dead', 'skipped')),
    ADD COLUMN xapi_attempts int NOT NULL DEFAULT 0,
    ADD COLUMN xapi_next_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN xapi_lease_until timestamptz,
    ADD COLUMN xapi_last_error text,
    ADD COLUMN xapi_delivered_at timestamptz;
CREATE INDEX sync_outbox_xapi_due ON sync_outbox (seq) WHERE xapi_state = 'pending';
