-- 0010 — surveys (khảo sát): definitions, their audience or courses, questions, who has
-- responded, and the responses. docs/surveys.md (the model, and exactly what an anonymous
-- survey keeps and what a database administrator can still learn).

CREATE TABLE survey (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
    title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description    text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    kind           text NOT NULL CHECK (kind IN ('course', 'standalone')),
    status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    anonymous      boolean NOT NULL,
    -- standalone surveys: leaders, staff or both, and the PAR roles asked (empty: all)
    level          text NOT NULL DEFAULT 'any' CHECK (level IN ('any', 'leaders', 'staff')),
    par_roles      text[] NOT NULL DEFAULT '{}'
                   CHECK (par_roles <@ ARRAY['none', 'concurrent', 'dedicated']::text[]),
    opens_on       date,           -- NULL: from publication
    closes_on      date,           -- NULL: until closed; the last day is included
    owner_unit_id  bigint REFERENCES org_unit (id),  -- whose trainers manage it; NULL: the city
    owner_id       bigint NOT NULL REFERENCES app_user (id),
    rev            bigint NOT NULL DEFAULT 1,        -- bumped by every change
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz,
    closed_at      timestamptz,
    CHECK (closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on)
);

-- A standalone survey's audience: each unit means its subtree.
CREATE TABLE survey_unit (
    survey_id  bigint NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    unit_id    bigint NOT NULL REFERENCES org_unit (id),
    ord        int NOT NULL,
    PRIMARY KEY (survey_id, unit_id)
);

-- A course survey's courses: asked of a learner who completed one of them.
CREATE TABLE survey_course (
    survey_id  bigint NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    course_id  bigint NOT NULL REFERENCES course (id),
    ord        int NOT NULL,
    PRIMARY KEY (survey_id, course_id)
);
CREATE INDEX survey_course_course ON survey_course (course_id);

-- Questions 1..n in order. options: a Likert scale's labels (one per point), or the
-- options of a choice question.
CREATE TABLE survey_question (
    survey_id   bigint NOT NULL REFERENCES survey (id) ON DELETE CASCADE,
    qid         int NOT NULL CHECK (qid BETWEEN 1 AND 100),
    kind        text NOT NULL CHECK (kind IN ('likert', 'single', 'multiple', 'text')),
    text        text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    required    boolean NOT NULL,
    points      int NOT NULL DEFAULT 0,
    options     text[] NOT NULL DEFAULT '{}',
    max_select  int NOT NULL DEFAULT 0,
    max_length  int NOT NULL DEFAULT 0,
    PRIMARY KEY (survey_id, qid)
);

-- Who has responded: one row per person per survey (the primary key refuses a second). It
-- holds no time and nothing that points at the response, so it cannot be joined to it.
CREATE TABLE survey_respondent (
    survey_id  bigint NOT NULL REFERENCES survey (id),
    user_id    bigint NOT NULL REFERENCES app_user (id),
    PRIMARY KEY (survey_id, user_id)
);

-- The responses. For an anonymous survey a row holds no account, no person, no session, no
-- address and no time finer than the day: only the respondent's unit at the time (for the
-- results by unit), the course answered for (course surveys) and the answers. Its key is a
-- random UUID, so it says nothing of the order of arrival. Answers: qids[i] was answered
-- nums[i] (a Likert point 1..n, a choice index from 0 — one entry per option chosen — or 0
-- for free text, whose words are in texts[] beside text_qids[]).
CREATE TABLE survey_response (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    survey_id     bigint NOT NULL REFERENCES survey (id),
    user_id       bigint REFERENCES app_user (id),   -- named surveys only
    unit_id       bigint REFERENCES org_unit (id),   -- NULL: an account with no roster person
    course_id     bigint REFERENCES course (id),
    submitted_on  date NOT NULL,                     -- Ho Chi Minh City's day
    submitted_at  timestamptz,                       -- named surveys only
    qids          int[] NOT NULL,
    nums          int[] NOT NULL,
    text_qids     int[] NOT NULL DEFAULT '{}',
    texts         text[] NOT NULL DEFAULT '{}',
    CHECK (cardinality(qids) = cardinality(nums)),
    CHECK (cardinality(text_qids) = cardinality(texts))
);
CREATE INDEX survey_response_survey ON survey_response (survey_id, unit_id);

-- The database itself refuses an account or a time in an anonymous survey's response, and a
-- change of the anonymous flag once a survey was published or answered.
CREATE FUNCTION survey_response_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT anonymous FROM survey WHERE id = NEW.survey_id)
       AND (NEW.user_id IS NOT NULL OR NEW.submitted_at IS NOT NULL) THEN
        RAISE EXCEPTION 'a response to an anonymous survey holds no account and no time'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER survey_response_guard BEFORE INSERT OR UPDATE ON survey_response
    FOR EACH ROW EXECUTE FUNCTION survey_response_guard();

CREATE FUNCTION survey_anonymous_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.anonymous IS DISTINCT FROM OLD.anonymous
       AND (OLD.status <> 'draft' OR EXISTS (SELECT 1 FROM survey_response WHERE survey_id = OLD.id)) THEN
        RAISE EXCEPTION 'the anonymous flag of a published survey is fixed'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER survey_anonymous_fixed BEFORE UPDATE ON survey
    FOR EACH ROW EXECUTE FUNCTION survey_anonymous_fixed();
