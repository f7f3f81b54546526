/* survey.c — the pure rules of surveys (survey.h, docs/surveys.md): checking a definition,
 * what an edit may change, checking a response, who may answer, Likert statistics,
 * k-anonymity suppression and CSV cells.
 *
 * Invariants: every count and length from input is compared with a cap of survey.h before
 * it is used; messages name the field at fault with its path; nothing here reads storage,
 * a clock or JSON. It does not decide who may manage or read a survey (the handlers do,
 * with the store's unit reach).
 */
#include "lms/survey.h"

#include "lms/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const lms_sv_likert5_vi[5] = {
	"Hoàn toàn không đồng ý", "Không đồng ý", "Trung lập", "Đồng ý", "Hoàn toàn đồng ý",
};

/* ---- names ------------------------------------------------------------------------ */

static const char *const kind_names[] = { NULL, "course", "standalone" };
static const char *const status_names[] = { "draft", "open", "closed" };
static const char *const qkind_names[] = { NULL, "likert", "single", "multiple", "text" };
static const char *const level_names[] = { "any", "leaders", "staff" };

static int parse_name(const char *s, const char *const *names, int n, int *out)
{
	int i;

	for (i = 0; s && i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0) {
			*out = i;
			return LMS_OK;
		}
	return LMS_EINVAL;
}

const char *lms_sv_kind_name(lms_sv_kind k)
{
	return k == LMS_SV_COURSE || k == LMS_SV_STANDALONE ? kind_names[k] : "?";
}

int lms_sv_kind_parse(const char *s, lms_sv_kind *out)
{
	int v;

	if (parse_name(s, kind_names, 3, &v) < 0)
		return LMS_EINVAL;
	*out = (lms_sv_kind)v;
	return LMS_OK;
}

const char *lms_sv_status_name(lms_sv_status s)
{
	return s >= LMS_SV_DRAFT && s <= LMS_SV_CLOSED ? status_names[s] : "?";
}

const char *lms_sv_qkind_name(lms_sv_qkind k)
{
	return k >= LMS_SQ_LIKERT && k <= LMS_SQ_TEXT ? qkind_names[k] : "?";
}

int lms_sv_qkind_parse(const char *s, lms_sv_qkind *out)
{
	int v;

	if (parse_name(s, qkind_names, 5, &v) < 0)
		return LMS_EINVAL;
	*out = (lms_sv_qkind)v;
	return LMS_OK;
}

const char *lms_sv_level_name(lms_sv_level l)
{
	return l >= LMS_SV_ANY_LEVEL && l <= LMS_SV_STAFF ? level_names[l] : "?";
}

int lms_sv_level_parse(const char *s, lms_sv_level *out)
{
	int v;

	if (parse_name(s, level_names, 3, &v) < 0)
		return LMS_EINVAL;
	*out = (lms_sv_level)v;
	return LMS_OK;
}

/* ---- errors with a field path ------------------------------------------------------- */

/* Sets err (class rc, code) with a field path made from fmt and a message; returns rc. */
static int fail(lms_err *err, int rc, const char *code, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(lms_err *err, int rc, const char *code, const char *msg, const char *fmt, ...)
{
	char field[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(field, sizeof(field), fmt, ap);
	va_end(ap);
	return lms_err_set(err, rc, code, field, "%s: %s", field, msg);
}

/* Text of 1..max characters, valid UTF-8, with no control characters other than (multi_line)
 * TAB, CR and LF, and not only white space. */
static bool text_ok(const char *s, size_t max, bool multi_line)
{
	size_t i, n = s ? strlen(s) : 0;
	bool visible = false;

	if (n == 0 || !lms_utf8_valid(s, n) || lms_utf8_length(s, n) > max)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t' || c == '\n' || c == '\r') {
			if (!multi_line)
				return false;
			continue;
		}
		if (c < 0x20 || c == 0x7F || (c == 0xC2 && (unsigned char)s[i + 1] <= 0x9F))
			return false;
		if (c != ' ')
			visible = true;
	}
	return visible;
}

