-- The completion report's overdue assignments (store_pg_report.c, SQL_COMPLETION_FAST): the
-- assigned enrolments due by the end of the period and not completed then. They were read
-- from report_enrolment_due, every assignment due by the end (for the city's 2026-Q3 some
-- 381,000 entries, two thirds of them completed in time and filtered out); with this index
-- the report reads only the two ranges that count — never completed (completed_on IS NULL),
-- and completed after the end — about 121,000 entries (docs/performance.md, "HR reports:
-- the city's completion report cold").
CREATE INDEX report_enrolment_open ON report_enrolment (completed_on, due_on)
    INCLUDE (enrolled_on, person_id, version_id) WHERE assigned;
