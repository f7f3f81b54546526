/* model.c — names and parsing of the model's enumerations. */
#include "lms/model.h"

#include "lms/error.h"

#include <string.h>

static const char *const role_names[LMS_ROLE_COUNT] = { "learner", "trainer", "hr_officer",
	                                                "admin" };
static const char *const par_role_names[] = { "none", "concurrent", "dedicated" };

const char *const lms_unit_kinds[] = { "city",  "department", "office",       "district",
	                               "ward",  "commune",    "special_zone", "other",
	                               NULL };

const char *lms_role_name(lms_role_kind k)
{
	return (unsigned)k < LMS_ROLE_COUNT ? role_names[k] : "unknown";
}

int lms_role_parse(const char *s, lms_role_kind *out)
{
	int i;

	for (i = 0; i < LMS_ROLE_COUNT; i++)
		if (s && strcmp(s, role_names[i]) == 0) {
			*out = (lms_role_kind)i;
			return LMS_OK;
		}
	return LMS_EINVAL;
}

const char *lms_par_role_name(lms_par_role r)
{
	return (unsigned)r <= LMS_PAR_DEDICATED ? par_role_names[r] : "none";
}

int lms_par_role_parse(const char *s, lms_par_role *out)
{
	int i;

	for (i = 0; i <= LMS_PAR_DEDICATED; i++)
		if (s && strcmp(s, par_role_names[i]) == 0) {
			*out = (lms_par_role)i;
			return LMS_OK;
		}
	return LMS_EINVAL;
}

bool lms_unit_kind_valid(const char *kind)
{
	int i;

	for (i = 0; kind && lms_unit_kinds[i]; i++)
		if (strcmp(kind, lms_unit_kinds[i]) == 0)
			return true;
	return false;
}
