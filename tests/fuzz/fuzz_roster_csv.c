/* fuzz_roster_csv.c — the CSV roster reader (lms_roster_parse_csv) on arbitrary bytes: it
 * must never crash, and what it accepts must be well formed: every person read has the
 * eleven columns' strings valid UTF-8 and a row place. */
#include "fuzz.h"
#include "lms/roster.h"
#include "lms/validate.h"

#include <stdlib.h>
#include <string.h>

static void check_str(const char *s)
{
	if (s)
		FUZZ_CHECK(lms_utf8_valid(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lms_arena *a = lms_arena_new();
	char *buf = malloc(size + 1);
	lms_roster roster;
	lms_roster_result res;
	lms_err err;
	size_t i;

	if (!a || !buf) {
		free(buf);
		lms_arena_free(a);
		return 0;
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&roster, 0, sizeof(roster));
	memset(&res, 0, sizeof(res));
	if (lms_roster_parse_csv(buf, size, a, &roster, &res, &err) == 0) {
		for (i = 0; i < roster.n_people; i++) {
			const lms_roster_person *p = &roster.people[i];

			FUZZ_CHECK(p->where && strncmp(p->where, "line ", 5) == 0);
			check_str(p->employee_code);
			check_str(p->full_name);
			check_str(p->position);
		}
		FUZZ_CHECK(res.n_rejects <= res.rejects_total);
	}
	free(buf);
	lms_arena_free(a);
	return 0;
}
