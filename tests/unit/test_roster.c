/* test_roster.c — the roster import's rules without a database (roster.h): the planner
 * against a small city held by parlearn, the CSV reader, and the date helpers it uses. */
#include "support.h"

#include "lms/clock.h"
#include "lms/roster.h"

#include <string.h>

static lms_roster_cur_unit cur_units[] = {
	{ "HCM", "Thành phố Hồ Chí Minh", "city", NULL, NULL, NULL, NULL, 0 },
	{ "Q1", "Quận 1", "district", "HCM", NULL, "2025-06-30", NULL, 0 },
	{ "P-SG", "Phường Sài Gòn", "ward", "HCM", "2025-07-01", NULL, NULL, 0 },
	{ "P-TD", "Phường Tân Định", "ward", "HCM", "2025-07-01", NULL, NULL, 0 },
};

static lms_roster_cur_person cur_people[] = {
	{ "A1", "099000000001", "Nguyễn Văn An", "P-SG", "Chuyên viên", NULL, NULL, "2025-07-01",
	  false, true, true, LMS_PAR_NONE },
	{ "A2", "099000000002", "Trần Thị Bình", "P-SG", "Chuyên viên", NULL, NULL, "2025-07-01",
	  false, true, true, LMS_PAR_NONE },
	{ "B1", "099000000003", "Lê Văn Cường", "P-TD", "Chuyên viên", NULL, NULL, "2025-07-01",
	  false, true, true, LMS_PAR_NONE },
};

static lms_roster_current current(void)
{
	lms_roster_current c;

	memset(&c, 0, sizeof(c));
	c.units = cur_units;
	c.n_units = 4;
	c.people = cur_people;
	c.n_people = 3;
	return c;
}

static lms_roster_person person(const char *code, const char *pin, const char *unit,
                                const char *from)
{
	lms_roster_person p;

	memset(&p, 0, sizeof(p));
	p.where = "/people/0";
	p.employee_code = code;
	p.pin = pin;
	p.full_name = "Người Thử";
	p.unit_code = unit;
	p.position = "Chuyên viên";
	p.valid_from = from;
	p.active = true;
	return p;
}

static bool has_reject(const lms_roster_result *r, const char *code, const char *needle)
{
	for (size_t i = 0; i < r->n_rejects; i++)
		if (r->rejects[i].code && strcmp(r->rejects[i].code, code) == 0 &&
		    strstr(r->rejects[i].reason, needle))
			return true;
	return false;
}

static void a_move_and_an_absence(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_roster_current cur = current();
	lms_roster_person people[2] = { person("A1", "099000000001", "P-TD", "2025-08-01"),
	                                person("A2", "099000000002", "P-SG", "2025-07-01") };
	lms_roster in = { .source = "t", .scope_unit_code = "P-SG", .people = people, .n_people = 2,
	                  .people_only = true };
	lms_roster_opts opts = { .today = "2025-09-01" };
	lms_roster_plan plan;
	lms_roster_result r;
	lms_err err;

	/* A1 moves out of the scope P-SG: refused (its unit lies outside the file's scope). */
	people[0].full_name = "Nguyễn Văn An";
	people[1].full_name = "Trần Thị Bình";
	memset(&r, 0, sizeof(r));
	assert_int_equal(lms_roster_plan_changes(&in, &cur, &opts, a, &plan, &r, &err), 0);
	assert_true(has_reject(&r, "A1", "outside the file's scope"));

	/* The whole city: A1 moves, A2 is unchanged, B1 is absent and is deactivated. */
	in.scope_unit_code = NULL;
	memset(&r, 0, sizeof(r));
	assert_int_equal(lms_roster_plan_changes(&in, &cur, &opts, a, &plan, &r, &err), 0);
	assert_int_equal(r.rejects_total, 0);
	assert_int_equal(r.counts[LMS_RC_PERSON_MOVED], 1);
	assert_int_equal(r.unchanged, 1);
	assert_int_equal(plan.n_people, 1);
	assert_string_equal(plan.people[0]->employee_code, "A1");
	assert_int_equal(plan.n_deactivate, 1);
	assert_string_equal(plan.deactivate[0], "B1");
	assert_int_equal(r.active_in_scope, 3);
	lms_arena_free(a);
}

static void history_is_not_rewritten_and_pins_stay_unique(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_roster_current cur = current();
	lms_roster_person people[3] = { person("A1", "099000000001", "P-TD", "2025-06-01"),
	                                person("C1", "099000000002", "P-SG", "2025-07-01"),
	                                person("C2", "099000000009", "P-SG", "2025-07-01") };
	lms_roster in = { .source = "t", .people = people, .n_people = 3, .people_only = true };
	lms_roster_opts opts = { .today = "2025-09-01" };
	lms_roster_plan plan;
	lms_roster_result r;
	lms_err err;

	people[2].valid_from = "2025-10-01"; /* the future */
	memset(&r, 0, sizeof(r));
	assert_int_equal(lms_roster_plan_changes(&in, &cur, &opts, a, &plan, &r, &err), 0);
	/* A1's move dated before its current record began (and P-TD did not exist yet). */
	assert_true(has_reject(&r, "A1", "not valid on the person's valid_from"));
	assert_true(has_reject(&r, "C1", "held already by employee A2"));
	assert_true(has_reject(&r, "C2", "in the future"));
	for (size_t i = 0; i < r.n_rejects; i++)
		assert_null(strstr(r.rejects[i].reason, "0990000000"));
	lms_arena_free(a);
}

