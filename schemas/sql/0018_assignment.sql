-- Assignment rules (docs/assignments.md): an HR officer (within their unit subtree) or an
-- administrator assigns a course to the people of a unit's subtree — all of them, or only one
-- position, leaders or staff, a PAR role — with a deadline: a date, or a number of days after
-- each person's enrolment. Applying a rule enrols every matching active person who has an
-- account and no enrolment in the course, and turns a self-enrolment not yet completed into
-- an assigned one; it never moves a deadline already assigned. A rule is applied when it is
-- made and again by `serve` every few minutes and `parlearn assign apply`, so people who join
-- the subtree later, or get their account later, are assigned too. Ending a rule stops that;
-- the enrolments it made stay. Rules are never deleted.

CREATE TABLE assignment_rule (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id   bigint NOT NULL REFERENCES course (id),
    unit_id     bigint NOT NULL REFERENCES org_unit (id),
    position    text CHECK (position IS NULL OR length(position) BETWEEN 1 AND 200),
    audience    text NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'leader', 'staff')),
    -- 'par': any PAR role (dedicated or concurrent)
    par_role    text CHECK (par_role IN ('par', 'dedicated', 'concurrent', 'none')),
    due_on      date,
    due_days    integer CHECK (due_days BETWEEN 1 AND 3650),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_by  text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    ended_by    text CHECK (ended_by IS NULL OR length(ended_by) BETWEEN 1 AND 200),
    ended_at    timestamptz,
    CHECK ((due_on IS NULL) <> (due_days IS NULL)),
    CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE INDEX assignment_rule_unit ON assignment_rule (unit_id);
CREATE INDEX assignment_rule_open ON assignment_rule (id) WHERE ended_at IS NULL;

-- A rule changes once: when it is ended. Never deleted.
CREATE FUNCTION assignment_rule_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'assignment rules are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.ended_at IS NOT NULL
       OR (NEW.course_id, NEW.unit_id, NEW.position, NEW.audience, NEW.par_role, NEW.due_on,
           NEW.due_days, NEW.note, NEW.created_by, NEW.created_at)
          IS DISTINCT FROM
          (OLD.course_id, OLD.unit_id, OLD.position, OLD.audience, OLD.par_role, OLD.due_on,
           OLD.due_days, OLD.note, OLD.created_by, OLD.created_at) THEN
        RAISE EXCEPTION 'an assignment rule changes only by being ended, once'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER assignment_rule_guard BEFORE UPDATE OR DELETE ON assignment_rule
    FOR EACH ROW EXECUTE FUNCTION assignment_rule_guard();

-- The rule that made or converted an enrolment (NULL: self-enrolled, or assigned another way).
ALTER TABLE enrolment ADD COLUMN rule_id bigint REFERENCES assignment_rule (id);
CREATE INDEX enrolment_rule ON enrolment (rule_id) WHERE rule_id IS NOT NULL;
