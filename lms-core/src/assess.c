/* assess.c — the rules of quizzes and capability exams (assess.h). */
#include "lms/assess.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: a small, well-mixed generator; the seed is stored with the attempt, so the same
 * seed must give the same paper on every platform (no rand()). */
static uint64_t next64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A uniform integer in [0, n) without modulo bias. */
static size_t below(uint64_t *s, size_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = next64(s);
	while (x >= limit);
	return (size_t)(x % n);
}

static bool fraction_ok(double f)
{
	return isfinite(f) && f >= 0 && f <= 1;
}

int lms_as_def_check(const lms_as_def *d, lms_err *err)
{
	size_t i, total = d->n_fixed;

	if (d->kind != LMS_AS_QUIZ && d->kind != LMS_AS_EXAM)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "kind", "kind must be quiz or exam");
	if (d->n_rules > LMS_AS_MAX_RULES)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "rules",
		                   "at most %d draw rules", LMS_AS_MAX_RULES);
	for (i = 0; i < d->n_rules; i++) {
		if (d->rules[i].count < 1 || d->rules[i].count > LMS_AS_MAX_SLOTS)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "rules",
			                   "rule %zu: count must be 1 to %d", i + 1, LMS_AS_MAX_SLOTS);
		if (!(isfinite(d->rules[i].points) && d->rules[i].points >= 0 && d->rules[i].points <= 1000))
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "rules",
			                   "rule %zu: points must be 0 to 1000", i + 1);
		total += (size_t)d->rules[i].count;
	}
	if (total == 0 || total > LMS_AS_MAX_SLOTS)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "questions",
		                   "a paper has 1 to %d questions", LMS_AS_MAX_SLOTS);
	if (!fraction_ok(d->pass_fraction))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "pass_fraction",
		                   "the pass mark is a share of the points, 0 to 1");
	if (d->time_limit_us < 0 || d->time_limit_us > INT64_C(24) * 3600 * 1000000)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "time_limit",
		                   "the time limit is at most 24 hours");
	if (d->opens_us && d->closes_us && d->closes_us <= d->opens_us)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "closes_at",
		                   "the window closes before it opens");
	if (d->max_attempts < 0)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "max_attempts",
		                   "max_attempts is 0 (unlimited) or more");
	if (d->kind == LMS_AS_EXAM) {
		if (d->max_attempts != 1)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "max_attempts",
			                   "an exam has one attempt (a trainer may grant another, with a reason)");
		if (!d->opens_us || !d->closes_us)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "opens_at",
			                   "an exam has a schedule: opens_at and closes_at");
		if (d->show_answers == LMS_AS_SHOW_AFTER_SUBMIT || d->show_score == LMS_AS_SHOW_AFTER_SUBMIT ||
		    d->show_feedback == LMS_AS_SHOW_AFTER_SUBMIT)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "show_score",
			                   "an exam shows nothing about scoring before its results are published");
	}
	if (d->kind == LMS_AS_QUIZ && (d->grading < LMS_AS_GRADE_HIGHEST || d->grading > LMS_AS_GRADE_LAST))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "grading",
		                   "grading must be highest, average, first or last");
	return LMS_OK;
}

static bool has_tag(const lms_as_candidate *c, const char *tag)
{
	size_t i;

	for (i = 0; i < c->n_tags; i++)
		if (strcmp(c->tags[i], tag) == 0)
			return true;
	return false;
}

/* A category path matches itself and its subcategories ("A/B" matches "A/B" and "A/B/C"). */
static bool in_category(const char *cat, const char *want)
{
	size_t n = strlen(want);

	return cat && strncmp(cat, want, n) == 0 && (cat[n] == '\0' || cat[n] == '/');
}

static bool matches(const lms_as_candidate *c, const lms_as_rule *r)
{
	return (!r->category || !*r->category || in_category(c->category, r->category)) &&
	       (r->difficulty == LMS_QD_NONE || c->difficulty == r->difficulty) &&
	       (!r->tag || !*r->tag || has_tag(c, r->tag));
}

