/* runtime.c — applying commits to an attempt's run-time state (see runtime.h).
 *
 * A state is rebuilt in a builder: a sorted array of pairs with spare room for the batch,
 * and mutable collection counts that grow as changes are applied, so each change is checked
 * against what the earlier changes of the same batch left. Pairs are never removed except the
 * session-only ones (exit, session_time, adl.nav.request), which no count depends on.
 */
#include "lms/runtime.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	lms_rt_pair *pairs;
	size_t n, cap, bytes;
	lms_cmi_interaction_state *inter;
	bool *inter_seen;               /* load only: a pair of cmi.interactions.n exists */
	int ninter, capinter;
	lms_cmi_objective_state *obj;
	bool *obj_seen;
	int nobj, capobj;
	bool *com_seen;
	int comments, capcom;
};

enum ekind {
	E_NONE,
	E_INTER,        /* cmi.interactions.n.<other> */
	E_INTER_ID,
	E_INTER_TYPE,
	E_INTER_OBJ_ID, /* cmi.interactions.n.objectives.m.id */
	E_INTER_CR,     /* cmi.interactions.n.correct_responses.m.pattern */
	E_OBJ,
	E_OBJ_ID,
	E_COMMENT
};

/* Reads a canonical index at *s (digits, no leading zero) followed by '.'; advances *s past
 * the dot. Indexes above INT_MAX fail. */
static bool read_index(const char **s, int *out)
{
	const char *p = *s;
	long v = 0;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return false;
	}
	if (*p != '.')
		return false;
	*out = (int)v;
	*s = p + 1;
	return true;
}

static bool skip(const char **s, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*s, lit, n) != 0)
		return false;
	*s += n;
	return true;
}

/* Which collection element el names, with its indexes. */
static enum ekind classify(const char *el, int *n, int *m)
{
	const char *s = el;

	*n = *m = 0;
	if (skip(&s, "cmi.interactions.")) {
		if (!read_index(&s, n))
			return E_NONE;
		if (strcmp(s, "id") == 0)
			return E_INTER_ID;
		if (strcmp(s, "type") == 0)
			return E_INTER_TYPE;
		if (skip(&s, "objectives.") && read_index(&s, m) && strcmp(s, "id") == 0)
			return E_INTER_OBJ_ID;
		s = el;
		if (skip(&s, "cmi.interactions.") && read_index(&s, n) &&
		    skip(&s, "correct_responses.") && read_index(&s, m) && strcmp(s, "pattern") == 0)
			return E_INTER_CR;
		return E_INTER;
	}
	if (skip(&s, "cmi.objectives."))
		return !read_index(&s, n) ? E_NONE : strcmp(s, "id") == 0 ? E_OBJ_ID : E_OBJ;
	if (skip(&s, "cmi.comments_from_learner."))
		return read_index(&s, n) ? E_COMMENT : E_NONE;
	return E_NONE;
}

/* Records that el now has value (counts only grow). Returns false when an index does not fit
 * the builder's capacity (load: more collection entries than pairs). */
static bool note(struct builder *b, lms_cmi_version v, const char *el, const char *value)
{
	int n, m;
	enum ekind k = classify(el, &n, &m);

	switch (k) {
	case E_NONE:
		return true;
	case E_COMMENT:
		if (n >= b->capcom)
			return false;
		if (n + 1 > b->comments)
			b->comments = n + 1;
		if (b->com_seen)
			b->com_seen[n] = true;
		return true;
	case E_OBJ:
	case E_OBJ_ID:
		if (n >= b->capobj)
			return false;
		if (n + 1 > b->nobj)
			b->nobj = n + 1;
		if (b->obj_seen)
			b->obj_seen[n] = true;
		if (k == E_OBJ_ID)
			b->obj[n].has_id = true;
		return true;
	default:
		break;
	}
	if (n >= b->capinter)
		return false;
	if (n + 1 > b->ninter)
		b->ninter = n + 1;
	if (b->inter_seen)
		b->inter_seen[n] = true;
	lms_cmi_interaction_state *st = &b->inter[n];
	if (k == E_INTER_ID)
		st->has_id = true;
	else if (k == E_INTER_TYPE)
		st->type = lms_cmi_itype_parse(v, value);
	else if (k == E_INTER_OBJ_ID || k == E_INTER_CR) {
		int *c = k == E_INTER_OBJ_ID ? &st->objectives : &st->correct_responses;
		if (m >= (int)b->cap)
			return false;
		if (m + 1 > *c)
			*c = m + 1;
	}
	return true;
}

/* Binary search: true when found; *at is its position or where it would go. */
static bool find(const lms_rt_pair *p, size_t n, const char *el, size_t *at)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p[mid].element, el);
		if (c == 0) {
			*at = mid;
			return true;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return false;
}