/* ---- a definition ------------------------------------------------------------------- */

static int check_question(lms_sv_question *q, size_t i, lms_err *err)
{
	size_t k, j;

	if (q->kind < LMS_SQ_LIKERT || q->kind > LMS_SQ_TEXT)
		return fail(err, LMS_EINVAL, "invalid_field",
		            "the kind is \"likert\", \"single\", \"multiple\" or \"text\"",
		            "questions[%zu].kind", i);
	if (!text_ok(q->text, LMS_SV_QUESTION_TEXT_MAX, true))
		return fail(err, LMS_EINVAL, "invalid_field", "the question is text of 1 to 1000 characters",
		            "questions[%zu].text", i);
	switch (q->kind) {
	case LMS_SQ_LIKERT:
		if (q->points == 0)
			q->points = q->n_options ? (int)q->n_options : 5;
		if (q->points < LMS_SV_POINTS_MIN || q->points > LMS_SV_POINTS_MAX)
			return fail(err, LMS_EINVAL, "invalid_field", "a scale has 3 to 7 points",
			            "questions[%zu].points", i);
		if (q->n_options == 0 && q->points == 5) {
			q->options = lms_sv_likert5_vi;
			q->n_options = 5;
		}
		if (q->n_options != (size_t)q->points)
			return fail(err, LMS_EINVAL, "invalid_field",
			            "give one label for each point of the scale (only the 5-point scale has "
			            "default labels)", "questions[%zu].options", i);
		break;
	case LMS_SQ_SINGLE:
	case LMS_SQ_MULTI:
		if (q->n_options < LMS_SV_OPTIONS_MIN || q->n_options > LMS_SV_OPTIONS_MAX)
			return fail(err, LMS_EINVAL, "invalid_field", "a choice question has 2 to 20 options",
			            "questions[%zu].options", i);
		if (q->kind == LMS_SQ_MULTI && q->max_select == 0)
			q->max_select = (int)q->n_options;
		if (q->kind == LMS_SQ_MULTI &&
		    (q->max_select < 1 || (size_t)q->max_select > q->n_options))
			return fail(err, LMS_EINVAL, "invalid_field",
			            "the most options one may choose is from 1 to the number of options",
			            "questions[%zu].max_select", i);
		break;
	case LMS_SQ_TEXT:
		if (q->max_length == 0)
			q->max_length = LMS_SV_TEXT_DEFAULT;
		if (q->max_length < 1 || q->max_length > LMS_SV_TEXT_MAX)
			return fail(err, LMS_EINVAL, "invalid_field", "the longest answer is 1 to 4000 characters",
			            "questions[%zu].max_length", i);
		if (q->n_options)
			return fail(err, LMS_EINVAL, "invalid_field", "a free-text question has no options",
			            "questions[%zu].options", i);
		break;
	}
	if (q->kind != LMS_SQ_MULTI)
		q->max_select = q->kind == LMS_SQ_TEXT ? 0 : 1;
	if (q->kind != LMS_SQ_TEXT)
		q->max_length = 0;
	if (q->kind != LMS_SQ_LIKERT)
		q->points = 0;
	for (k = 0; k < q->n_options; k++) {
		if (!text_ok(q->options[k], LMS_SV_OPTION_MAX, false))
			return fail(err, LMS_EINVAL, "invalid_field",
			            "an option or label is text of 1 to 200 characters on one line",
			            "questions[%zu].options[%zu]", i, k);
		for (j = 0; j < k; j++)
			if (strcmp(q->options[j], q->options[k]) == 0)
				return fail(err, LMS_EINVAL, "invalid_field", "the same option is given twice",
				            "questions[%zu].options[%zu]", i, k);
	}
	q->id = (int)i + 1;
	return LMS_OK;
}

