/* assess_answer.c — the pure pieces of quizzes and exams that the use cases (assess_run.c)
 * share with the HTTP layer (assess_store.h): names of the enumerations, what an answer sent
 * by a browser may be and its canonical JSON, what a slot accepts, and what a review may
 * show (the right answers and the feedback of a question in the positions it was shown).
 *
 * Invariants: an answer is always in shown positions (the browser never learns stored
 * indexes); nothing here reads a clock or the store. The key and the feedback are written
 * only when the caller's rules allow (lms_as_may_see); the question's delivery view
 * (question.h) never holds either.
 */
#include "lms/assess_store.h"

#include <unistr.h>

#include <math.h>
#include <string.h>

/* ---- names ---- */

static const char *const STATUS[] = { "draft", "open", "closed" };
static const char *const SHOW[] = { "never", "after_submit", "after_close", "after_publish" };
static const char *const GRADING[] = { "", "highest", "average", "first", "last" };

const char *lms_as_status_name(lms_as_status s)
{
	return (unsigned)s < 3 ? STATUS[s] : "?";
}

const char *lms_as_kind_name(lms_as_kind k)
{
	return k == LMS_AS_EXAM ? "exam" : k == LMS_AS_QUIZ ? "quiz" : "?";
}

int lms_as_kind_parse(const char *s, lms_as_kind *out)
{
	if (s && strcmp(s, "quiz") == 0)
		*out = LMS_AS_QUIZ;
	else if (s && strcmp(s, "exam") == 0)
		*out = LMS_AS_EXAM;
	else
		return LMS_EINVAL;
	return LMS_OK;
}

const char *lms_as_show_name(lms_as_show s)
{
	return (unsigned)s < 4 ? SHOW[s] : "?";
}

int lms_as_show_parse(const char *s, lms_as_show *out)
{
	unsigned i;

	for (i = 0; s && i < 4; i++)
		if (strcmp(s, SHOW[i]) == 0) {
			*out = (lms_as_show)i;
			return LMS_OK;
		}
	return LMS_EINVAL;
}

const char *lms_as_grading_name(lms_as_grading g)
{
	return g >= LMS_AS_GRADE_HIGHEST && g <= LMS_AS_GRADE_LAST ? GRADING[g] : "?";
}

int lms_as_grading_parse(const char *s, lms_as_grading *out)
{
	unsigned i;

	for (i = 1; s && i < 5; i++)
		if (strcmp(s, GRADING[i]) == 0) {
			*out = (lms_as_grading)i;
			return LMS_OK;
		}
	return LMS_EINVAL;
}

bool lms_as_may_see(const lms_as_def *d, lms_as_show when, int64_t now_us, bool published)
{
	if (d->kind == LMS_AS_EXAM)
		return published && when != LMS_AS_SHOW_NEVER;
	return lms_as_may_show(when, now_us, d->closes_us, published);
}

/* ---- answers ---- */

static int bad(lms_err *err, const char *why)
{
	return lms_err_set(err, LMS_EINVAL, "response_shape", "response", "response: %s", why);
}

/* Positions v[0..n) each below LMS_Q_MAX_OPTIONS and none twice; *max the largest (-1). */
static int positions(const size_t *v, size_t n, int *max, lms_err *err)
{
	bool seen[LMS_Q_MAX_OPTIONS];
	size_t i;

	memset(seen, 0, sizeof(seen));
	*max = -1;
	if (n > LMS_Q_MAX_OPTIONS)
		return bad(err, "too many positions");
	for (i = 0; i < n; i++) {
		if (v[i] >= LMS_Q_MAX_OPTIONS)
			return bad(err, "a position out of range");
		if (seen[v[i]])
			return bad(err, "a position given twice");
		seen[v[i]] = true;
		if ((int)v[i] > *max)
			*max = (int)v[i];
	}
	return LMS_OK;
}

