/* sequencing_state.c — a learner's tracking state as a compact, versioned line format
 * (no JSON in lms-core), and its strict, crash-free reader.
 *
 *   parlearn-seq 1
 *   cur <act>                              the current activity (absent: none)
 *   susp <act>                             the suspended activity (absent: none)
 *   a <act> <attempts> <flags> <amount> <st12>
 *        flags: t attempted, p progress known, c completed, m amount known, A active,
 *               S suspended ("-" for none); st12: a 1.2 status name or "-"
 *   o <act> <objective> <flags> <measure>  flags: k status known, s satisfied, m measure
 *                                          known; objective: its objectiveID, or #<n>
 *   g <global objective id> <flags> <measure>
 *   end
 *
 * <act> is the item identifier, "/" for the organisation. Identifiers are %-escaped (every
 * byte outside '!'..'~', and % / #), "%" alone is the empty string. Only non-default state
 * is written. The reader refuses anything else (a truncated text lacks "end"), skips lines
 * naming things the tree does not have (a re-imported package), and restores the previous
 * state on any error.
 */
#include "sequencing_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQ_STATE_HEADER "parlearn-seq 1"
#define SQ_MAX_LINE 20000
#define SQ_MAX_TOKENS 7

/* ---- writing ---- */

typedef struct sbuf {
	lms_arena *a;
	char *s;
	size_t n, cap;
} sbuf;

