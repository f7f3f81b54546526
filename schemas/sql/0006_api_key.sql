-- 0006 — API keys of other systems (the personnel system's pull API, issue 6). A key is 256
-- random bits shown once at creation; only its SHA-256 is kept. Each key reaches the events
-- of one unit subtree (NULL: the whole city). Keys are revoked, never deleted.
CREATE TABLE api_key (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    key_hash       bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    scope_unit_id  bigint REFERENCES org_unit (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    last_used_at   timestamptz
);