int lms_as_response_check(const lms_response *r, lms_as_shape *out, lms_err *err)
{
	size_t i, len;
	int rc, max;
	bool stems[LMS_Q_MAX_OPTIONS];

	out->a = out->b = out->count = -1;
	switch (r->kind) {
	case LMS_R_NONE:
		out->rkind = "none";
		return LMS_OK;
	case LMS_R_CHOICE:
		if (r->choice >= LMS_Q_MAX_OPTIONS)
			return bad(err, "a position out of range");
		out->rkind = "choice";
		out->a = (int)r->choice;
		return LMS_OK;
	case LMS_R_CHOICES:
		if ((rc = positions(r->choices, r->n_choices, &out->a, err)) < 0)
			return rc;
		out->rkind = "choices";
		return LMS_OK;
	case LMS_R_BOOL:
		out->rkind = "bool";
		return LMS_OK;
	case LMS_R_TEXT:
		if (!r->text)
			return bad(err, "no text");
		len = strlen(r->text);
		if (len > LMS_Q_MAX_RESPONSE_ESSAY)
			return lms_err_set(err, LMS_EINVAL, "response_shape", "response",
			                   "response: at most %d bytes of text", LMS_Q_MAX_RESPONSE_ESSAY);
		if (u8_check((const uint8_t *)r->text, len))
			return bad(err, "text that is not UTF-8");
		out->rkind = "text";
		out->a = (int)len;
		return LMS_OK;
	case LMS_R_PAIRS:
		if (r->n_pairs > LMS_Q_MAX_OPTIONS)
			return bad(err, "too many pairs");
		memset(stems, 0, sizeof(stems));
		out->rkind = "pairs";
		for (i = 0; i < r->n_pairs; i++) {
			if (r->pairs[i].stem >= LMS_Q_MAX_OPTIONS || r->pairs[i].choice >= LMS_Q_MAX_OPTIONS)
				return bad(err, "a position out of range");
			if (stems[r->pairs[i].stem])
				return bad(err, "a stem answered twice");
			stems[r->pairs[i].stem] = true;
			if ((int)r->pairs[i].stem > out->a)
				out->a = (int)r->pairs[i].stem;
			if ((int)r->pairs[i].choice > out->b)
				out->b = (int)r->pairs[i].choice;
		}
		return LMS_OK;
	case LMS_R_ORDER:
		if (r->n_order == 0)
			return bad(err, "an empty order");
		if ((rc = positions(r->order, r->n_order, &max, err)) < 0)
			return rc;
		if ((size_t)max + 1 != r->n_order)
			return bad(err, "an order that is not every item once");
		out->rkind = "order";
		out->a = max;
		out->count = (int)r->n_order;
		return LMS_OK;
	default:
		return bad(err, "an unknown kind of answer");
	}
}

static void size_list(lms_jsonw *w, const size_t *v, size_t n)
{
	size_t i;

	lms_jsonw_raw(w, "[");
	for (i = 0; i < n; i++) {
		if (i)
			lms_jsonw_raw(w, ",");
		lms_jsonw_i64(w, (int64_t)v[i]);
	}
	lms_jsonw_raw(w, "]");
}

void lms_as_response_json(const lms_response *r, lms_jsonw *w)
{
	size_t i;

	switch (r->kind) {
	case LMS_R_CHOICE:
		lms_jsonw_raw(w, "{\"choice\":");
		lms_jsonw_i64(w, (int64_t)r->choice);
		break;
	case LMS_R_CHOICES:
		lms_jsonw_raw(w, "{\"choices\":");
		size_list(w, r->choices, r->n_choices);
		break;
	case LMS_R_BOOL:
		lms_jsonw_raw(w, r->value ? "{\"value\":true" : "{\"value\":false");
		break;
	case LMS_R_TEXT:
		lms_jsonw_raw(w, "{\"text\":");
		lms_jsonw_str(w, r->text ? r->text : "");
		break;
	case LMS_R_PAIRS:
		lms_jsonw_raw(w, "{\"pairs\":[");
		for (i = 0; i < r->n_pairs; i++) {
			lms_jsonw_raw(w, i ? ",{\"stem\":" : "{\"stem\":");
			lms_jsonw_i64(w, (int64_t)r->pairs[i].stem);
			lms_jsonw_raw(w, ",\"choice\":");
			lms_jsonw_i64(w, (int64_t)r->pairs[i].choice);
			lms_jsonw_raw(w, "}");
		}
		lms_jsonw_raw(w, "]");
		break;
	case LMS_R_ORDER:
		lms_jsonw_raw(w, "{\"order\":");
		size_list(w, r->order, r->n_order);
		break;
	default:
		lms_jsonw_raw(w, "{");
		break;
	}
	lms_jsonw_raw(w, "}");
}