/* A list of codes: n within 1..max, each a code, none twice. */
static int check_codes(const char *name, const char **v, size_t n, size_t max, lms_err *err)
{
	size_t i, j;

	if (n < 1 || n > max)
		return fail(err, LMS_EINVAL, "invalid_field", "give 1 to the allowed number of codes",
		            "%s", name);
	for (i = 0; i < n; i++) {
		if (!v[i] || lms_check_code(name, v[i], err) < 0)
			return fail(err, LMS_EINVAL, "invalid_field", "a code is 1-32 of A-Z a-z 0-9 . _ -",
			            "%s[%zu]", name, i);
		for (j = 0; j < i; j++)
			if (strcmp(v[i], v[j]) == 0)
				return fail(err, LMS_EINVAL, "invalid_field", "the same code is given twice",
				            "%s[%zu]", name, i);
	}
	return LMS_OK;
}

int lms_sv_check(lms_survey *sv, lms_err *err)
{
	size_t i;
	int rc;

	if (lms_check_code("code", sv->code, err) < 0)
		return LMS_EINVAL;
	if (!text_ok(sv->title, LMS_SV_TITLE_MAX, false))
		return fail(err, LMS_EINVAL, "invalid_field", "the title is text of 1 to 300 characters",
		            "title");
	if (!sv->description)
		sv->description = "";
	if (*sv->description && !text_ok(sv->description, LMS_SV_DESCRIPTION_MAX, true))
		return fail(err, LMS_EINVAL, "invalid_field",
		            "the description is text of at most 4000 characters", "description");
	if (sv->kind == LMS_SV_COURSE) {
		if ((rc = check_codes("courses", sv->courses, sv->n_courses, LMS_SV_COURSES_MAX, err)) < 0)
			return rc;
		if (sv->n_units || sv->level != LMS_SV_ANY_LEVEL || sv->par_roles)
			return fail(err, LMS_EINVAL, "invalid_field",
			            "a course survey is asked of the course's learners: it has no units, "
			            "level or PAR roles", "units");
	} else if (sv->kind == LMS_SV_STANDALONE) {
		if ((rc = check_codes("units", sv->units, sv->n_units, LMS_SV_UNITS_MAX, err)) < 0)
			return rc;
		if (sv->n_courses)
			return fail(err, LMS_EINVAL, "invalid_field", "a standalone survey names no courses",
			            "courses");
		if (sv->level < LMS_SV_ANY_LEVEL || sv->level > LMS_SV_STAFF)
			return fail(err, LMS_EINVAL, "invalid_field", "\"any\", \"leaders\" or \"staff\"",
			            "level");
		if (sv->par_roles & ~7u)
			return fail(err, LMS_EINVAL, "invalid_field",
			            "PAR roles are \"none\", \"concurrent\" and \"dedicated\"", "par_roles");
	} else {
		return fail(err, LMS_EINVAL, "invalid_field", "\"course\" or \"standalone\"", "kind");
	}
	if (sv->opens_on[0] && lms_check_date("opens_on", sv->opens_on, err) < 0)
		return LMS_EINVAL;
	if (sv->closes_on[0] && lms_check_date("closes_on", sv->closes_on, err) < 0)
		return LMS_EINVAL;
	if (sv->opens_on[0] && sv->closes_on[0] && strcmp(sv->closes_on, sv->opens_on) < 0)
		return fail(err, LMS_EINVAL, "invalid_field", "the last day comes on or after the first",
		            "closes_on");
	if (sv->n_questions < 1 || sv->n_questions > LMS_SV_QUESTIONS_MAX)
		return fail(err, LMS_EINVAL, "invalid_field", "a survey has 1 to 100 questions",
		            "questions");
	for (i = 0; i < sv->n_questions; i++)
		if ((rc = check_question(&sv->questions[i], i, err)) < 0)
			return rc;
	return LMS_OK;
}

/* ---- edits -------------------------------------------------------------------------- */

static bool same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool same_list(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!same_str(a[i], b[i]))
			return false;
	return true;
}