static void cycles_and_unknown_parents(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_roster_current cur = current();
	const char *succ[] = { "NOPE" };
	lms_roster_unit units[4] = {
		{ "/units/0", "X", "X", "office", "Y", NULL, NULL, NULL, 0 },
		{ "/units/1", "Y", "Y", "office", "Z", NULL, NULL, NULL, 0 },
		{ "/units/2", "Z", "Z", "office", "X", NULL, NULL, NULL, 0 },
		{ "/units/3", "Q1", "Quận 1", "district", "HCM", NULL, "2025-06-30", succ, 1 },
	};
	lms_roster in = { .source = "t", .units = units, .n_units = 4 };
	lms_roster_opts opts = { .today = "2025-09-01" };
	lms_roster_plan plan;
	lms_roster_result r;
	lms_err err;

	memset(&r, 0, sizeof(r));
	assert_int_equal(lms_roster_plan_changes(&in, &cur, &opts, a, &plan, &r, &err), 0);
	assert_true(has_reject(&r, "X", "cycle"));
	assert_true(has_reject(&r, "Y", "cycle"));
	assert_true(has_reject(&r, "Z", "cycle"));
	assert_true(has_reject(&r, "Q1", "NOPE names no unit"));
	lms_arena_free(a);
}

static void csv_rows_and_places(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	const char *csv =
		"\xEF\xBB\xBF" "employee_code,pin,full_name,unit_code,position_code,position,is_leader,"
		"par_role,active,valid_from,email\r\n"
		"A1,099000000001,\"Nguyễn, \"\"An\"\"\",P-SG,,Chuyên viên,false,none,true,2025-07-01,\r\n"
		"\r\n"
		"A2,099000000002,Bình,P-SG,,X,maybe,none,true,2025-07-01,\r\n"
		"A3,099000000003,Cường,P-SG\r\n";
	lms_roster in;
	lms_roster_result r;
	lms_err err;

	memset(&in, 0, sizeof(in));
	memset(&r, 0, sizeof(r));
	assert_int_equal(lms_roster_parse_csv(csv, strlen(csv), a, &in, &r, &err), 0);
	assert_int_equal(in.n_people, 1);
	assert_string_equal(in.people[0].full_name, "Nguyễn, \"An\"");
	assert_null(in.people[0].position_code);   /* an empty field is absent */
	assert_int_equal(r.rejects_total, 2);
	assert_string_equal(r.rejects[0].where, "line 4");
	assert_string_equal(r.rejects[1].where, "line 5");
	assert_non_null(strstr(r.rejects[1].reason, "4 fields"));
	lms_arena_free(a);
}

static void rfc3339_and_the_city_date(void **state)
{
	(void)state;
	int64_t us = 0;
	char d[11];

	assert_int_equal(lms_rfc3339_parse("2025-07-02T06:30:00+07:00", &us), 0);
	assert_int_equal(us, INT64_C(1751412600) * LMS_SECOND_US);
	assert_int_equal(lms_rfc3339_parse("2025-07-01T23:30:00Z", &us), 0);
	assert_int_equal(us, INT64_C(1751412600) * LMS_SECOND_US);
	assert_int_equal(lms_rfc3339_parse("2025-07-01T23:30:00.25Z", &us), 0);
	assert_int_equal(us, INT64_C(1751412600) * LMS_SECOND_US + 250000);
	assert_int_equal(lms_rfc3339_parse("2025-07-02T06:30:00", &us), -1);  /* no offset */
	assert_int_equal(lms_rfc3339_parse("2025-02-29T06:30:00Z", &us), -1); /* not a leap year */
	assert_int_equal(lms_rfc3339_parse("2024-02-29T06:30:00Z", &us), 0);
	assert_int_equal(lms_rfc3339_parse("2025-07-02T06:30:00+07:00x", &us), -1);
	/* 2025-06-30 17:00 UTC is already 1 July in Ho Chi Minh City. */
	lms_hcm_date(INT64_C(1751302800) * LMS_SECOND_US, d);
	assert_string_equal(d, "2025-07-01");
	lms_hcm_date(INT64_C(1751302799) * LMS_SECOND_US, d);
	assert_string_equal(d, "2025-06-30");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_move_and_an_absence),
		cmocka_unit_test(history_is_not_rewritten_and_pins_stay_unique),
		cmocka_unit_test(cycles_and_unknown_parents),
		cmocka_unit_test(csv_rows_and_places),
		cmocka_unit_test(rfc3339_and_the_city_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
