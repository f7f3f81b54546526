-- 0001 — units, people, accounts, roles, sessions, login attempts.
-- Applied in one transaction by `parlearn migrate`; never edit an applied migration, add
-- the next number instead.

-- Organisational units form a tree that changes over time. A unit is valid from
-- valid_from to valid_to (inclusive; NULL = still valid). When units merge or split (the
-- city's two-tier reform of 1 July 2025), the old unit gets valid_to and links to its
-- successors in unit_successor, so reports for earlier periods keep the old tree.
CREATE TABLE org_unit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('city', 'department', 'office', 'district',
                                              'ward', 'commune', 'special_zone', 'other')),
    parent_id   bigint REFERENCES org_unit (id),
    valid_from  date,           -- NULL: valid since before parlearn's records begin
    valid_to    date,           -- NULL: still valid
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX org_unit_parent ON org_unit (parent_id);

CREATE TABLE unit_successor (
    unit_id       bigint NOT NULL REFERENCES org_unit (id),
    successor_id  bigint NOT NULL REFERENCES org_unit (id),
    PRIMARY KEY (unit_id, successor_id),
    CHECK (unit_id <> successor_id)
);

-- People of the roster. pin is the 12-digit personal identification number (CCCD): the key
-- of the national cadre database, sensitive; no API returns it and no log line holds it.
CREATE TABLE person (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_code  text NOT NULL UNIQUE CHECK (employee_code ~ '^[A-Za-z0-9._-]{1,32}$'),
    pin            text NOT NULL UNIQUE CHECK (pin ~ '^[0-9]{12}$'),
    full_name      text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    unit_id        bigint NOT NULL REFERENCES org_unit (id),
    position       text NOT NULL DEFAULT '',
    is_leader      boolean NOT NULL DEFAULT false,
    par_role       text NOT NULL DEFAULT 'none' CHECK (par_role IN ('none', 'concurrent', 'dedicated')),
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_unit ON person (unit_id);

-- Where a person was, and as what, over time: one row per period. The open row has
-- valid_to NULL. A trigger keeps it in step with person, so no writer can forget it.
CREATE TABLE person_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint NOT NULL REFERENCES person (id),
    unit_id     bigint NOT NULL REFERENCES org_unit (id),
    position    text NOT NULL,
    is_leader   boolean NOT NULL,
    par_role    text NOT NULL,
    active      boolean NOT NULL,
    valid_from  date NOT NULL,
    valid_to    date,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX person_history_person ON person_history (person_id, valid_from);
CREATE UNIQUE INDEX person_history_open ON person_history (person_id) WHERE valid_to IS NULL;

-- The date a change takes effect can be set for the transaction with
-- SET LOCAL parlearn.effective_date = 'YYYY-MM-DD'; it defaults to today.
CREATE FUNCTION person_history_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    eff date := coalesce(nullif(current_setting('parlearn.effective_date', true), '')::date,
                         current_date);
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.unit_id, NEW.position, NEW.is_leader, NEW.par_role, NEW.active)
           IS NOT DISTINCT FROM (OLD.unit_id, OLD.position, OLD.is_leader, OLD.par_role, OLD.active) THEN
            RETURN NEW;
        END IF;
        -- A change on the day the open period began replaces that period.
        DELETE FROM person_history
         WHERE person_id = NEW.id AND valid_to IS NULL AND valid_from >= eff;
        UPDATE person_history SET valid_to = eff - 1
         WHERE person_id = NEW.id AND valid_to IS NULL;
        NEW.updated_at := now();
    END IF;
    INSERT INTO person_history (person_id, unit_id, position, is_leader, par_role, active, valid_from)
    VALUES (NEW.id, NEW.unit_id, NEW.position, NEW.is_leader, NEW.par_role, NEW.active, eff);
    RETURN NEW;
END;
$$;
CREATE TRIGGER person_history_insert AFTER INSERT ON person
    FOR EACH ROW EXECUTE FUNCTION person_history_track();
CREATE TRIGGER person_history_update BEFORE UPDATE ON person
    FOR EACH ROW EXECUTE FUNCTION person_history_track();

-- Accounts. username is stored lowercased.
CREATE TABLE app_user (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username       text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._@-]{1,64}$'),
    display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    password_hash  text NOT NULL,
    person_id      bigint UNIQUE REFERENCES person (id),
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- Roles. A trainer's and an HR officer's reach is the subtree of unit_id; learners and
-- admins have no unit.
CREATE TABLE user_role (
    user_id  bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('learner', 'trainer', 'hr_officer', 'admin')),
    unit_id  bigint REFERENCES org_unit (id),
    CHECK ((role IN ('trainer', 'hr_officer')) = (unit_id IS NOT NULL))
);
CREATE UNIQUE INDEX user_role_unique ON user_role (user_id, role, coalesce(unit_id, 0));

-- Server-side sessions: any app node can serve any request. Only SHA-256(token) is kept.
-- A session that ends (logout, expiry, a new password) keeps its row, with ended_at, for a
-- day, so that its cookie is answered "session expired" rather than "unknown".
CREATE TABLE user_session (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    client_addr   text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT ''
);
CREATE INDEX user_session_user ON user_session (user_id) WHERE ended_at IS NULL;
CREATE INDEX user_session_expires ON user_session (expires_at);

-- Every login attempt, for throttling and for the audit trail. An attempt is written as
-- 'pending' before the password is checked, so parallel guesses count against the limit at
-- once; it then becomes 'success', 'failure' or 'throttled' (refused unchecked; not
-- counted). A 'pending' row left by a crash counts as a failure.
CREATE TABLE login_attempt (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username    text NOT NULL,
    client_addr text NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('pending', 'success', 'failure', 'throttled')),
    at          timestamptz NOT NULL
);
CREATE INDEX login_attempt_user ON login_attempt (username, at) WHERE outcome IN ('pending', 'failure');
CREATE INDEX login_attempt_addr ON login_attempt (client_addr, at) WHERE outcome IN ('pending', 'failure');
CREATE INDEX login_attempt_at ON login_attempt (at);
