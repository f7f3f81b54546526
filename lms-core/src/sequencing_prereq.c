/* sequencing_prereq.c — SCORM 1.2 adlcp:prerequisites, an AICC script (CMI001 "Prerequisite
 * script"), parsed once into a small tree and evaluated against the items' 1.2 statuses.
 *
 * Grammar (recursive descent, nesting capped at SQ_PREREQ_DEPTH, text at 4,096 bytes):
 *   expr    := and ('|' and)*            -- '&' binds tighter than '|' (as Moodle and most
 *   and     := unary ('&' unary)*            LMSs read it; AICC gives no precedence)
 *   unary   := '~' unary | primary
 *   primary := '(' expr ')' | COUNT '*' '{' ident (',' ident)* '}' | ident [('=' | '<>') status]
 *   status  := passed | completed | failed | incomplete | browsed | not attempted
 *              (or p c f i b n; optionally in double quotes; letter case ignored)
 * An identifier alone is met when that item is passed or completed; the set is met when
 * at least COUNT of its identifiers are. Identifiers are the item identifiers of the
 * manifest; an unknown one makes the whole script unusable (the caller ignores it).
 */
#include "sequencing_int.h"

#include <string.h>
#include <strings.h>

#define SQ_PREREQ_DEPTH 32
#define SQ_PREREQ_MAX 4096

typedef enum { P_ID, P_EQ, P_NE, P_NOT, P_AND, P_OR, P_SET } p_kind;

struct sq_prereq {
	p_kind k;
	int act;                /* P_ID, P_EQ, P_NE */
	lms_seq_status st;      /* P_EQ, P_NE */
	struct sq_prereq *a, *b;/* P_NOT (a), P_AND, P_OR */
	int *set;               /* P_SET */
	size_t n_set;
	int count;
};

typedef struct pp {
	const char *s;
	size_t i, len;
	int depth;
	lms_arena *a;
	sq_lookup_fn lookup;
	const void *ud;
	const char *why;
} pp;

static void ws(pp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
	                         p->s[p->i] == '\r'))
		p->i++;
}

static bool id_char(char c)
{
	return c && !strchr(" \t\r\n&|~()=<>{},*\"", c);
}

static sq_prereq *node(pp *p, p_kind k)
{
	sq_prereq *n = lms_arena_alloc(p->a, sizeof(*n));
	n->k = k;
	return n;
}

static sq_prereq *fail(pp *p, const char *why)
{
	if (!p->why)
		p->why = why;
	return NULL;
}

/* An identifier token: [start, start+len). */
static bool token(pp *p, size_t *start, size_t *len)
{
	ws(p);
	*start = p->i;
	while (p->i < p->len && id_char(p->s[p->i]))
		p->i++;
	*len = p->i - *start;
	return *len > 0;
}

static int resolve(pp *p, size_t start, size_t len)
{
	int act = p->lookup(p->ud, p->s + start, len);
	if (act < 0)
		fail(p, "it names an item the course does not have");
	return act;
}

static bool status_word(pp *p, lms_seq_status *st)
{
	static const struct {
		const char *w;
		lms_seq_status st;
	} words[] = {
		{"passed", LMS_SEQ_PASSED}, {"p", LMS_SEQ_PASSED},
		{"completed", LMS_SEQ_COMPLETED}, {"c", LMS_SEQ_COMPLETED},
		{"failed", LMS_SEQ_FAILED}, {"f", LMS_SEQ_FAILED},
		{"incomplete", LMS_SEQ_INCOMPLETE}, {"i", LMS_SEQ_INCOMPLETE},
		{"browsed", LMS_SEQ_BROWSED}, {"b", LMS_SEQ_BROWSED},
		{"not attempted", LMS_SEQ_NOT_ATTEMPTED}, {"not_attempted", LMS_SEQ_NOT_ATTEMPTED},
		{"n", LMS_SEQ_NOT_ATTEMPTED},
	};
	char w[32];
	size_t k = 0;
	bool quoted;

	ws(p);
	quoted = p->i < p->len && p->s[p->i] == '"';
	if (quoted)
		p->i++;
	while (p->i < p->len && k + 1 < sizeof(w)) {
		char c = p->s[p->i];
		if (quoted ? c == '"' : !id_char(c))
			break;
		w[k++] = c;
		p->i++;
	}
	w[k] = '\0';
	/* "not attempted" unquoted: two words */
	if (!quoted && strcasecmp(w, "not") == 0) {
		size_t save = p->i, s0, l0;
		if (token(p, &s0, &l0) && l0 == 9 && strncasecmp(p->s + s0, "attempted", 9) == 0)
			memcpy(w, "not attempted", 14);
		else
			p->i = save;
	}
	if (quoted) {
		if (p->i >= p->len || p->s[p->i] != '"')
			return false;
		p->i++;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(w, words[i].w) == 0) {
			*st = words[i].st;
			return true;
		}
	return false;
}

static sq_prereq *expr(pp *p);