static int clamp_int(size_t x)
{
	return x > LMS_RT_MAX_PAIRS ? LMS_RT_MAX_PAIRS : (int)x;
}

/* A builder holding cur's pairs and counts, with room for `extra` more pairs. */
static void builder_from(struct builder *b, const lms_rt_state *cur, size_t extra,
                         lms_arena *a)
{
	static const lms_rt_state empty;
	const lms_cmi_counts *c;

	if (!cur)
		cur = &empty;
	c = &cur->counts;
	memset(b, 0, sizeof *b);
	b->cap = cur->n + (extra > LMS_RT_MAX_PAIRS ? LMS_RT_MAX_PAIRS : extra);
	b->pairs = lms_arena_alloc(a, (b->cap ? b->cap : 1) * sizeof *b->pairs);
	if (cur->n)
		memcpy(b->pairs, cur->pairs, cur->n * sizeof *b->pairs);
	b->n = cur->n;
	b->bytes = cur->bytes;
	b->capinter = c->interactions + clamp_int(extra);
	b->inter = lms_arena_alloc(a, ((size_t)b->capinter + 1) * sizeof *b->inter);
	if (c->interactions)
		memcpy(b->inter, c->interaction, (size_t)c->interactions * sizeof *b->inter);
	b->ninter = c->interactions;
	b->capobj = c->objectives + clamp_int(extra);
	b->obj = lms_arena_alloc(a, ((size_t)b->capobj + 1) * sizeof *b->obj);
	if (c->objectives)
		memcpy(b->obj, c->objective, (size_t)c->objectives * sizeof *b->obj);
	b->nobj = c->objectives;
	b->comments = c->comments_from_learner;
	b->capcom = b->comments + clamp_int(extra);
}

static void builder_done(const struct builder *b, lms_rt_state *out)
{
	out->pairs = b->pairs;
	out->n = b->n;
	out->bytes = b->bytes;
	out->counts.interactions = b->ninter;
	out->counts.interaction = b->ninter ? b->inter : NULL;
	out->counts.objectives = b->nobj;
	out->counts.objective = b->nobj ? b->obj : NULL;
	out->counts.comments_from_learner = b->comments;
}

/* Sets el to value (copied into a); the caller has checked capacity and limits. */
static void put(struct builder *b, lms_cmi_version v, const char *el, const char *value,
                lms_arena *a)
{
	size_t at;
	char *val = lms_arena_strdup(a, value);

	if (find(b->pairs, b->n, el, &at)) {
		b->bytes = b->bytes - strlen(b->pairs[at].value) + strlen(value);
		b->pairs[at].value = val;
	} else {
		assert(b->n < b->cap);
		memmove(&b->pairs[at + 1], &b->pairs[at], (b->n - at) * sizeof *b->pairs);
		b->pairs[at].element = lms_arena_strdup(a, el);
		b->pairs[at].value = val;
		b->n++;
		b->bytes += strlen(el) + strlen(value);
	}
	bool ok = note(b, v, el, value);
	assert(ok);
	(void)ok;
}

static void drop(struct builder *b, const char *el)
{
	size_t at;

	if (!find(b->pairs, b->n, el, &at))
		return;
	b->bytes -= strlen(b->pairs[at].element) + strlen(b->pairs[at].value);
	memmove(&b->pairs[at], &b->pairs[at + 1], (b->n - at - 1) * sizeof *b->pairs);
	b->n--;
}

static const char *bget(const struct builder *b, const char *el)
{
	size_t at;
	return find(b->pairs, b->n, el, &at) ? b->pairs[at].value : NULL;
}

const char *lms_rt_get(const lms_rt_state *st, const char *element)
{
	size_t at;

	assert(element);
	if (!st || !st->n)
		return NULL;
	return find(st->pairs, st->n, element, &at) ? st->pairs[at].value : NULL;
}

static int cmp_pair(const void *x, const void *y)
{
	return strcmp(((const lms_rt_pair *)x)->element, ((const lms_rt_pair *)y)->element);
}