static bool same_question(const lms_sv_question *a, const lms_sv_question *b)
{
	return a->kind == b->kind && same_str(a->text, b->text) && a->required == b->required &&
	       a->points == b->points && a->max_select == b->max_select &&
	       a->max_length == b->max_length && same_list(a->options, a->n_options, b->options, b->n_options);
}

int lms_sv_check_edit(const lms_survey *old, const lms_survey *new_, bool *structural, lms_err *err)
{
	size_t i;
	bool differ = old->n_questions != new_->n_questions || old->kind != new_->kind ||
	              !same_list(old->courses, old->n_courses, new_->courses, new_->n_courses) ||
	              !same_list(old->units, old->n_units, new_->units, new_->n_units) ||
	              old->level != new_->level || old->par_roles != new_->par_roles;

	for (i = 0; !differ && i < old->n_questions; i++)
		differ = !same_question(&old->questions[i], &new_->questions[i]);
	*structural = differ;
	if (old->status == LMS_SV_CLOSED)
		return lms_err_set(err, LMS_ECONFLICT, "survey_closed", NULL,
		                   "a closed survey is not edited; copy it to make a new one");
	if (old->status != LMS_SV_DRAFT && old->anonymous != new_->anonymous)
		return lms_err_set(err, LMS_ECONFLICT, "anonymous_fixed", "anonymous",
		                   "whether a survey is anonymous is fixed when it is published");
	if (old->status != LMS_SV_DRAFT && old->kind != new_->kind)
		return lms_err_set(err, LMS_ECONFLICT, "kind_fixed", "kind",
		                   "a published survey keeps its kind");
	if (differ && old->responses > 0)
		return lms_err_set(err, LMS_ECONFLICT, "survey_has_responses", "questions",
		                   "the survey has responses: its questions, audience and courses no longer "
		                   "change; copy it to make a new version");
	return LMS_OK;
}

/* ---- a response ----------------------------------------------------------------------- */

static const lms_sv_question *question_of(const lms_survey *sv, int id)
{
	return id >= 1 && (size_t)id <= sv->n_questions ? &sv->questions[id - 1] : NULL;
}

static int check_answer(const lms_sv_question *q, const lms_sv_answer *a, size_t i, lms_err *err)
{
	size_t k, j, n;

	switch (q->kind) {
	case LMS_SQ_LIKERT:
	case LMS_SQ_SINGLE:
		if (a->text || a->choices || a->value == INT32_MIN)
			return fail(err, LMS_EINVAL, "invalid_field",
			            q->kind == LMS_SQ_LIKERT ? "a point of the scale, a whole number"
			                                     : "the index of the option chosen, from 0",
			            "answers[%zu].value", i);
		if (q->kind == LMS_SQ_LIKERT && (a->value < 1 || a->value > q->points))
			return fail(err, LMS_EINVAL, "value_out_of_range", "a point of the scale, from 1",
			            "answers[%zu].value", i);
		if (q->kind == LMS_SQ_SINGLE && (a->value < 0 || (size_t)a->value >= q->n_options))
			return fail(err, LMS_EINVAL, "choice_out_of_range", "no option has this index",
			            "answers[%zu].value", i);
		return LMS_OK;
	case LMS_SQ_MULTI:
		if (!a->choices || a->text || a->value == INT32_MIN)
			return fail(err, LMS_EINVAL, "invalid_field",
			            "a list of the indexes of the options chosen", "answers[%zu].value", i);
		if (a->n_choices > (size_t)q->max_select)
			return fail(err, LMS_EINVAL, "too_many_choices", "more options than the question allows",
			            "answers[%zu].value", i);
		n = a->n_choices;
		for (k = 0; k < n; k++) {
			if (a->choices[k] < 0 || (size_t)a->choices[k] >= q->n_options)
				return fail(err, LMS_EINVAL, "choice_out_of_range", "no option has this index",
				            "answers[%zu].value[%zu]", i, k);
			for (j = 0; j < k; j++)
				if (a->choices[j] == a->choices[k])
					return fail(err, LMS_EINVAL, "invalid_field", "an option is chosen twice",
					            "answers[%zu].value[%zu]", i, k);
		}
		if (n == 0 && q->required)
			return fail(err, LMS_EINVAL, "answer_required", "choose at least one option",
			            "answers[%zu].value", i);
		return LMS_OK;
	case LMS_SQ_TEXT:
		if (!a->text || a->choices || a->value == INT32_MIN)
			return fail(err, LMS_EINVAL, "invalid_field", "text", "answers[%zu].value", i);
		n = strlen(a->text);
		if (lms_utf8_valid(a->text, n) && lms_utf8_length(a->text, n) > (size_t)q->max_length)
			return fail(err, LMS_EINVAL, "text_too_long",
			            "the answer is longer than the question allows", "answers[%zu].value", i);
		if (!text_ok(a->text, (size_t)q->max_length, true))
			return fail(err, LMS_EINVAL, "invalid_field",
			            "text that is not empty, without control characters", "answers[%zu].value", i);
		return LMS_OK;
	}
	return fail(err, LMS_EINTERNAL, "internal", "unknown question kind", "answers[%zu]", i);
}