void lms_as_slot_shape(const lms_question *q, const lms_qlayout *l, const char **rkind, int *n_a,
                       int *n_b)
{
	*n_a = *n_b = 0;
	switch (q->type) {
	case LMS_Q_SINGLE:
		*rkind = "choice";
		*n_a = (int)l->n_options;
		break;
	case LMS_Q_MULTI:
		*rkind = "choices";
		*n_a = (int)l->n_options;
		break;
	case LMS_Q_TRUEFALSE:
		*rkind = "bool";
		break;
	case LMS_Q_SHORT:
	case LMS_Q_NUMERICAL:
		*rkind = "text";
		*n_a = LMS_Q_MAX_RESPONSE_SHORT + 1;
		break;
	case LMS_Q_ESSAY:
		*rkind = "text";
		*n_a = LMS_Q_MAX_RESPONSE_ESSAY + 1;
		break;
	case LMS_Q_MATCHING:
		*rkind = "pairs";
		*n_a = (int)l->n_stems;
		*n_b = (int)l->n_choices;
		break;
	case LMS_Q_ORDERING:
		*rkind = "order";
		*n_a = (int)l->n_options;
		break;
	default:
		*rkind = "none";
		break;
	}
}

/* ---- what a review may show ---- */

/* The shown position of stored index k in order[0..n), or -1. */
static int64_t shown_of(const size_t *order, size_t n, size_t k)
{
	size_t p;

	for (p = 0; p < n; p++)
		if (order[p] == k)
			return (int64_t)p;
	return -1;
}

static void text_or_empty(lms_jsonw *w, const lms_qtext *t)
{
	lms_jsonw_str(w, t && t->text ? t->text : "");
}

void lms_as_key_json(const lms_question *q, const lms_qlayout *l, lms_jsonw *w)
{
	size_t p, i, c;
	bool first = true;

	lms_jsonw_raw(w, "{");
	switch (q->type) {
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI:
		lms_jsonw_raw(w, "\"options\":[");
		for (p = 0; p < l->n_options; p++) {
			const lms_qoption *o = &q->options[l->option_order[p]];
			if (o->fraction <= 0)
				continue;
			lms_jsonw_raw(w, first ? "{\"id\":" : ",{\"id\":");
			first = false;
			lms_jsonw_i64(w, (int64_t)p);
			lms_jsonw_raw(w, ",\"share\":");
			lms_jsonw_num(w, o->fraction);
			lms_jsonw_raw(w, "}");
		}
		lms_jsonw_raw(w, "]");
		break;
	case LMS_Q_TRUEFALSE:
		lms_jsonw_raw(w, q->tf_answer ? "\"value\":true" : "\"value\":false");
		break;
	case LMS_Q_SHORT:
		lms_jsonw_raw(w, "\"accepted\":[");
		for (i = 0; i < q->n_options; i++) {
			if (q->options[i].fraction <= 0)
				continue;
			lms_jsonw_raw(w, first ? "{\"text\":" : ",{\"text\":");
			first = false;
			text_or_empty(w, &q->options[i].text);
			lms_jsonw_raw(w, ",\"share\":");
			lms_jsonw_num(w, q->options[i].fraction);
			lms_jsonw_raw(w, "}");
		}
		lms_jsonw_raw(w, "]");
		break;
	case LMS_Q_NUMERICAL:
		lms_jsonw_raw(w, "\"numbers\":[");
		for (i = 0; i < q->n_numerics; i++) {
			const lms_qnumeric *n = &q->numerics[i];
			if (n->any || n->fraction <= 0)
				continue;
			lms_jsonw_raw(w, first ? "{\"value\":" : ",{\"value\":");
			first = false;
			lms_jsonw_num(w, n->value);
			lms_jsonw_raw(w, ",\"tolerance\":");
			lms_jsonw_num(w, n->tolerance);
			lms_jsonw_raw(w, ",\"share\":");
			lms_jsonw_num(w, n->fraction);
			lms_jsonw_raw(w, "}");
		}
		lms_jsonw_raw(w, "]");
		break;
	case LMS_Q_MATCHING:
		lms_jsonw_raw(w, "\"pairs\":[");
		for (p = 0; p < l->n_stems; p++) {
			const char *want = q->pairs[l->stem_order[p]].answer;
			for (c = 0; c < l->n_choices; c++)
				if (strcmp(q->pairs[l->choice_order[c]].answer, want) == 0)
					break;
			lms_jsonw_raw(w, p ? ",{\"stem\":" : "{\"stem\":");
			lms_jsonw_i64(w, (int64_t)p);
			lms_jsonw_raw(w, ",\"choice\":");
			lms_jsonw_i64(w, c < l->n_choices ? (int64_t)c : -1);
			lms_jsonw_raw(w, "}");
		}
		lms_jsonw_raw(w, "]");
		break;
	case LMS_Q_ORDERING:
		lms_jsonw_raw(w, "\"order\":[");
		for (i = 0; i < q->n_items; i++) {
			if (i)
				lms_jsonw_raw(w, ",");
			lms_jsonw_i64(w, shown_of(l->option_order, l->n_options, i));
		}
		lms_jsonw_raw(w, "]");
		break;
	default:
		break;
	}
	lms_jsonw_raw(w, "}");
}