int lms_rt_state_load(lms_cmi_version v, const lms_rt_pair *pairs, size_t n, lms_arena *a,
                      lms_rt_state *out, lms_err *err)
{
	struct builder b;
	size_t bytes = 0;

	assert(a && out && (pairs || n == 0));
	if (v != LMS_CMI_12 && v != LMS_CMI_2004)
		return lms_err_set(err, LMS_EINVAL, NULL, "version", "unknown SCORM version");
	if (n > LMS_RT_MAX_PAIRS)
		return lms_err_set(err, LMS_ETOOBIG, NULL, "state", "more than %d elements",
		                   LMS_RT_MAX_PAIRS);
	for (size_t i = 0; i < n; i++) {
		assert(pairs[i].element && pairs[i].value);
		bytes += strlen(pairs[i].element) + strlen(pairs[i].value);
		if (bytes > LMS_RT_MAX_BYTES)
			return lms_err_set(err, LMS_ETOOBIG, NULL, "state", "state over %u bytes",
			                   LMS_RT_MAX_BYTES);
	}
	memset(&b, 0, sizeof b);
	b.cap = n;
	b.pairs = lms_arena_alloc(a, (n ? n : 1) * sizeof *b.pairs);
	b.capinter = b.capobj = b.capcom = (int)n;
	b.inter = lms_arena_alloc(a, (n + 1) * sizeof *b.inter);
	b.inter_seen = lms_arena_alloc(a, (n + 1) * sizeof *b.inter_seen);
	b.obj = lms_arena_alloc(a, (n + 1) * sizeof *b.obj);
	b.obj_seen = lms_arena_alloc(a, (n + 1) * sizeof *b.obj_seen);
	b.com_seen = lms_arena_alloc(a, (n + 1) * sizeof *b.com_seen);
	for (size_t i = 0; i < n; i++) {
		b.pairs[i].element = lms_arena_strdup(a, pairs[i].element);
		b.pairs[i].value = lms_arena_strdup(a, pairs[i].value);
	}
	b.n = n;
	b.bytes = bytes;
	if (n)
		qsort(b.pairs, n, sizeof *b.pairs, cmp_pair);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(b.pairs[i - 1].element, b.pairs[i].element) == 0)
			return lms_err_set(err, LMS_EINVAL, NULL, "state", "element %.100s twice",
			                   b.pairs[i].element);
		if (!note(&b, v, b.pairs[i].element, b.pairs[i].value))
			return lms_err_set(err, LMS_EINVAL, NULL, "state", "index out of order in %.100s",
			                   b.pairs[i].element);
	}
	for (int i = 0; i < b.ninter; i++)
		if (!b.inter_seen[i])
			return lms_err_set(err, LMS_EINVAL, NULL, "state", "interaction %d missing", i);
	for (int i = 0; i < b.nobj; i++)
		if (!b.obj_seen[i])
			return lms_err_set(err, LMS_EINVAL, NULL, "state", "objective %d missing", i);
	for (int i = 0; i < b.comments; i++)
		if (!b.com_seen[i])
			return lms_err_set(err, LMS_EINVAL, NULL, "state", "comment %d missing", i);
	b.inter_seen = b.obj_seen = b.com_seen = NULL;
	builder_done(&b, out);
	return 0;
}

/* The 2004 id rules the validator leaves to state. 0 or 351. */
static int check_ids(const struct builder *b, const char *el, const char *value)
{
	char buf[80];
	const char *old;
	int n, m;
	enum ekind k = classify(el, &n, &m);

	if (k != E_INTER_ID && k != E_OBJ_ID && k != E_INTER_OBJ_ID)
		return 0;
	old = bget(b, el);
	if (old && strcmp(old, value) != 0 && k != E_INTER_OBJ_ID)
		return LMS_SCORM2004_GENERAL_SET;
	if (k == E_OBJ_ID) {
		for (int i = 0; i < b->nobj; i++) {
			if (i == n)
				continue;
			snprintf(buf, sizeof buf, "cmi.objectives.%d.id", i);
			old = bget(b, buf);
			if (old && strcmp(old, value) == 0)
				return LMS_SCORM2004_GENERAL_SET;
		}
	} else if (k == E_INTER_OBJ_ID && n < b->ninter) {
		for (int i = 0; i < b->inter[n].objectives; i++) {
			if (i == m)
				continue;
			snprintf(buf, sizeof buf, "cmi.interactions.%d.objectives.%d.id", n, i);
			old = bget(b, buf);
			if (old && strcmp(old, value) == 0)
				return LMS_SCORM2004_GENERAL_SET;
		}
	}
	return 0;
}