int lms_sv_check_response(const lms_survey *sv, const lms_sv_answer *answers, size_t n,
                          lms_err *err)
{
	unsigned char seen[LMS_SV_QUESTIONS_MAX + 1];
	size_t i;
	int rc;

	memset(seen, 0, sizeof(seen));
	if (n > LMS_SV_QUESTIONS_MAX)
		return fail(err, LMS_EINVAL, "invalid_field", "more answers than the survey has questions",
		            "answers");
	for (i = 0; i < n; i++) {
		const lms_sv_question *q = question_of(sv, answers[i].question);
		if (!q)
			return fail(err, LMS_EINVAL, "unknown_question", "the survey has no such question",
			            "answers[%zu].question", i);
		if (seen[q->id])
			return fail(err, LMS_EINVAL, "duplicate_answer", "this question is answered twice",
			            "answers[%zu].question", i);
		seen[q->id] = 1;
		if ((rc = check_answer(q, &answers[i], i, err)) < 0)
			return rc;
	}
	for (i = 0; i < sv->n_questions; i++) {
		const lms_sv_answer *a = NULL;
		size_t k;
		if (!sv->questions[i].required)
			continue;
		for (k = 0; k < n; k++)
			if (answers[k].question == sv->questions[i].id)
				a = &answers[k];
		if (!a || (sv->questions[i].kind == LMS_SQ_MULTI && a->n_choices == 0))
			return fail(err, LMS_EINVAL, "answer_required", "this question must be answered",
			            "questions[%zu]", i);
	}
	return LMS_OK;
}

/* ---- who may answer ---------------------------------------------------------------------- */

int lms_sv_can_answer(const lms_survey *sv, const lms_sv_who *who, const char *today,
                      lms_err *err)
{
	if (sv->kind == LMS_SV_STANDALONE) {
		bool level_ok = sv->level == LMS_SV_ANY_LEVEL ||
		                (sv->level == LMS_SV_LEADERS) == who->is_leader;
		bool role_ok = !sv->par_roles || (sv->par_roles & (1u << who->par_role));
		if (!who->has_person || !who->active || !who->in_units || !level_ok || !role_ok)
			return lms_err_set(err, LMS_EFORBIDDEN, "not_in_audience", NULL,
			                   "this survey is not addressed to you");
	} else if (!who->completed_course) {
		return lms_err_set(err, LMS_EFORBIDDEN, "course_not_completed", NULL,
		                   "this survey is for learners who completed its course");
	}
	if (sv->status == LMS_SV_DRAFT || (sv->opens_on[0] && strcmp(today, sv->opens_on) < 0))
		return lms_err_set(err, LMS_ECONFLICT, "survey_not_open", NULL,
		                   "this survey is not open yet");
	if (sv->status == LMS_SV_CLOSED || (sv->closes_on[0] && strcmp(today, sv->closes_on) > 0))
		return lms_err_set(err, LMS_ECONFLICT, "survey_closed", NULL, "this survey is closed");
	if (who->responded)
		return lms_err_set(err, LMS_ECONFLICT, "already_responded", NULL,
		                   "you have answered this survey already: one response each");
	return LMS_OK;
}