void lms_as_feedback_json(const lms_question *q, const lms_response *r, lms_jsonw *w)
{
	lms_grade g;
	lms_err e;
	size_t i;
	bool graded = r && r->kind != LMS_R_NONE && lms_question_grade(q, r, &g, &e) == 0;
	const lms_qtext *combined = NULL;

	lms_jsonw_raw(w, "{\"general\":");
	text_or_empty(w, &q->general_feedback);
	lms_jsonw_raw(w, ",\"chosen\":[");
	if (graded) {
		bool first = true;
		const lms_qtext *one = NULL;

		switch (q->type) {
		case LMS_Q_SINGLE:
			one = r->choice < q->n_options ? &q->options[r->choice].feedback : NULL;
			break;
		case LMS_Q_MULTI:
			for (i = 0; i < r->n_choices; i++)
				if (r->choices[i] < q->n_options && q->options[r->choices[i]].feedback.text &&
				    *q->options[r->choices[i]].feedback.text) {
					if (!first)
						lms_jsonw_raw(w, ",");
					first = false;
					text_or_empty(w, &q->options[r->choices[i]].feedback);
				}
			break;
		case LMS_Q_TRUEFALSE:
			one = r->value ? &q->tf_feedback_true : &q->tf_feedback_false;
			break;
		case LMS_Q_SHORT:
			one = g.matched >= 0 && (size_t)g.matched < q->n_options
			          ? &q->options[g.matched].feedback : NULL;
			break;
		case LMS_Q_NUMERICAL:
			one = g.matched >= 0 && (size_t)g.matched < q->n_numerics
			          ? &q->numerics[g.matched].feedback : NULL;
			break;
		default:
			break;
		}
		if (one && one->text && *one->text)
			text_or_empty(w, one);
		if (q->type == LMS_Q_SINGLE || q->type == LMS_Q_MULTI || q->type == LMS_Q_MATCHING ||
		    q->type == LMS_Q_ORDERING)
			combined = g.fraction >= 1 ? &q->correct_feedback
			           : g.fraction > 0 ? &q->partial_feedback : &q->incorrect_feedback;
	}
	lms_jsonw_raw(w, "],\"overall\":");
	text_or_empty(w, combined);
	lms_jsonw_raw(w, "}");
}