int lms_rt_apply(lms_cmi_version v, const lms_rt_state *cur, const lms_rt_change *changes,
                 size_t n, lms_arena *a, lms_rt_state *next, int *results, lms_err *err)
{
	struct builder b;
	lms_cmi_counts c;

	assert(a && next && (n == 0 || (changes && results)));
	if (v != LMS_CMI_12 && v != LMS_CMI_2004)
		return lms_err_set(err, LMS_EINVAL, NULL, "version", "unknown SCORM version");
	builder_from(&b, cur, n, a);
	for (size_t i = 0; i < n; i++) {
		const char *el = changes[i].element, *val = changes[i].value;
		int se = 0;
		size_t at;

		assert(el && val);
		c.interactions = b.ninter;
		c.interaction = b.inter;
		c.objectives = b.nobj;
		c.objective = b.obj;
		c.comments_from_learner = b.comments;
		if (lms_cmi_check_set(v, el, val, &c, &se) < 0) {
			results[i] = se;
			continue;
		}
		if (v == LMS_CMI_2004 && (se = check_ids(&b, el, val)) != 0) {
			results[i] = se;
			continue;
		}
		bool found = find(b.pairs, b.n, el, &at);
		size_t bytes = b.bytes + strlen(val) +
		               (found ? 0 : strlen(el)) - (found ? strlen(b.pairs[at].value) : 0);
		if ((!found && (b.n >= b.cap || b.n >= LMS_RT_MAX_PAIRS)) ||
		    bytes > LMS_RT_MAX_BYTES) {
			results[i] = v == LMS_CMI_12 ? LMS_SCORM12_GENERAL : LMS_SCORM2004_GENERAL_SET;
			continue;
		}
		put(&b, v, el, val, a);
		results[i] = 0;
	}
	builder_done(&b, next);
	return 0;
}

int lms_rt_finish(lms_cmi_version v, const lms_rt_state *cur, lms_arena *a,
                  lms_rt_state *next, int64_t *session_cs, lms_err *err)
{
	const bool v12 = v == LMS_CMI_12;
	const char *sel = v12 ? "cmi.core.session_time" : "cmi.session_time";
	const char *tel = v12 ? "cmi.core.total_time" : "cmi.total_time";
	const char *s, *t;
	int64_t scs = 0, tcs = 0;
	char buf[32];
	struct builder b;
	int rc;

	assert(a && next);
	if (v != LMS_CMI_12 && v != LMS_CMI_2004)
		return lms_err_set(err, LMS_EINVAL, NULL, "version", "unknown SCORM version");
	s = lms_rt_get(cur, sel);
	t = lms_rt_get(cur, tel);
	if (s && !(v12 ? lms_cmi_parse_timespan12(s, &scs) : lms_cmi_parse_duration(s, &scs)))
		return lms_err_set(err, LMS_EINVAL, NULL, sel, "stored session time does not parse");
	if (t && !(v12 ? lms_cmi_parse_timespan12(t, &tcs) : lms_cmi_parse_duration(t, &tcs)))
		return lms_err_set(err, LMS_EINVAL, NULL, tel, "stored total time does not parse");
	tcs = tcs > INT64_MAX - scs ? INT64_MAX : tcs + scs;
	rc = v12 ? lms_cmi_format_timespan12(tcs, buf, sizeof buf)
	         : lms_cmi_format_duration(tcs, buf, sizeof buf);
	if (rc < 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, tel, "total time does not format");
	builder_from(&b, cur, 1, a);
	drop(&b, sel);
	put(&b, v, tel, buf, a);
	builder_done(&b, next);
	if (session_cs)
		*session_cs = scs;
	return 0;
}

lms_rt_entry lms_rt_next_entry(lms_cmi_version v, const lms_rt_state *last)
{
	const char *exit, *nav;

	if (!last)
		return LMS_RT_AB_INITIO;
	exit = lms_rt_get(last, v == LMS_CMI_12 ? "cmi.core.exit" : "cmi.exit");
	if (exit && strcmp(exit, "suspend") == 0)
		return LMS_RT_RESUME;
	if (v == LMS_CMI_2004) {
		nav = lms_rt_get(last, "adl.nav.request");
		if (nav && strcmp(nav, "suspendAll") == 0)
			return LMS_RT_RESUME;
	}
	return LMS_RT_AB_INITIO;
}

int lms_rt_begin(lms_cmi_version v, const lms_rt_state *last, lms_arena *a,
                 lms_rt_state *next, lms_rt_entry *entry, lms_err *err)
{
	const bool v12 = v == LMS_CMI_12;
	struct builder b;
	lms_rt_entry e;

	assert(a && next);
	if (v != LMS_CMI_12 && v != LMS_CMI_2004)
		return lms_err_set(err, LMS_EINVAL, NULL, "version", "unknown SCORM version");
	e = lms_rt_next_entry(v, last);
	builder_from(&b, e == LMS_RT_RESUME ? last : NULL, 1, a);
	drop(&b, v12 ? "cmi.core.exit" : "cmi.exit");
	drop(&b, v12 ? "cmi.core.session_time" : "cmi.session_time");
	drop(&b, "adl.nav.request");
	put(&b, v, v12 ? "cmi.core.entry" : "cmi.entry",
	    e == LMS_RT_RESUME ? "resume" : "ab-initio", a);
	builder_done(&b, next);
	if (entry)
		*entry = e;
	return 0;
}
