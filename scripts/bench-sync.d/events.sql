-- scripts/bench-sync.d/events.sql — the backlog of scripts/bench-sync: empties sync_outbox
-- and fills it with :events pending course_completion events (ids cmp_1 ... cmp_<events>),
-- each for a person of seed.sql drawn at random (5 per person on average at the defaults,
-- some a dozen or more: the per-person order rule holds back a person's later events until
-- the earlier ones are delivered). Each row is what the completion statement writes
-- (P_COMPLETION in lms-core/storage/pg/store_pg_player.c): the same columns and the same
-- json_build_object, with the course from bench_sync_course instead of a course row. The
-- events occurred over the last 24 hours, in seq order: the personnel system was away for a
-- day. The same :events and :people give the same events (a fixed random seed), so each
-- drain run starts from the same backlog.
--
--   psql --single-transaction -v people=20000 -v events=100000 -f events.sql
\set ON_ERROR_STOP on
TRUNCATE sync_outbox;
SELECT setseed(0.42) AS seeded \gset

CREATE TEMP TABLE bench_ev ON COMMIT DROP AS
SELECT g, 1 + floor(random() * :people)::int AS pn, floor(random() * 8)::int AS ck,
       now() - interval '24 hours' + (g - 1) * (interval '24 hours' / :events) AS at,
       random() < 0.9 AS passed, round((0.5 + random() * 0.5)::numeric, 2) AS score,
       600 + floor(random() * 4800)::int AS active_s, floor(random() * 900)::int AS extra_s
FROM generate_series(1, :events) g;

INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id, occurred_at, payload, state)
SELECT 'cmp_' || e.g, 'course_completion', p.id, p.employee_code, p.unit_id, e.at,
       json_build_object('version', 1, 'event_id', 'cmp_' || e.g,
        'kind', 'course_completion', 'occurred_at', e.at,
        'employee_code', p.employee_code, 'unit_code', ou.code, 'course_code', c.code,
        'course_version', c.version_no, 'title', c.title, 'completed_at', e.at,
        'passed', e.passed, 'score', e.score, 'active_time_s', e.active_s,
        'reported_time_s', e.active_s + e.extra_s, 'training_periods', c.periods,
        'certificate_serial', NULL, 'evidence_url', NULL),
       'pending'
FROM bench_ev e
JOIN person p ON p.employee_code = 'BS-' || lpad(e.pn::text, 6, '0')
JOIN org_unit ou ON ou.id = p.unit_id
JOIN bench_sync_course c ON c.k = e.ck
ORDER BY e.g;