int lms_as_draw(const lms_as_def *d, const lms_as_candidate *pool, size_t n, uint64_t seed,
                lms_arena *a, lms_as_paper *out, lms_err *err)
{
	size_t total = d->n_fixed, i, j, k, ns = 0, nm;
	bool *used = lms_arena_alloc(a, n + 1);
	size_t *match = lms_arena_alloc(a, (n + 1) * sizeof(size_t));
	lms_as_slot *slots;
	uint64_t s = seed;
	int rc;

	if ((rc = lms_as_def_check(d, err)) < 0)
		return rc;
	for (i = 0; i < d->n_rules; i++)
		total += (size_t)d->rules[i].count;
	slots = lms_arena_alloc(a, total * sizeof(*slots));
	for (i = 0; i < d->n_fixed; i++) {
		for (j = 0; j < n && pool[j].question_id != d->fixed[i]; j++)
			;
		if (j == n)
			return lms_err_set(err, LMS_EINVAL, "paper_short", "fixed",
			                   "question %lld of the fixed list is not in the bank (retired?)",
			                   (long long)d->fixed[i]);
		if (used[j])
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "fixed",
			                   "question %lld is twice in the fixed list", (long long)d->fixed[i]);
		used[j] = true;
		slots[ns].question_id = pool[j].question_id;
		slots[ns].version_id = pool[j].version_id;
		slots[ns].points = pool[j].default_mark;
		ns++;
	}
	for (i = 0; i < d->n_rules; i++) {
		const lms_as_rule *r = &d->rules[i];

		for (j = 0, nm = 0; j < n; j++)
			if (!used[j] && matches(&pool[j], r))
				match[nm++] = j;
		if (nm < (size_t)r->count)
			return lms_err_set(err, LMS_EINVAL, "paper_short", "rules",
			                   "rule %zu asks for %d question(s)%s%s%s%s; the bank has %zu "
			                   "not already drawn", i + 1, r->count,
			                   r->category ? " of " : "", r->category ? r->category : "",
			                   r->difficulty ? ", of the chosen difficulty" : "",
			                   r->tag ? ", with the tag" : "", nm);
		/* a partial Fisher-Yates: the first count of a shuffled match list */
		for (k = 0; k < (size_t)r->count; k++) {
			size_t pick = k + below(&s, nm - k), t = match[k];

			match[k] = match[pick];
			match[pick] = t;
			used[match[k]] = true;
			slots[ns].question_id = pool[match[k]].question_id;
			slots[ns].version_id = pool[match[k]].version_id;
			slots[ns].points = r->points > 0 ? r->points : pool[match[k]].default_mark;
			ns++;
		}
	}
	if (d->shuffle_questions)
		for (k = ns; k > 1; k--) {
			size_t pick = below(&s, k);
			lms_as_slot t = slots[k - 1];

			slots[k - 1] = slots[pick];
			slots[pick] = t;
		}
	out->max_points = 0;
	for (k = 0; k < ns; k++) {
		slots[k].layout_seed = next64(&s);
		out->max_points += slots[k].points;
	}
	out->slots = slots;
	out->n_slots = ns;
	return LMS_OK;
}

int64_t lms_as_deadline(const lms_as_def *d, int64_t started_us)
{
	int64_t dl = d->time_limit_us ? started_us + d->time_limit_us : 0;

	if (d->closes_us && (!dl || d->closes_us < dl))
		dl = d->closes_us;
	return dl;
}

int lms_as_may_start(const lms_as_def *d, int64_t now_us, int attempts_used, int extra_granted,
                     lms_err *err)
{
	if (d->opens_us && now_us < d->opens_us)
		return lms_err_set(err, LMS_EFORBIDDEN, "not_open", NULL, "this is not open yet");
	if (d->closes_us && now_us >= d->closes_us)
		return lms_err_set(err, LMS_EFORBIDDEN, "closed", NULL, "this has closed");
	if (d->max_attempts && attempts_used >= d->max_attempts + extra_granted)
		return lms_err_set(err, LMS_ECONFLICT, "no_attempts_left", NULL,
		                   "no attempt left (%d used)", attempts_used);
	return LMS_OK;
}