static void put(sbuf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *bigger;
		while (cap < b->n + len + 1)
			cap *= 2;
		bigger = lms_arena_alloc(b->a, cap);
		if (b->n)
			memcpy(bigger, b->s, b->n);
		b->s = bigger;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_id(sbuf *b, const char *id)
{
	static const char hex[] = "0123456789ABCDEF";

	put(b, " ", 1);
	if (!*id) {
		put(b, "%", 1);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if (*p <= ' ' || *p > '~' || *p == '%' || *p == '/' || *p == '#') {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			put(b, e, 3);
		} else {
			put(b, (const char *)p, 1);
		}
	}
}

static void put_act(sbuf *b, const lms_seq_tree *t, int act)
{
	if (act == 0)
		puts_(b, " /");
	else
		put_id(b, t->acts[act].identifier);
}

static void put_num(sbuf *b, double d)
{
	char num[40];
	snprintf(num, sizeof(num), " %.10g", d);
	puts_(b, num);
}

static void put_flags(sbuf *b, const char *letters, const bool *on, size_t n)
{
	char f[8];
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (on[i])
			f[k++] = letters[i];
	if (k == 0)
		f[k++] = '-';
	f[k] = '\0';
	put(b, " ", 1);
	puts_(b, f);
}

const char *lms_seq_state_dump(const lms_seq_tree *t, lms_arena *a)
{
	sbuf b = {a, NULL, 0, 0};

	puts_(&b, SQ_STATE_HEADER "\n");
	if (t->st.current >= 0) {
		puts_(&b, "cur");
		put_act(&b, t, t->st.current);
		puts_(&b, "\n");
	}
	if (t->st.suspended >= 0) {
		puts_(&b, "susp");
		put_act(&b, t, t->st.suspended);
		puts_(&b, "\n");
	}
	for (size_t i = 0; i < t->n; i++) {
		const sq_act_state *s = &t->st.act[i];
		bool f[6] = {s->attempted, s->prog_known, s->completed, s->amount_known, s->active,
		             s->suspended};
		char att[24];

		if (!s->attempts && !f[0] && !f[1] && !f[2] && !f[3] && !f[4] && !f[5] &&
		    s->st12 == LMS_SEQ_NOT_ATTEMPTED)
			continue;
		puts_(&b, "a");
		put_act(&b, t, (int)i);
		snprintf(att, sizeof(att), " %d", s->attempts);
		puts_(&b, att);
		put_flags(&b, "tpcmAS", f, 6);
		put_num(&b, s->amount);
		puts_(&b, " ");
		puts_(&b, s->st12 == LMS_SEQ_NOT_ATTEMPTED ? "-" : lms_seq_status_name(s->st12));
		puts_(&b, "\n");
	}
	for (size_t i = 0; i < t->n; i++) {
		const sq_def *d = &t->acts[i].def;
		for (size_t k = 0; k < d->n_obj; k++) {
			const sq_obj_state *o = &t->st.obj[t->acts[i].obj_base + k];
			bool f[3] = {o->known, o->satisfied, o->measure_known};
			if (!f[0] && !f[1] && !f[2])
				continue;
			puts_(&b, "o");
			put_act(&b, t, (int)i);
			if (d->obj[k].id) {
				put_id(&b, d->obj[k].id);
			} else {
				char idx[24];
				snprintf(idx, sizeof(idx), " #%zu", k);
				puts_(&b, idx);
			}
			put_flags(&b, "ksm", f, 3);
			put_num(&b, o->measure);
			puts_(&b, "\n");
		}
	}
	for (size_t g = 0; g < t->globals.n; g++) {
		const sq_obj_state *o = &t->st.glob[g];
		bool f[3] = {o->known, o->satisfied, o->measure_known};
		if (!f[0] && !f[2])
			continue;
		puts_(&b, "g");
		put_id(&b, t->globals.ids[g]);
		put_flags(&b, "ksm", f, 3);
		put_num(&b, o->measure);
		puts_(&b, "\n");
	}
	puts_(&b, "end\n");
	return b.s;
}

/* ---- reading ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes a %-escaped token in place; false when damaged. */
static bool unescape(char *s)
{
	char *w = s;

	if (strcmp(s, "%") == 0) {
		*s = '\0';
		return true;
	}
	for (char *r = s; *r; r++) {
		if (*r == '%') {
			int h = hexval(r[1]), l = h < 0 ? -1 : hexval(r[2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return false;
			*w++ = (char)(h * 16 + l);
			r += 2;
		} else if ((unsigned char)*r <= ' ' || (unsigned char)*r > '~' || *r == '/' ||
		           *r == '#') {
			return false;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return true;
}

/* The activity a token names: 0 for "/", -1 unknown, -2 damaged. */
static int act_of(const lms_seq_tree *t, char *tok)
{
	if (strcmp(tok, "/") == 0)
		return 0;
	if (!unescape(tok))
		return -2;
	for (size_t i = 1; i < t->n; i++)
		if (strcmp(t->acts[i].identifier, tok) == 0)
			return (int)i;
	return -1;
}

static bool flags(const char *tok, const char *letters, bool *on, size_t n)
{
	memset(on, 0, n * sizeof(*on));
	if (strcmp(tok, "-") == 0)
		return true;
	for (const char *p = tok; *p; p++) {
		const char *at = strchr(letters, *p);
		size_t i;
		if (!at)
			return false;
		i = (size_t)(at - letters);
		if (on[i])
			return false;
		on[i] = true;
	}
	return *tok != '\0';
}

static bool number(const char *tok, double lo, double hi, double *out)
{
	char *end;
	double d;

	if (!*tok)
		return false;
	d = strtod(tok, &end);
	if (*end || !isfinite(d) || d < lo || d > hi)
		return false;
	*out = d;
	return true;
}

static bool count(const char *tok, int *out)
{
	long v = 0;

	if (!*tok || strlen(tok) > 7)
		return false;
	for (const char *p = tok; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	*out = (int)v;
	return true;
}

static bool st12_of(const char *tok, lms_seq_status *out)
{
	static const lms_seq_status all[] = {LMS_SEQ_INCOMPLETE, LMS_SEQ_COMPLETED, LMS_SEQ_PASSED,
	                                     LMS_SEQ_FAILED, LMS_SEQ_BROWSED};

	if (strcmp(tok, "-") == 0) {
		*out = LMS_SEQ_NOT_ATTEMPTED;
		return true;
	}
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(tok, lms_seq_status_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	return false;
}

/* One line (NUL-terminated, writable); 1 at "end", 0 otherwise, -1 when damaged. */
static int read_line(lms_seq_tree *t, char *line)
{
	char *tok[SQ_MAX_TOKENS];
	size_t nt = 0;
	char *p = line;
	bool f[6];
	double d;

	for (;;) {
		char *sp = strchr(p, ' ');
		if (nt == SQ_MAX_TOKENS)
			return -1;
		tok[nt++] = p;
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	for (size_t i = 0; i < nt; i++)
		if (!*tok[i])
			return -1;
	if (strcmp(tok[0], "end") == 0)
		return nt == 1 ? 1 : -1;
	if (strcmp(tok[0], "cur") == 0 || strcmp(tok[0], "susp") == 0) {
		int act;
		if (nt != 2 || (act = act_of(t, tok[1])) == -2)
			return -1;
		if (tok[0][0] == 'c')
			t->st.current = act;
		else
			t->st.suspended = act;
		return 0;
	}
	if (strcmp(tok[0], "a") == 0) {
		sq_act_state s = {0};
		int act;
		if (nt != 6 || (act = act_of(t, tok[1])) == -2 || !count(tok[2], &s.attempts) ||
		    !flags(tok[3], "tpcmAS", f, 6) || !number(tok[4], 0, 1, &s.amount) ||
		    !st12_of(tok[5], &s.st12))
			return -1;
		s.attempted = f[0];
		s.prog_known = f[1];
		s.completed = f[2];
		s.amount_known = f[3];
		s.active = f[4];
		s.suspended = f[5];
		if (act >= 0)
			t->st.act[act] = s;
		return 0;
	}
	if (strcmp(tok[0], "o") == 0) {
		int act, oi = -1;
		if (nt != 5 || (act = act_of(t, tok[1])) == -2 || !flags(tok[3], "ksm", f, 3) ||
		    !number(tok[4], -1, 1, &d))
			return -1;
		if (tok[2][0] == '#') {
			int k;
			if (!count(tok[2] + 1, &k))
				return -1;
			if (act >= 0 && (size_t)k < t->acts[act].def.n_obj && !t->acts[act].def.obj[k].id)
				oi = k;
		} else {
			if (!unescape(tok[2]))
				return -1;
			for (size_t k = 0; act >= 0 && k < t->acts[act].def.n_obj; k++)
				if (t->acts[act].def.obj[k].id &&
				    strcmp(t->acts[act].def.obj[k].id, tok[2]) == 0)
					oi = (int)k;
		}
		if (act >= 0 && oi >= 0) {
			sq_obj_state *o = sq_obj(t, act, oi);
			o->known = f[0];
			o->satisfied = f[1];
			o->measure_known = f[2];
			o->measure = d;
		}
		return 0;
	}
	if (strcmp(tok[0], "g") == 0) {
		if (nt != 4 || !unescape(tok[1]) || !flags(tok[2], "ksm", f, 3) ||
		    !number(tok[3], -1, 1, &d))
			return -1;
		for (size_t g = 0; g < t->globals.n; g++)
			if (strcmp(t->globals.ids[g], tok[1]) == 0) {
				t->st.glob[g].known = f[0];
				t->st.glob[g].satisfied = f[1];
				t->st.glob[g].measure_known = f[2];
				t->st.glob[g].measure = d;
			}
		return 0;
	}
	return -1;
}

static void fresh(lms_seq_tree *t)
{
	memset(t->st.act, 0, t->n * sizeof(*t->st.act));
	memset(t->st.obj, 0, (t->n_obj ? t->n_obj : 1) * sizeof(*t->st.obj));
	memset(t->st.glob, 0, (t->globals.n ? t->globals.n : 1) * sizeof(*t->st.glob));
	t->st.current = -1;
	t->st.suspended = -1;
}

int lms_seq_state_load(lms_seq_tree *t, const char *text, lms_err *err)
{
	lms_arena *scratch = NULL;
	lms_seq_tree *backup;
	char *buf, *line;
	size_t len, lineno = 0;
	bool ended = false;
	int rc = 0;

	if (!text || !*text) {
		fresh(t);
		return 0;
	}
	{
		const char *nul = memchr(text, '\0', (size_t)LMS_SEQ_MAX_STATE + 1);
		len = nul ? (size_t)(nul - text) : (size_t)LMS_SEQ_MAX_STATE + 1;
	}
	if (len > LMS_SEQ_MAX_STATE)
		return lms_err_set(err, LMS_ETOOBIG, "sequencing_state_too_big", NULL,
		                   "the sequencing state is over %u bytes", LMS_SEQ_MAX_STATE);
	scratch = lms_arena_new();
	backup = sq_clone(t, scratch);
	buf = lms_arena_strndup(scratch, text, len);
	fresh(t);
	line = buf;
	while (*line) {
		char *nl = strchr(line, '\n');
		size_t ll;
		int r;

		if (!nl) {
			rc = -1; /* every line ends with a newline: a cut text */
			break;
		}
		*nl = '\0';
		ll = (size_t)(nl - line);
		if (ll > 0 && line[ll - 1] == '\r')
			line[--ll] = '\0';
		lineno++;
		if (ended || ll > SQ_MAX_LINE) {
			rc = -1;
			break;
		}
		if (lineno == 1) {
			if (strcmp(line, SQ_STATE_HEADER) != 0) {
				rc = -1;
				break;
			}
		} else if ((r = read_line(t, line)) < 0) {
			rc = -1;
			break;
		} else if (r == 1) {
			ended = true;
		}
		line = nl + 1;
	}
	if (rc == 0 && !ended)
		rc = -1;
	if (rc == 0 && t->st.current >= 0 && t->st.suspended >= 0)
		rc = -1; /* a suspended session has no current activity */
	if (rc < 0) {
		sq_copy_state(t, backup);
		rc = lms_err_set(err, LMS_EINVAL, "sequencing_state_invalid", NULL,
		                 "the sequencing state is damaged (line %zu)", lineno);
	}
	lms_arena_free(scratch);
	return rc;
}
