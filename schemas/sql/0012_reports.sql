-- 0012 — HR reports (issue 7; docs/reports.md): the flags the Decision's indicators need,
-- the indexes the reports read by, the audit log, and report_enrolment, one row per
-- enrolment with its facts already attributed to the person's unit on each fact's date,
-- kept exact by triggers in the same transaction as every change it depends on.

-- Which courses count as PAR training (the leaders' indicator): NULL follows the course's
-- PAR area (a version with a par_area counts), true or false is a trainer's decision
-- (`parlearn report flag-course`). An expert programme's certificates make PAR experts.
ALTER TABLE course ADD COLUMN par_training boolean;
ALTER TABLE course ADD COLUMN expert_programme boolean NOT NULL DEFAULT false;
-- A job position whose description includes PAR work (`parlearn report flag-position`).
ALTER TABLE job_position ADD COLUMN par_position boolean NOT NULL DEFAULT false;

-- Where people were, by unit; and a learner's completions and sessions.
CREATE INDEX person_history_unit ON person_history (unit_id, valid_from);
CREATE INDEX completion_user ON completion (user_id);
CREATE INDEX launch_user ON launch (user_id);
-- Who holds a job position (the PAR positions of the units indicator).
CREATE INDEX person_position ON person (position_id) WHERE position_id IS NOT NULL;

-- Who exported or read what: every report export (web and CLI). Append-only.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),  -- username, or cli:<os user>
    user_id      bigint REFERENCES app_user (id),
    action       text NOT NULL CHECK (action ~ '^[a-z0-9._-]{1,64}$'),
    params       jsonb NOT NULL,
    row_count    bigint,
    client_addr  text,
    request_id   text
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION append_only();