int lms_as_check_save(const lms_as_paper *p, size_t slot, int64_t now_us, int64_t deadline_us,
                      bool submitted, int64_t rev, int64_t stored_rev, bool *stale, lms_err *err)
{
	*stale = false;
	if (slot >= p->n_slots)
		return lms_err_set(err, LMS_EINVAL, "not_in_paper", "slot",
		                   "this question is not in your paper");
	if (submitted)
		return lms_err_set(err, LMS_ECONFLICT, "attempt_submitted", NULL,
		                   "this attempt was submitted; answers cannot change");
	if (deadline_us && now_us >= deadline_us)
		return lms_err_set(err, LMS_EFORBIDDEN, "deadline_passed", NULL,
		                   "the time is up: answers are no longer saved");
	if (rev <= stored_rev)
		*stale = true;
	return LMS_OK;
}

int lms_as_grade(const lms_as_def *d, const lms_as_paper *p, const lms_question *const *questions,
                 const lms_response *const *responses, lms_arena *a, lms_as_result *out,
                 lms_err *err)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->slots = lms_arena_alloc(a, (p->n_slots + 1) * sizeof(*out->slots));
	for (i = 0; i < p->n_slots; i++) {
		lms_as_slot_grade *g = &out->slots[i];
		lms_err e;

		if (!questions[i])
			return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "slot %zu has no question", i);
		g->answered = responses[i] && responses[i]->kind != LMS_R_NONE;
		if (g->answered && lms_question_grade(questions[i], responses[i], &g->detail, &e) == 0) {
			g->needs_manual = g->detail.needs_manual;
			g->fraction = g->detail.fraction;
		}
		g->points = g->fraction * p->slots[i].points;
		out->points += g->points;
		out->answered += g->answered;
		out->needs_manual |= g->needs_manual;
	}
	out->max_points = p->max_points;
	out->fraction = p->max_points > 0 ? out->points / p->max_points : 0;
	/* a tiny tolerance: 0.7 of 10 points is 7 points, whatever binary floating point says */
	out->passed = out->fraction + 1e-9 >= d->pass_fraction;
	return LMS_OK;
}

double lms_as_final_fraction(lms_as_grading g, const double *f, size_t n)
{
	double best = 0, sum = 0;
	size_t i;

	if (n == 0)
		return 0;
	switch (g) {
	case LMS_AS_GRADE_FIRST:
		return f[0];
	case LMS_AS_GRADE_LAST:
		return f[n - 1];
	case LMS_AS_GRADE_AVERAGE:
		for (i = 0; i < n; i++)
			sum += f[i];
		return sum / (double)n;
	case LMS_AS_GRADE_HIGHEST:
	default:
		for (i = 0; i < n; i++)
			if (f[i] > best)
				best = f[i];
		return best;
	}
}

bool lms_as_may_show(lms_as_show when, int64_t now_us, int64_t closes_us, bool published)
{
	switch (when) {
	case LMS_AS_SHOW_AFTER_SUBMIT: return true;
	case LMS_AS_SHOW_AFTER_CLOSE: return published || (closes_us && now_us >= closes_us);
	case LMS_AS_SHOW_AFTER_PUBLISH: return published;
	case LMS_AS_SHOW_NEVER:
	default: return false;
	}
}

typedef struct rank_key {
	double f;
	int64_t t;
	size_t i;
} rank_key;

static int rank_cmp(const void *a, const void *b)
{
	const rank_key *x = a, *y = b;

	if (x->f != y->f)
		return x->f > y->f ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void lms_as_rank(const double *fraction, const int64_t *time_used_us, size_t n, lms_arena *a,
                 int *rank)
{
	rank_key *k = lms_arena_alloc(a, (n + 1) * sizeof(*k));
	size_t i;

	for (i = 0; i < n; i++) {
		k[i].f = fraction[i];
		k[i].t = time_used_us ? time_used_us[i] : 0;
		k[i].i = i;
	}
	qsort(k, n, sizeof(*k), rank_cmp);
	for (i = 0; i < n; i++)
		rank[k[i].i] = (i > 0 && k[i].f == k[i - 1].f && k[i].t == k[i - 1].t)
		                   ? rank[k[i - 1].i] : (int)i + 1;
}
