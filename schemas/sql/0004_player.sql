-- 0004 — the learner player: enrolments, SCO attempts and their run-time state, the
-- append-only run-time log, launches (learning sessions) with their heartbeats, the learner's
-- clock that keeps two tabs from counting time twice, and course completions.
-- docs/player-api.md (the protocol), docs/time-on-task.md (how time is counted).

-- Organisation-level sequencing of a version (SCORM 2004), kept for the sequencer.
ALTER TABLE course_version
    ADD COLUMN org_sequencing_xml text,
    ADD COLUMN sequencing_collection_xml text;

-- A learner on a course. The version is pinned at enrolment: a new version of the course
-- never changes what an enrolled learner is taking.
CREATE TABLE enrolment (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES app_user (id),
    course_id     bigint NOT NULL REFERENCES course (id),
    version_id    bigint NOT NULL REFERENCES course_version (id),
    source        text NOT NULL CHECK (source IN ('self', 'assigned')),
    assigned_by   text,
    due_at        date,
    enrolled_at   timestamptz NOT NULL,
    started_at    timestamptz,
    completed_at  timestamptz,
    seq_state     text NOT NULL DEFAULT '',     -- the sequencer's tracking state (sequencing.h)
    rev           bigint NOT NULL DEFAULT 0,    -- bumped by every change of seq_state
    UNIQUE (user_id, course_id)
);
CREATE INDEX enrolment_course ON enrolment (course_id);

-- One attempt on one SCO (an item of the version). state is the attempt's run-time data as
-- an object element -> value; rev guards concurrent writers (optimistic: a write names the
-- rev it read). The status columns repeat what state says, for reports.
CREATE TABLE sco_attempt (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id       bigint NOT NULL REFERENCES enrolment (id),
    item_ord           int NOT NULL,
    attempt_no         int NOT NULL CHECK (attempt_no >= 1),
    state              jsonb NOT NULL DEFAULT '{}',
    rev                bigint NOT NULL DEFAULT 0,
    started_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    ended_at           timestamptz,               -- the attempt is over (not suspended)
    completion_status  text,
    success_status     text,
    score_scaled       double precision,
    total_time_cs      bigint NOT NULL DEFAULT 0,
    UNIQUE (enrolment_id, item_ord, attempt_no)
);

-- A launch: one learning session on one attempt, from launch to exit or timeout. The
-- launch token is a capability held by the launcher on the content origin; only its SHA-256
-- is stored. Active time is counted by the server from heartbeats (launch_beat).
CREATE TABLE launch (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash       bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    attempt_id       bigint NOT NULL REFERENCES sco_attempt (id),
    user_id          bigint NOT NULL REFERENCES app_user (id),
    web_session_id   bigint,                    -- the app session that launched it
    opened_at        timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,      -- last commit or heartbeat
    closed_at        timestamptz,
    closed_reason    text CHECK (closed_reason IN ('finish', 'timeout', 'relaunch')),
    last_seq         int NOT NULL DEFAULT 0,    -- last commit batch applied
    beats            int NOT NULL DEFAULT 0,
    last_beat_at     timestamptz,
    last_input_at    timestamptz,
    hidden_used_us   bigint NOT NULL DEFAULT 0, -- hidden time already credited in this stretch
    active_us        bigint NOT NULL DEFAULT 0,
    reported_cs      bigint,                    -- the content's own session_time, at finish
    flagged          boolean NOT NULL DEFAULT false
);
CREATE INDEX launch_attempt ON launch (attempt_id);
CREATE INDEX launch_open ON launch (last_seen_at) WHERE closed_at IS NULL;

-- Every heartbeat and what it was credited, with the reason: the evidence behind active time.
CREATE TABLE launch_beat (
    launch_id    bigint NOT NULL REFERENCES launch (id),
    n            int NOT NULL,
    at           timestamptz NOT NULL,          -- the server's clock
    visible      boolean NOT NULL,
    idle_ms      bigint NOT NULL,
    hidden_ms    bigint NOT NULL,
    credited_us  bigint NOT NULL CHECK (credited_us >= 0),
    reason       text NOT NULL,
    PRIMARY KEY (launch_id, n)
);

-- Up to when a learner's active time has been counted, across all their launches: an
-- interval is credited once, whichever tab reports it first.
CREATE TABLE learner_clock (
    user_id        bigint PRIMARY KEY REFERENCES app_user (id),
    counted_until  timestamptz NOT NULL
);

-- The run-time log: every commit batch as received, what was refused and why. Append-only.
CREATE TABLE runtime_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    launch_id   bigint NOT NULL REFERENCES launch (id),
    attempt_id  bigint NOT NULL REFERENCES sco_attempt (id),
    seq_from    int NOT NULL,
    seq_to      int NOT NULL,
    at          timestamptz NOT NULL,
    changes     json NOT NULL,                -- [[element, value, error], ...]; error 0 = applied
                                              -- (json: kept as sent, checked, not converted)
    refused     int NOT NULL DEFAULT 0,
    finish      boolean NOT NULL DEFAULT false
);
CREATE INDEX runtime_log_attempt ON runtime_log (attempt_id, id);

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER runtime_log_append_only BEFORE UPDATE OR DELETE ON runtime_log
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER launch_beat_append_only BEFORE UPDATE OR DELETE ON launch_beat
    FOR EACH ROW EXECUTE FUNCTION append_only();

-- A course completed: recorded once per enrolment, with its evidence. The reports and the
-- personnel sync read these.
CREATE TABLE completion (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id  bigint NOT NULL UNIQUE REFERENCES enrolment (id),
    user_id       bigint NOT NULL REFERENCES app_user (id),
    course_id     bigint NOT NULL REFERENCES course (id),
    version_id    bigint NOT NULL REFERENCES course_version (id),
    completed_at  timestamptz NOT NULL,
    passed        boolean,
    score_scaled  double precision,
    active_s      bigint NOT NULL,
    reported_s    bigint NOT NULL,
    evidence      text NOT NULL                 -- JSON: per-SCO status, score, attempts
);
CREATE INDEX completion_course ON completion (course_id, completed_at);
CREATE TRIGGER completion_append_only BEFORE UPDATE OR DELETE ON completion
    FOR EACH ROW EXECUTE FUNCTION append_only();
