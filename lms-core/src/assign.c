/* assign.c — the checks of an assignment rule, and making one (assign.h). */
#include "lms/assign.h"

#include "lms/clock.h"
#include "lms/report_period.h"
#include "lms/validate.h"

#include <string.h>

static bool one_of(const char *v, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(v, *allowed) == 0)
			return true;
	return false;
}

static bool code_ok(const char *c)
{
	size_t n = c ? strlen(c) : 0;

	if (n < 1 || n > 32)
		return false;
	return strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Text of 1..max characters of valid UTF-8 without control characters. */
static bool text_ok(const char *t, size_t max, bool may_be_empty)
{
	size_t len = strlen(t), chars, i;

	if (!lms_utf8_valid(t, len))
		return false;
	chars = lms_utf8_length(t, len);
	if ((!may_be_empty && chars == 0) || chars > max)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return false;
	return true;
}

int lms_assign_check(const lms_assign_in *in, const char *today, lms_err *err)
{
	static const char *const audiences[] = { "all", "leader", "staff", NULL };
	static const char *const roles[] = { "par", "dedicated", "concurrent", "none", NULL };
	int64_t due = 0, now = 0;
	int rc;

	if (!code_ok(in->course_code))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "course",
		                   "course: a course code of 1 to 32 letters, digits, '.', '_' or '-'");
	if (!code_ok(in->unit_code))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "unit",
		                   "unit: a unit code of 1 to 32 letters, digits, '.', '_' or '-'");
	if (in->position && !text_ok(in->position, LMS_ASG_POSITION_MAX, false))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "position",
		                   "position: 1 to %d characters of text", LMS_ASG_POSITION_MAX);
	if (in->audience && !one_of(in->audience, audiences))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
		                   "audience: all, leader or staff");
	if (in->par_role && !one_of(in->par_role, roles))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "par_role",
		                   "par_role: par, dedicated, concurrent or none");
	if (in->note && !text_ok(in->note, LMS_ASG_NOTE_MAX, true))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "note",
		                   "note: at most %d characters of text on one line", LMS_ASG_NOTE_MAX);
	if ((in->due_on != NULL) == (in->due_days != 0))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "due_on",
		                   "a deadline: either a date (due_on) or a number of days after "
		                   "enrolment (due_days), not both");
	if (in->due_days && (in->due_days < 1 || in->due_days > LMS_ASG_DUE_DAYS_MAX))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "due_days",
		                   "due_days: 1 to %d days", LMS_ASG_DUE_DAYS_MAX);
	if (in->due_on) {
		if ((rc = lms_day_parse(in->due_on, "due_on", &due, err)) < 0)
			return rc;
		if ((rc = lms_day_parse(today, "today", &now, err)) < 0)
			return rc;
		if (due < now)
			return lms_err_set(err, LMS_EINVAL, "due_in_past", "due_on",
			                   "due_on: %s is before today (%s)", in->due_on, today);
	}
	return LMS_OK;
}

int lms_assign_create(lms_store *s, const lms_assign_in *in, const lms_scope *scope,
                      const char *actor, int64_t now_us, bool dry_run, int64_t *id,
                      lms_assign_counts *out, lms_err *err)
{
	char today[11];
	int rc;

	memset(out, 0, sizeof(*out));
	*id = 0;
	lms_hcm_date(now_us, today);
	if ((rc = lms_assign_check(in, today, err)) < 0)
		return rc;
	if (!s->ops->assign)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "this store keeps no assignments");
	return s->ops->assign->create(s, in, scope, actor, now_us, dry_run, id, out, err);
}
