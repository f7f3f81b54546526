-- 0005 — the outbox of training records for the city's personnel system (issue 6,
-- docs/personnel-sync.md). Every fact the personnel system must learn (today: a course
-- completion) writes its event here in the same statement as the fact itself, so an event
-- exists exactly when its fact does. A delivery worker (to come) sends pending events in
-- seq order per person, marks them delivered or dead, and never deletes them.
CREATE TABLE sync_outbox (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,   -- the pull API's order
    event_id       text NOT NULL UNIQUE CHECK (event_id ~ '^[a-z]+_[0-9]+$'),
    kind           text NOT NULL CHECK (kind IN ('course_completion', 'exam_result',
                                                 'certificate_issued', 'certificate_revoked')),
    person_id      bigint REFERENCES person (id),    -- NULL: the account has no roster person
    employee_code  text,
    unit_id        bigint REFERENCES org_unit (id),  -- the person's unit when it happened
    occurred_at    timestamptz NOT NULL,
    payload        json NOT NULL,                    -- the training record as sent
    state          text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'delivered', 'dead', 'unroutable')),
    attempts       int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error     text,
    delivered_at   timestamptz
);
CREATE INDEX sync_outbox_due ON sync_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX sync_outbox_person ON sync_outbox (person_id, seq);
CREATE INDEX sync_outbox_unit ON sync_outbox (unit_id, occurred_at);