static sq_prereq *primary(pp *p)
{
	size_t start, len;
	sq_prereq *n;

	ws(p);
	if (p->i >= p->len)
		return fail(p, "it ends too early");
	if (p->s[p->i] == '(') {
		p->i++;
		if (!(n = expr(p)))
			return NULL;
		ws(p);
		if (p->i >= p->len || p->s[p->i] != ')')
			return fail(p, "a parenthesis is not closed");
		p->i++;
		return n;
	}
	if (!token(p, &start, &len))
		return fail(p, "an identifier is expected");
	ws(p);
	if (p->i < p->len && p->s[p->i] == '*') {
		/* COUNT*{a,b,c} */
		int count = 0;
		size_t cap = 8;

		for (size_t i = start; i < start + len; i++) {
			if (p->s[i] < '0' || p->s[i] > '9' || count > 100000)
				return fail(p, "a set count is not a number");
			count = count * 10 + (p->s[i] - '0');
		}
		p->i++;
		ws(p);
		if (p->i >= p->len || p->s[p->i] != '{')
			return fail(p, "'{' is expected after the set count");
		p->i++;
		n = node(p, P_SET);
		n->count = count;
		n->set = lms_arena_alloc(p->a, cap * sizeof(int));
		for (;;) {
			size_t s1, l1;
			int act;
			if (!token(p, &s1, &l1))
				return fail(p, "a set member is expected");
			if ((act = resolve(p, s1, l1)) < 0)
				return NULL;
			if (n->n_set == cap) {
				int *bigger = lms_arena_alloc(p->a, 2 * cap * sizeof(int));
				memcpy(bigger, n->set, cap * sizeof(int));
				n->set = bigger;
				cap *= 2;
			}
			n->set[n->n_set++] = act;
			ws(p);
			if (p->i < p->len && p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			if (p->i < p->len && p->s[p->i] == '}') {
				p->i++;
				break;
			}
			return fail(p, "a set is not closed with '}'");
		}
		return n;
	}
	{
		int act = resolve(p, start, len);
		if (act < 0)
			return NULL;
		if (p->i < p->len && (p->s[p->i] == '=' || p->s[p->i] == '<')) {
			bool ne = p->s[p->i] == '<';
			if (ne) {
				if (p->i + 1 >= p->len || p->s[p->i + 1] != '>')
					return fail(p, "'<' is not followed by '>'");
				p->i++;
			}
			p->i++;
			n = node(p, ne ? P_NE : P_EQ);
			n->act = act;
			if (!status_word(p, &n->st))
				return fail(p, "a status word is expected after = or <>");
			return n;
		}
		n = node(p, P_ID);
		n->act = act;
		return n;
	}
}

static sq_prereq *unary(pp *p)
{
	sq_prereq *n, *inner;

	ws(p);
	if (p->i < p->len && p->s[p->i] == '~') {
		p->i++;
		if (++p->depth > SQ_PREREQ_DEPTH)
			return fail(p, "it nests too deep");
		inner = unary(p);
		p->depth--;
		if (!inner)
			return NULL;
		n = node(p, P_NOT);
		n->a = inner;
		return n;
	}
	return primary(p);
}

static sq_prereq *and_expr(pp *p)
{
	sq_prereq *l = unary(p), *r, *n;

	if (!l)
		return NULL;
	for (;;) {
		ws(p);
		if (p->i >= p->len || p->s[p->i] != '&')
			break;
		p->i++;
		if (!(r = unary(p)))
			return NULL;
		n = node(p, P_AND);
		n->a = l;
		n->b = r;
		l = n;
	}
	return l;
}

static sq_prereq *expr(pp *p)
{
	sq_prereq *l, *r, *n;

	if (++p->depth > SQ_PREREQ_DEPTH)
		return fail(p, "it nests too deep");
	if (!(l = and_expr(p)))
		return NULL;
	for (;;) {
		ws(p);
		if (p->i >= p->len || p->s[p->i] != '|')
			break;
		p->i++;
		if (!(r = and_expr(p)))
			return NULL;
		n = node(p, P_OR);
		n->a = l;
		n->b = r;
		l = n;
	}
	p->depth--;
	return l;
}

sq_prereq *sq_prereq_parse(const char *s, sq_lookup_fn lookup, const void *ud, lms_arena *a,
                           const char **why)
{
	pp p = {0};
	sq_prereq *n;

	*why = NULL;
	p.s = s;
	p.len = strlen(s);
	p.a = a;
	p.lookup = lookup;
	p.ud = ud;
	if (p.len > SQ_PREREQ_MAX) {
		*why = "it is longer than 4096 bytes";
		return NULL;
	}
	n = expr(&p);
	if (n) {
		ws(&p);
		if (p.i != p.len)
			n = fail(&p, "there is text after the expression");
	}
	if (!n)
		*why = p.why ? p.why : "it does not parse";
	return n;
}

static bool met(lms_seq_status st)
{
	return st == LMS_SEQ_PASSED || st == LMS_SEQ_COMPLETED;
}

bool sq_prereq_eval(const sq_prereq *p, sq_status_fn status_of, const void *ud)
{
	size_t k = 0;

	switch (p->k) {
	case P_ID:
		return met(status_of(ud, p->act));
	case P_EQ:
		return status_of(ud, p->act) == p->st;
	case P_NE:
		return status_of(ud, p->act) != p->st;
	case P_NOT:
		return !sq_prereq_eval(p->a, status_of, ud);
	case P_AND:
		return sq_prereq_eval(p->a, status_of, ud) && sq_prereq_eval(p->b, status_of, ud);
	case P_OR:
		return sq_prereq_eval(p->a, status_of, ud) || sq_prereq_eval(p->b, status_of, ud);
	case P_SET:
		for (size_t i = 0; i < p->n_set; i++)
			if (met(status_of(ud, p->set[i])))
				k++;
		return k >= (size_t)p->count;
	}
	return false;
}
