-- 0007 — the roster import (docs/personnel-sync.md, section 1): positions as a table,
-- people's e-mail, the record of every import, and the ids of signed roster pushes already
-- received (replays are refused).

CREATE TABLE job_position (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- person.position keeps the text (as it was when the person took the position, so history
-- reads right); position_id says which position of the table it is, when the roster names one.
ALTER TABLE person ADD COLUMN position_id bigint REFERENCES job_position (id);
ALTER TABLE person ADD COLUMN email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 200);

-- Every import, applied or not: who, what file, what it would change or changed. The file
-- itself is not kept (it holds identification numbers); its SHA-256 is.
CREATE TABLE roster_import (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    generated_at     timestamptz NOT NULL,
    scope_unit_code  text,
    imported_at      timestamptz NOT NULL DEFAULT now(),
    actor            text NOT NULL,
    file_sha256      text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    outcome          text NOT NULL CHECK (outcome IN ('applied', 'dry_run', 'rejected',
                                                      'deactivation_guard', 'stale')),
    forced           boolean NOT NULL DEFAULT false,
    counts           jsonb NOT NULL,
    rejected         integer NOT NULL DEFAULT 0
);
CREATE INDEX roster_import_source ON roster_import (source, generated_at) WHERE outcome = 'applied';

-- The webhook-id of each signed roster push received (POST /api/hr/v1/roster): a second
-- request with the same id is a replay. Ids older than the signature's 5-minute window
-- could be purged; they are few (one per import) and kept for the audit.
CREATE TABLE roster_delivery (
    webhook_id   text PRIMARY KEY CHECK (length(webhook_id) BETWEEN 1 AND 200),
    received_at  timestamptz NOT NULL DEFAULT now()
);