/* ---- results ------------------------------------------------------------------------------ */

void lms_sv_likert(const int64_t *dist, int points, lms_sv_likert_stats *out)
{
	int64_t n = 0, lo, hi, seen = 0;
	double sum = 0;
	int i, v_lo = 0, v_hi = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < points; i++) {
		n += dist[i];
		sum += (double)dist[i] * (i + 1);
	}
	if (n == 0)
		return;
	/* the values at 0-based ranks (n-1)/2 and n/2 */
	lo = (n - 1) / 2;
	hi = n / 2;
	for (i = 0; i < points; i++) {
		if (!v_lo && seen + dist[i] > lo)
			v_lo = i + 1;
		if (!v_hi && seen + dist[i] > hi)
			v_hi = i + 1;
		seen += dist[i];
	}
	out->n = n;
	out->mean = sum / (double)n;
	out->median = (v_lo + v_hi) / 2.0;
}

void lms_sv_suppress(const int64_t *n, size_t count, int64_t k, bool *hidden)
{
	int64_t hidden_sum = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		hidden[i] = k > 1 && n[i] > 0 && n[i] < k;
		if (hidden[i])
			hidden_sum += n[i];
	}
	while (hidden_sum > 0 && hidden_sum < k) {
		size_t best = count;
		for (i = 0; i < count; i++)
			if (!hidden[i] && n[i] > 0 && (best == count || n[i] < n[best]))
				best = i;
		if (best == count)
			break; /* everything is hidden already */
		hidden[best] = true;
		hidden_sum += n[best];
	}
}

const char *lms_sv_csv_cell(lms_arena *a, const char *s)
{
	size_t n, i, o = 0;
	bool quote, guard;
	char *out;

	if (!s)
		return "";
	n = strlen(s);
	guard = n && strchr("=+-@\t\r", s[0]) != NULL;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	out = lms_arena_alloc(a, 2 * n + 4);
	if (quote)
		out[o++] = '"';
	if (guard)
		out[o++] = '\'';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			out[o++] = '"';
		out[o++] = s[i];
	}
	if (quote)
		out[o++] = '"';
	out[o] = '\0';
	return out;
}

/* ---- storing a response ---------------------------------------------------------------- */

void lms_sv_flatten(const lms_survey *sv, const lms_sv_answer *answers, size_t n, lms_arena *a,
                    lms_sv_submit *out)
{
	size_t i, k, nn = 0, nt = 0;

	for (i = 0; i < n; i++) {
		nn += answers[i].choices ? answers[i].n_choices : 1;
		nt += answers[i].text != NULL;
	}
	out->qids = lms_arena_alloc(a, (nn + 1) * sizeof(int));
	out->nums = lms_arena_alloc(a, (nn + 1) * sizeof(int));
	out->text_qids = lms_arena_alloc(a, (nt + 1) * sizeof(int));
	out->texts = lms_arena_alloc(a, (nt + 1) * sizeof(char *));
	out->n_nums = out->n_texts = 0;
	for (i = 0; i < n; i++) {
		const lms_sv_answer *an = &answers[i];
		const lms_sv_question *q = question_of(sv, an->question);
		if (!q)
			continue; /* checked before: never */
		if (q->kind == LMS_SQ_MULTI) {
			for (k = 0; an->choices && k < an->n_choices; k++) {
				out->qids[out->n_nums] = q->id;
				out->nums[out->n_nums++] = an->choices[k];
			}
			continue;
		}
		out->qids[out->n_nums] = q->id;
		out->nums[out->n_nums++] = q->kind == LMS_SQ_TEXT ? 0 : an->value;
		if (q->kind == LMS_SQ_TEXT) {
			out->text_qids[out->n_texts] = q->id;
			out->texts[out->n_texts++] = an->text;
		}
	}
}
