/* test_model.c — the model's enumerations (model.h): role names and parsing, PAR roles,
 * unit kinds. These names are stored in the database and sent in JSON, so they must round
 * trip exactly and refuse anything else. */
#include "support.h"

#include <string.h>

static void role_names_round_trip(void **state)
{
	static const struct {
		lms_role_kind k;
		const char *name;
	} roles[] = {
		{ LMS_ROLE_LEARNER, "learner" },
		{ LMS_ROLE_TRAINER, "trainer" },
		{ LMS_ROLE_HR_OFFICER, "hr_officer" },
		{ LMS_ROLE_ADMIN, "admin" },
	};
	size_t i;
	(void)state;

	assert_int_equal(sizeof(roles) / sizeof(roles[0]), LMS_ROLE_COUNT);
	for (i = 0; i < LMS_ROLE_COUNT; i++) {
		lms_role_kind k = (lms_role_kind)99;
		assert_string_equal(lms_role_name(roles[i].k), roles[i].name);
		assert_int_equal(lms_role_parse(roles[i].name, &k), LMS_OK);
		assert_int_equal(k, roles[i].k);
		assert_int_equal(lms_role_parse(lms_role_name(roles[i].k), &k), LMS_OK);
		assert_int_equal(k, roles[i].k);
	}
}

static void role_parse_refuses_other_names(void **state)
{
	static const char *const bad[] = { "Admin", "ADMIN", "admin ", " admin", "administrator",
		                           "hr", "hr-officer", "unknown", "", "learner\n" };
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_role_kind k = LMS_ROLE_LEARNER;
		assert_int_equal(lms_role_parse(bad[i], &k), LMS_EINVAL);
		assert_int_equal(k, LMS_ROLE_LEARNER); /* out untouched */
	}
	{
		lms_role_kind k = LMS_ROLE_TRAINER;
		assert_int_equal(lms_role_parse(NULL, &k), LMS_EINVAL);
		assert_int_equal(k, LMS_ROLE_TRAINER);
	}
}

static void role_name_of_an_unknown_kind(void **state)
{
	lms_role_kind k;
	(void)state;

	assert_string_equal(lms_role_name((lms_role_kind)LMS_ROLE_COUNT), "unknown");
	assert_string_equal(lms_role_name((lms_role_kind)-1), "unknown");
	/* and that name does not parse back into a role */
	assert_int_equal(lms_role_parse("unknown", &k), LMS_EINVAL);
}

static void par_role_round_trip(void **state)
{
	static const struct {
		lms_par_role r;
		const char *name;
	} roles[] = {
		{ LMS_PAR_NONE, "none" },
		{ LMS_PAR_CONCURRENT, "concurrent" },
		{ LMS_PAR_DEDICATED, "dedicated" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		lms_par_role r = (lms_par_role)99;
		assert_string_equal(lms_par_role_name(roles[i].r), roles[i].name);
		assert_int_equal(lms_par_role_parse(roles[i].name, &r), LMS_OK);
		assert_int_equal(r, roles[i].r);
	}
}

static void par_role_parse_refuses_other_names(void **state)
{
	static const char *const bad[] = {
		"None", "DEDICATED", "dedicated ", "part_time", "",
		"chuy\xC3\xAAn tr\xC3\xA1" "ch", /* chuyên trách: the Vietnamese term, not the code */
		"ki\xC3\xAAm nhi\xE1\xBB\x87m",  /* kiêm nhiệm */
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_par_role r = LMS_PAR_CONCURRENT;
		assert_int_equal(lms_par_role_parse(bad[i], &r), LMS_EINVAL);
		assert_int_equal(r, LMS_PAR_CONCURRENT);
	}
	{
		lms_par_role r = LMS_PAR_DEDICATED;
		assert_int_equal(lms_par_role_parse(NULL, &r), LMS_EINVAL);
		assert_int_equal(r, LMS_PAR_DEDICATED);
	}
}

static void unit_kinds_of_the_city(void **state)
{
	/* before and after the July 2025 reform: departments and their offices, the city,
	 * the abolished districts, wards, communes and the special zone */
	static const char *const kinds[] = { "city", "department", "office", "district",
		                             "ward", "commune",    "special_zone", "other" };
	size_t i, n = 0;
	(void)state;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		assert_true(lms_unit_kind_valid(kinds[i]));
	for (i = 0; lms_unit_kinds[i]; i++) {
		assert_true(lms_unit_kind_valid(lms_unit_kinds[i]));
		n++;
	}
	assert_int_equal(n, sizeof(kinds) / sizeof(kinds[0]));
}

static void unit_kind_refuses_other_names(void **state)
{
	static const char *const bad[] = { "City", "ward ", "wards", "province", "special-zone",
		                           "ph\xC6\xB0\xE1\xBB\x9Dng", "", "dept" };
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(lms_unit_kind_valid(bad[i]));
	assert_false(lms_unit_kind_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(role_names_round_trip),
		cmocka_unit_test(role_parse_refuses_other_names),
		cmocka_unit_test(role_name_of_an_unknown_kind),
		cmocka_unit_test(par_role_round_trip),
		cmocka_unit_test(par_role_parse_refuses_other_names),
		cmocka_unit_test(unit_kinds_of_the_city),
		cmocka_unit_test(unit_kind_refuses_other_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
