-- 0003 — what a native PAR lesson says of itself, kept with its version: the PAR area,
-- the audience, the language, the training periods (tiết) it counts for, and its expected
-- and minimum times. NULL / 0 for SCORM packages until a trainer sets them.
ALTER TABLE course_version
    ADD COLUMN par_area text,
    ADD COLUMN audience text CHECK (audience IN ('leader', 'staff', 'all')),
    ADD COLUMN language text,
    ADD COLUMN training_periods int NOT NULL DEFAULT 0 CHECK (training_periods >= 0),
    ADD COLUMN expected_duration_s bigint NOT NULL DEFAULT 0,
    ADD COLUMN minimum_time_s bigint NOT NULL DEFAULT 0;
