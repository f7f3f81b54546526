-- 0015 — quizzes that count toward a course's completion (issue 5; docs/assessment.md,
-- "Quizzes that count toward a course").
--
-- A quiz inside or beside a course (assessment.course_id, 0014) may be marked as counting
-- toward the course: the course is then complete for a learner when its content rule holds
-- (as before) AND each of its counting quizzes that is not a draft is passed by that learner,
-- by the quiz's grading across attempts against its pass mark (lms-core/src/course_quiz.c).
-- Only a quiz with a course may count; an exam never does.
--
-- The flag is part of the definition: assessment_guard (0014) compares the whole row except
-- the status, publication and who-opened/closed columns, so a draft may change it and an
-- open or closed quiz may not — no change to the trigger is needed for that. The completion
-- statement and its outbox event are unchanged (store_pg_player.c P_COMPLETION); the
-- completion's evidence names the quizzes and the attempt that decided each.

ALTER TABLE assessment
    ADD COLUMN counts_for_course boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT assessment_counts_for_course_quiz
        CHECK (NOT counts_for_course OR (kind = 'quiz' AND course_id IS NOT NULL));

-- The course page and the completion rule look up a course's quizzes.
CREATE INDEX assessment_course ON assessment (course_id) WHERE course_id IS NOT NULL;