-- One row per enrolment: its dates as calendar days in Ho Chi Minh City, its completion, the
-- training periods it credits (the version's, when completed and not failed), the person's
-- running total of credited periods in that calendar year (cum_periods, for the 40-period
-- target), and who the person was (unit, leader, PAR role) on the day of each fact: en_*
-- on the enrolment day, cm_* on the completion day. A fact dated before the person's first
-- roster record has no unit and appears under none.
CREATE TABLE report_enrolment (
    enrolment_id  bigint PRIMARY KEY REFERENCES enrolment (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL,
    person_id     bigint,
    course_id     bigint NOT NULL,
    version_id    bigint NOT NULL,
    assigned      boolean NOT NULL,
    due_on        date,
    enrolled_on   date NOT NULL,
    completed_on  date,
    passed        boolean,
    active_s      bigint,
    reported_s    bigint,
    periods       int NOT NULL DEFAULT 0,
    cum_periods   int NOT NULL DEFAULT 0,
    en_unit bigint, en_leader boolean, en_par text,
    cm_unit bigint, cm_leader boolean, cm_par text
);
CREATE INDEX report_enrolment_en ON report_enrolment (enrolled_on)
    INCLUDE (en_unit, en_leader, en_par, version_id, completed_on, person_id);
CREATE INDEX report_enrolment_cm ON report_enrolment (completed_on)
    INCLUDE (cm_unit, cm_leader, cm_par, version_id, passed, active_s, reported_s, person_id, periods)
    WHERE completed_on IS NOT NULL;
CREATE INDEX report_enrolment_due ON report_enrolment (due_on)
    INCLUDE (person_id, enrolled_on, completed_on, version_id) WHERE assigned;
CREATE INDEX report_enrolment_target ON report_enrolment (completed_on) INCLUDE (person_id)
    WHERE cum_periods >= 40;
CREATE INDEX report_enrolment_person ON report_enrolment (person_id)
    INCLUDE (enrolled_on, completed_on, version_id, passed);
CREATE INDEX report_enrolment_assigned ON report_enrolment (person_id)
    INCLUDE (enrolled_on, completed_on, due_on, passed) WHERE assigned;
CREATE INDEX report_enrolment_user ON report_enrolment (user_id);

-- The person's roster record on day d (none before their first record).
CREATE FUNCTION report_hist(p bigint, d date, OUT unit_id bigint, OUT is_leader boolean,
                            OUT par_role text)
LANGUAGE sql STABLE AS $$
    SELECT h.unit_id, h.is_leader, h.par_role FROM person_history h
     WHERE h.person_id = p AND h.valid_from <= d AND (h.valid_to IS NULL OR h.valid_to >= d)
     ORDER BY h.valid_from DESC LIMIT 1
$$;

-- Recomputes the running yearly totals of credited periods of these people.
CREATE FUNCTION report_recount(pids bigint[]) RETURNS void LANGUAGE sql AS $$
    UPDATE report_enrolment r SET cum_periods = x.cum
      FROM (SELECT enrolment_id,
                   (sum(periods) OVER (PARTITION BY person_id, date_trunc('year', completed_on)
                                       ORDER BY completed_on, enrolment_id))::int AS cum
              FROM report_enrolment
             WHERE person_id = ANY (pids) AND completed_on IS NOT NULL) x
     WHERE r.enrolment_id = x.enrolment_id AND r.cum_periods IS DISTINCT FROM x.cum;
$$;

-- Recomputes the rows of these enrolments from enrolment, completion, app_user and
-- person_history, then the yearly totals of their people.
CREATE FUNCTION report_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pids bigint[];
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    SELECT array_agg(DISTINCT person_id) INTO pids FROM report_enrolment
     WHERE enrolment_id = ANY (ids) AND person_id IS NOT NULL;
    INSERT INTO report_enrolment AS r (enrolment_id, user_id, person_id, course_id, version_id,
        assigned, due_on, enrolled_on, completed_on, passed, active_s, reported_s, periods,
        en_unit, en_leader, en_par, cm_unit, cm_leader, cm_par)
    SELECT e.id, e.user_id, u.person_id, e.course_id, e.version_id, e.source = 'assigned', e.due_at,
           x.en_day, x.cm_day, c.passed, c.active_s, c.reported_s,
           CASE WHEN c.id IS NOT NULL AND c.passed IS NOT FALSE THEN v.training_periods ELSE 0 END,
           he.unit_id, he.is_leader, he.par_role, hc.unit_id, hc.is_leader, hc.par_role
      FROM enrolment e
      JOIN app_user u ON u.id = e.user_id
      LEFT JOIN completion c ON c.enrolment_id = e.id
      LEFT JOIN course_version v ON v.id = c.version_id
      CROSS JOIN LATERAL (SELECT (e.enrolled_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS en_day,
                                 (c.completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS cm_day) x
      LEFT JOIN LATERAL report_hist(u.person_id, x.en_day) he ON true
      LEFT JOIN LATERAL report_hist(u.person_id, x.cm_day) hc ON true
     WHERE e.id = ANY (ids)
    ON CONFLICT (enrolment_id) DO UPDATE SET
        user_id = EXCLUDED.user_id, person_id = EXCLUDED.person_id,
        course_id = EXCLUDED.course_id, version_id = EXCLUDED.version_id,
        assigned = EXCLUDED.assigned, due_on = EXCLUDED.due_on, enrolled_on = EXCLUDED.enrolled_on,
        completed_on = EXCLUDED.completed_on, passed = EXCLUDED.passed,
        active_s = EXCLUDED.active_s, reported_s = EXCLUDED.reported_s, periods = EXCLUDED.periods,
        en_unit = EXCLUDED.en_unit, en_leader = EXCLUDED.en_leader, en_par = EXCLUDED.en_par,
        cm_unit = EXCLUDED.cm_unit, cm_leader = EXCLUDED.cm_leader, cm_par = EXCLUDED.cm_par
    WHERE (r.user_id, r.person_id, r.course_id, r.version_id, r.assigned, r.due_on, r.enrolled_on,
          r.completed_on, r.passed, r.active_s, r.reported_s, r.periods, r.en_unit, r.en_leader,
          r.en_par, r.cm_unit, r.cm_leader, r.cm_par)
          IS DISTINCT FROM (EXCLUDED.user_id, EXCLUDED.person_id, EXCLUDED.course_id, EXCLUDED.version_id,
          EXCLUDED.assigned, EXCLUDED.due_on, EXCLUDED.enrolled_on, EXCLUDED.completed_on,
          EXCLUDED.passed, EXCLUDED.active_s, EXCLUDED.reported_s, EXCLUDED.periods,
          EXCLUDED.en_unit, EXCLUDED.en_leader, EXCLUDED.en_par, EXCLUDED.cm_unit,
          EXCLUDED.cm_leader, EXCLUDED.cm_par);
    SELECT array_agg(DISTINCT p) INTO pids FROM (
        SELECT unnest(coalesce(pids, '{}')) AS p
        UNION SELECT person_id FROM report_enrolment
               WHERE enrolment_id = ANY (ids) AND person_id IS NOT NULL) s;
    PERFORM report_recount(pids);
END;
$$;

-- What changes a row: a new enrolment, a change of its course, dates or source, its
-- completion, the person's roster history, the account's person, a version's periods.
CREATE FUNCTION report_on_enrolment_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_refresh(ARRAY(SELECT id FROM report_new));
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_enrolment_insert AFTER INSERT ON enrolment
    REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT
    EXECUTE FUNCTION report_on_enrolment_insert();

CREATE FUNCTION report_on_enrolment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_refresh(ARRAY[NEW.id]);
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_enrolment_change
    AFTER UPDATE OF user_id, course_id, version_id, source, due_at, enrolled_at ON enrolment
    FOR EACH ROW EXECUTE FUNCTION report_on_enrolment_change();

CREATE FUNCTION report_on_completion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_refresh(ARRAY(SELECT enrolment_id FROM report_new));
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_completion_insert AFTER INSERT ON completion
    REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT
    EXECUTE FUNCTION report_on_completion();

CREATE FUNCTION report_on_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM report_refresh(ARRAY(SELECT r.enrolment_id FROM report_enrolment r
                                      WHERE r.person_id IN (SELECT person_id FROM report_old)));
    ELSE
        PERFORM report_refresh(ARRAY(SELECT r.enrolment_id FROM report_enrolment r
                                      WHERE r.person_id IN (SELECT person_id FROM report_new)));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_history_insert AFTER INSERT ON person_history
    REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT EXECUTE FUNCTION report_on_history();
CREATE TRIGGER report_history_update AFTER UPDATE ON person_history
    REFERENCING NEW TABLE AS report_new FOR EACH STATEMENT EXECUTE FUNCTION report_on_history();
CREATE TRIGGER report_history_delete AFTER DELETE ON person_history
    REFERENCING OLD TABLE AS report_old FOR EACH STATEMENT EXECUTE FUNCTION report_on_history();

CREATE FUNCTION report_on_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_refresh(ARRAY(SELECT id FROM enrolment WHERE user_id = NEW.id));
    IF OLD.person_id IS NOT NULL THEN
        PERFORM report_recount(ARRAY[OLD.person_id]);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_account_person AFTER UPDATE OF person_id ON app_user
    FOR EACH ROW WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id)
    EXECUTE FUNCTION report_on_account();

CREATE FUNCTION report_on_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM report_refresh(ARRAY(SELECT enrolment_id FROM report_enrolment
                                  WHERE version_id = NEW.id AND completed_on IS NOT NULL));
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_version_periods AFTER UPDATE OF training_periods ON course_version
    FOR EACH ROW WHEN (OLD.training_periods IS DISTINCT FROM NEW.training_periods)
    EXECUTE FUNCTION report_on_version();

-- The rows of what exists already.
SELECT report_refresh(ARRAY(SELECT id FROM enrolment));
ANALYZE report_enrolment;
