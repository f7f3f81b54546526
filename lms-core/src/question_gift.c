/* question_gift.c — Moodle GIFT question files (question.h): the parser and the writer.
 *
 * The syntax is Moodle's own (question/format/gift): questions separated by blank lines;
 * "//" comment lines (with Moodle 3.6's "[id:...]" and "[tag:...]" inside them);
 * "$CATEGORY:" lines; "::name::"; "[html]" / "[moodle]" / "[plain]" / "[markdown]" format
 * prefixes; the escapes \~ \= \# \{ \} \: \\ and \n; one answer block {...} whose content
 * decides the type exactly as Moodle decides it. Where Moodle is silent or sloppy this file
 * is stricter and says so in docs/question-formats.md (an unclosed "::", two answer blocks,
 * a weight above 100% are errors, not guesses).
 *
 * Invariants:
 * - The whole file is checked for UTF-8 first; a file that is not is refused naming every
 *   bad line (up to 20), and nothing else is read: a Windows-1258 file is never guessed at.
 * - A question is read from a scratch copy of its lines in which every escaped character is
 *   marked literal, so the structure (braces, markers, "->", "####") is found only among
 *   unescaped characters, and every position maps back to its line.
 * - A question with a problem is left out and reported with its ordinal, line and name; the
 *   others are still read (the caller refuses the file as a whole).
 * - Memory from input is bounded: the file size is capped before anything else, the answers
 *   of one question are counted before they are allocated, scratch buffers are freed per
 *   question.
 *
 * What this file does not do: files/images (GIFT has none), the ordering plugin's "{>...}"
 * syntax (not core Moodle), and grading (question.c).
 */
#include "lms/question.h"

#include <unistr.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GIFT_MAX_BAD_LINES 20   /* lines named in a "not UTF-8" refusal */
#define GIFT_BLANK "_____"      /* Moodle's blank for missing-word questions */

/* ---- the scratch form of one question ---- */

typedef struct gtext {
	char *t;             /* the question's lines, escapes resolved, joined with '\n' */
	bool *lit;           /* lit[i]: t[i] came from an escape, so it is never structure */
	size_t n;
	size_t *line_off;    /* offset in t where each source line starts */
	int *line_no;
	size_t n_lines;
} gtext;

typedef struct gctx {
	lms_arena *a;
	lms_qreport *rep;
	const lms_qimport_opts *opts;
	size_t index;        /* ordinal of the question being read */
	int line;            /* its first line */
	const char *name;    /* its name once read */
	const char *category;
	bool failed;
	/* scratch for splitting one answer block, sized once per file: max pieces + 1 */
	size_t max_pieces;
	size_t *starts, *ends;
	char *kinds;
	const char **tags;   /* LMS_Q_MAX_TAGS, copied out exactly per question */
} gctx;

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int pos_line(const gtext *g, size_t pos)
{
	size_t lo = 0, hi = g->n_lines;

	if (g->n_lines == 0)
		return 0;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (g->line_off[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return g->line_no[lo];
}

static void problem(gctx *c, int line, const char *code, const char *detail)
{
	lms_qreport_add(c->rep, LMS_SEV_ERROR, code, c->index, line ? line : c->line, c->name,
	                detail);
	c->failed = true;
}

static void warning(gctx *c, int line, const char *code, const char *detail)
{
	lms_qreport_add(c->rep, LMS_SEV_WARNING, code, c->index, line ? line : c->line, c->name,
	                detail);
}

/* Structural character at i: present and not from an escape. */
static bool at(const gtext *g, size_t i, char ch)
{
	return i < g->n && g->t[i] == ch && !g->lit[i];
}

static bool at_str(const gtext *g, size_t i, size_t hi, const char *s)
{
	size_t k;

	for (k = 0; s[k]; k++)
		if (i + k >= hi || !at(g, i + k, s[k]))
			return false;
	return true;
}

static size_t find(const gtext *g, size_t lo, size_t hi, char ch)
{
	for (; lo < hi; lo++)
		if (at(g, lo, ch))
			return lo;
	return SIZE_MAX;
}

static size_t find_str(const gtext *g, size_t lo, size_t hi, const char *s)
{
	for (; lo < hi; lo++)
		if (at_str(g, lo, hi, s))
			return lo;
	return SIZE_MAX;
}

static size_t rfind_str(const gtext *g, size_t lo, size_t hi, const char *s)
{
	size_t n = strlen(s), i;

	if (hi - lo < n)
		return SIZE_MAX;
	for (i = hi - n + 1; i-- > lo;)
		if (at_str(g, i, hi, s))
			return i;
	return SIZE_MAX;
}

static size_t count(const gtext *g, size_t lo, size_t hi, char ch)
{
	size_t k = 0;

	for (; lo < hi; lo++)
		k += at(g, lo, ch);
	return k;
}

/* Trims white space that is not from an escape. */
static void trim(const gtext *g, size_t *lo, size_t *hi)
{
	while (*lo < *hi && is_ws(g->t[*lo]) && !g->lit[*lo])
		(*lo)++;
	while (*hi > *lo && is_ws(g->t[*hi - 1]) && !g->lit[*hi - 1])
		(*hi)--;
}

/* t[lo..hi) as a string of ours: all white space trimmed (escaped too, as Moodle trims after
 * resolving escapes), NFC. The input was checked for UTF-8 and splitting happens only at
 * ASCII characters, so it cannot fail. */
static const char *take_str(gctx *c, const gtext *g, size_t lo, size_t hi)
{
	const char *s = "";
	lms_err err;

	while (lo < hi && is_ws(g->t[lo]))
		lo++;
	while (hi > lo && is_ws(g->t[hi - 1]))
		hi--;
	if (lms_qtext_nfc(c->a, g->t + lo, hi - lo, &s, &err) < 0)
		problem(c, pos_line(g, lo), "text_not_utf8", "text");
	return s;
}

/* A text with an optional "[format]" prefix; def when there is none. */
static void take_text(gctx *c, const gtext *g, size_t lo, size_t hi, lms_qformat def,
                      lms_qtext *out)
{
	static const struct {
		const char *name;
		lms_qformat f;
	} formats[] = { { "[html]", LMS_QF_HTML },
		        { "[moodle]", LMS_QF_MOODLE },
		        { "[plain]", LMS_QF_PLAIN },
		        { "[markdown]", LMS_QF_MARKDOWN } };
	size_t k;

	memset(out, 0, sizeof(*out));
	out->format = def;
	trim(g, &lo, &hi);
	for (k = 0; k < sizeof(formats) / sizeof(formats[0]); k++)
		if (at_str(g, lo, hi, formats[k].name)) {
			out->format = formats[k].f;
			lo += strlen(formats[k].name);
			break;
		}
	out->text = take_str(c, g, lo, hi);
}

/* A leading "%weight%": returns true and moves *lo past it when there is one; a weight
 * that is a number out of [-100, 100] is a problem. Like Moodle, "%" followed by something
 * that is not a number is left as text. */
static bool take_weight(gctx *c, const gtext *g, size_t *lo, size_t hi, double *fraction)
{
	size_t s = *lo, e;
	char num[40];
	double v;

	trim(g, &s, &hi);
	if (!at(g, s, '%'))
		return false;
	e = find(g, s + 1, hi, '%');
	if (e == SIZE_MAX || e - s - 1 == 0 || e - s - 1 >= sizeof(num))
		return false;
	memcpy(num, g->t + s + 1, e - s - 1);
	num[e - s - 1] = '\0';
	if (!lms_qnumber_parse(num, &v))
		return false;
	if (v < -100 || v > 100)
		problem(c, pos_line(g, s), "bad_weight", num);
	*fraction = lms_qfraction_from_percent(v);
	*lo = e + 1;
	return true;
}

/* A short excerpt of t[lo..hi) for a message (whole UTF-8 characters, at most ~60 bytes). */
static const char *excerpt(gctx *c, const gtext *g, size_t lo, size_t hi)
{
	size_t n;

	trim(g, &lo, &hi);
	n = hi - lo;
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)g->t[lo + n] & 0xC0) == 0x80)
			n--;
	}
	return lms_arena_strndup(c->a, g->t + lo, n);
}

/* Splits t[lo..hi) at every structural marker in marks; piece k is [starts[k], ends[k]) and
 * kinds[k] is its marker ('\0' for text before the first one, kept only when not blank).
 * Returns the number of pieces, or SIZE_MAX when there are more than max. */
static size_t split(const gtext *g, size_t lo, size_t hi, const char *marks, size_t max,
                    size_t *starts, size_t *ends, char *kinds)
{
	size_t n = 0, i, s = lo;
	char kind = '\0';

	for (i = lo; i <= hi; i++) {
		bool mark = i < hi && !g->lit[i] && strchr(marks, g->t[i]) && g->t[i];
		if (!mark && i < hi)
			continue;
		if (kind != '\0' || s < i) {
			size_t a = s, b = i;
			trim(g, &a, &b);
			if (kind != '\0' || a < b) {
				if (n >= max)
					return SIZE_MAX;
				starts[n] = s;
				ends[n] = i;
				kinds[n] = kind;
				n++;
			}
		}
		if (i < hi) {
			kind = g->t[i];
			s = i + 1;
		}
	}
	return n;
}

/* ---- one question ---- */

static void read_choices(gctx *c, const gtext *g, size_t lo, size_t hi, lms_question *q)
{
	size_t max = c->max_pieces, n, k;
	size_t *st = c->starts, *en = c->ends;
	char *kind = c->kinds;

	q->type = find(g, lo, hi, '=') != SIZE_MAX ? LMS_Q_SINGLE : LMS_Q_MULTI;
	n = split(g, lo, hi, "~=", max, st, en, kind);
	if (n == SIZE_MAX) {
		problem(c, pos_line(g, lo), "too_many_options", "options");
		return;
	}
	if (n < 2) {
		problem(c, pos_line(g, lo), "too_few_answers", "2");
		return;
	}
	q->options = lms_arena_alloc(c->a, n * sizeof(lms_qoption));
	q->n_options = n;
	for (k = 0; k < n; k++) {
		lms_qoption *o = &q->options[k];
		size_t s = st[k], hash;
		double w = kind[k] == '=' ? 1.0 : 0.0;
		(void)take_weight(c, g, &s, en[k], &w);
		o->fraction = w;
		hash = find(g, s, en[k], '#');
		take_text(c, g, s, hash == SIZE_MAX ? en[k] : hash, q->text.format, &o->text);
		take_text(c, g, hash == SIZE_MAX ? en[k] : hash + 1, en[k], q->text.format,
		          &o->feedback);
	}
}

static void read_matching(gctx *c, const gtext *g, size_t lo, size_t hi, lms_question *q)
{
	size_t max = c->max_pieces, n, k;
	size_t *st = c->starts, *en = c->ends;
	char *kind = c->kinds;

	q->type = LMS_Q_MATCHING;
	n = split(g, lo, hi, "=", max, st, en, kind);
	if (n == SIZE_MAX) {
		problem(c, pos_line(g, lo), "too_many_options", "pairs");
		return;
	}
	if (n < 2) {
		problem(c, pos_line(g, lo), "too_few_answers", "2");
		return;
	}
	q->pairs = lms_arena_alloc(c->a, n * sizeof(lms_qpair));
	q->n_pairs = n;
	for (k = 0; k < n; k++) {
		size_t arrow = find_str(g, st[k], en[k], "->");
		if (arrow == SIZE_MAX) {
			problem(c, pos_line(g, st[k]), "gift_matching_arrow",
			        excerpt(c, g, st[k], en[k]));
			return;
		}
		take_text(c, g, st[k], arrow, q->text.format, &q->pairs[k].stem);
		q->pairs[k].answer = take_str(c, g, arrow + 2, en[k]);
	}
}

static void read_truefalse(gctx *c, const gtext *g, size_t lo, size_t hi, lms_question *q,
                           bool value)
{
	size_t h1 = find(g, lo, hi, '#'), h2 = SIZE_MAX;
	lms_qtext wrong, right;

	q->type = LMS_Q_TRUEFALSE;
	q->penalty = 1.0;
	q->tf_answer = value;
	if (h1 != SIZE_MAX)
		h2 = find(g, h1 + 1, hi, '#');
	take_text(c, g, h1 == SIZE_MAX ? hi : h1 + 1, h2 == SIZE_MAX ? hi : h2, q->text.format,
	          &wrong);
	take_text(c, g, h2 == SIZE_MAX ? hi : h2 + 1, hi, q->text.format, &right);
	q->tf_feedback_true = value ? right : wrong;
	q->tf_feedback_false = value ? wrong : right;
}

static void read_short(gctx *c, const gtext *g, size_t lo, size_t hi, lms_question *q)
{
	size_t max = c->max_pieces, n, k;
	size_t *st = c->starts, *en = c->ends;
	char *kind = c->kinds;

	q->type = LMS_Q_SHORT;
	n = split(g, lo, hi, "=", max, st, en, kind);
	if (n == SIZE_MAX) {
		problem(c, pos_line(g, lo), "too_many_options", "options");
		return;
	}
	if (n < 1) {
		problem(c, pos_line(g, lo), "too_few_answers", "1");
		return;
	}
	q->options = lms_arena_alloc(c->a, n * sizeof(lms_qoption));
	q->n_options = n;
	for (k = 0; k < n; k++) {
		lms_qoption *o = &q->options[k];
		size_t s = st[k], hash;
		double w = 1.0;
		(void)take_weight(c, g, &s, en[k], &w);
		o->fraction = w;
		hash = find(g, s, en[k], '#');
		take_text(c, g, s, hash == SIZE_MAX ? en[k] : hash, LMS_QF_MOODLE, &o->text);
		o->text.format = LMS_QF_MOODLE; /* an accepted answer is compared, never rendered */
		take_text(c, g, hash == SIZE_MAX ? en[k] : hash + 1, en[k], q->text.format,
		          &o->feedback);
	}
}

/* "value", "value:tolerance", "min..max" or "*". */
static bool read_number_spec(gctx *c, const gtext *g, size_t lo, size_t hi, lms_qnumeric *nu)
{
	const char *s = take_str(c, g, lo, hi);
	const char *dots = strstr(s, ".."), *colon = strchr(s, ':');
	char x[64], y[64];
	double a, b;

	if (strcmp(s, "*") == 0) {
		nu->any = true;
		return true;
	}
	if (dots && dots > s) {
		snprintf(x, sizeof(x), "%.*s", (int)(dots - s), s);
		snprintf(y, sizeof(y), "%s", dots + 2);
		if (!lms_qnumber_parse(x, &a) || !lms_qnumber_parse(y, &b))
			goto bad;
		nu->value = (a + b) / 2;
		nu->tolerance = b - nu->value;
		return true;
	}
	if (colon && colon > s) {
		snprintf(x, sizeof(x), "%.*s", (int)(colon - s), s);
		snprintf(y, sizeof(y), "%s", colon + 1);
		if (!lms_qnumber_parse(x, &a) || !lms_qnumber_parse(y, &b))
			goto bad;
		nu->value = a;
		nu->tolerance = b;
		return true;
	}
	if (strlen(s) < sizeof(x) && lms_qnumber_parse(s, &a)) {
		nu->value = a;
		return true;
	}
bad:
	problem(c, pos_line(g, lo), "bad_number", excerpt(c, g, lo, hi));
	return false;
}

static void read_numerical(gctx *c, const gtext *g, size_t lo, size_t hi, lms_question *q)
{
	size_t max = c->max_pieces, n, k, tilde;
	size_t *st = c->starts, *en = c->ends;
	char *kind = c->kinds;

	q->type = LMS_Q_NUMERICAL;
	lo++; /* the leading '#' */
	tilde = find(g, lo, hi, '~');
	n = split(g, lo, tilde == SIZE_MAX ? hi : tilde, "=", max, st, en, kind);
	if (n == SIZE_MAX || (tilde != SIZE_MAX && n >= max)) {
		problem(c, pos_line(g, lo), "too_many_options", "numerics");
		return;
	}
	if (n < 1) {
		problem(c, pos_line(g, lo), "too_few_answers", "1");
		return;
	}
	q->numerics = lms_arena_alloc(c->a, (n + 1) * sizeof(lms_qnumeric));
	for (k = 0; k < n; k++) {
		lms_qnumeric *nu = &q->numerics[k];
		size_t s = st[k], hash;
		double w = 1.0;
		(void)take_weight(c, g, &s, en[k], &w);
		nu->fraction = w;
		hash = find(g, s, en[k], '#');
		if (!read_number_spec(c, g, s, hash == SIZE_MAX ? en[k] : hash, nu))
			return;
		take_text(c, g, hash == SIZE_MAX ? en[k] : hash + 1, en[k], q->text.format,
		          &nu->feedback);
	}
	if (tilde != SIZE_MAX) {
		/* "~#feedback": what any other number gets: Moodle's "*" answer at 0% */
		lms_qnumeric *nu = &q->numerics[n++];
		size_t hash = find(g, tilde + 1, hi, '#');
		nu->any = true;
		take_text(c, g, hash == SIZE_MAX ? hi : hash + 1, hi, q->text.format, &nu->feedback);
	}
	q->n_numerics = n;
}

/* The "[id:...]" and "[tag:...]" tokens of the question's comment lines ("\]" is a "]"). */
static void read_comment_tokens(gctx *c, lms_question *q, const char *comments,
                                const char **tags, size_t *n_tags)
{
	const char *p = comments;

	while ((p = strchr(p, '['))) {
		bool is_id = strncmp(p, "[id:", 4) == 0, is_tag = strncmp(p, "[tag:", 5) == 0;
		const char *s, *e;
		char *v;
		size_t k = 0;
		if (!is_id && !is_tag) {
			p++;
			continue;
		}
		s = p + (is_id ? 4 : 5);
		for (e = s; *e && *e != ']' && *e != '\n'; e++)
			if (*e == '\\' && e[1] == ']')
				e++;
		if (*e != ']') {
			p = s;
			continue;
		}
		v = lms_arena_alloc(c->a, (size_t)(e - s) + 1);
		for (; s < e; s++) {
			if (*s == '\\' && s[1] == ']')
				s++;
			v[k++] = *s;
		}
		while (k > 0 && is_ws(v[k - 1]))
			k--;
		v[k] = '\0';
		while (*v && is_ws(*v))
			v++;
		if (is_id && !q->idnumber[0]) {
			const char *nfc;
			lms_err err;
			if (lms_qtext_nfc(c->a, v, strlen(v), &nfc, &err) == 0)
				q->idnumber = nfc;
		} else if (is_tag && *v) {
			const char *nfc;
			lms_err err;
			int pseudo;
			if (lms_qtext_nfc(c->a, v, strlen(v), &nfc, &err) < 0)
				nfc = v;
			pseudo = lms_question_pseudo_tag(q, nfc);
			if (pseudo < 0)
				warning(c, 0, "difficulty_unknown", nfc);
			if (pseudo <= 0) {
				if (*n_tags >= LMS_Q_MAX_TAGS)
					problem(c, 0, "tags_too_many", "tags");
				else
					tags[(*n_tags)++] = nfc;
			}
		}
		p = e + 1;
	}
}

/* Reads one question from g (its comment text in comments). Adds it to list on success. */
static lms_question *read_question(gctx *c, const gtext *g, const char *comments)
{
	lms_question *q = lms_question_new(c->a, LMS_Q_DESCRIPTION);
	const char **tags = c->tags;
	size_t n_tags = 0;
	size_t lo = 0, hi = g->n, open, close, alo, ahi, gf;
	lms_qtext qt;
	char *text;
	lms_err err;

	q->line = c->line;
	q->category = c->category;
	trim(g, &lo, &hi);
	/* ::name:: */
	if (at_str(g, lo, hi, "::")) {
		size_t e = find_str(g, lo + 2, hi, "::");
		if (e == SIZE_MAX) {
			problem(c, 0, "gift_name_unclosed", NULL);
			return NULL;
		}
		q->name = take_str(c, g, lo + 2, e);
		c->name = q->name;
		lo = e + 2;
		trim(g, &lo, &hi);
	}
	read_comment_tokens(c, q, comments, tags, &n_tags);
	/* the answer block */
	open = find(g, lo, hi, '{');
	close = find(g, lo, hi, '}');
	if ((open == SIZE_MAX) != (close == SIZE_MAX) || (open != SIZE_MAX && close < open)) {
		problem(c, pos_line(g, open != SIZE_MAX ? open : close), "gift_brace", NULL);
		return NULL;
	}
	if (open != SIZE_MAX && (count(g, lo, hi, '{') > 1 || count(g, lo, hi, '}') > 1)) {
		problem(c, pos_line(g, open), "gift_two_blocks", NULL);
		return NULL;
	}
	/* The question text: before the block, then "_____" and the rest when text follows it
	 * (missing word). The "[format]" prefix is at its very start. */
	if (open == SIZE_MAX) {
		take_text(c, g, lo, hi, LMS_QF_MOODLE, &qt);
	} else {
		size_t tl = close + 1, th = hi, n1, n2;
		gtext tmp = *g;
		trim(g, &tl, &th);
		if (tl == th) {
			take_text(c, g, lo, open, LMS_QF_MOODLE, &qt);
		} else {
			/* before + blank + after, keeping the literal flags for the format prefix */
			n1 = open - lo;
			n2 = hi - (close + 1);
			text = malloc(n1 + sizeof(GIFT_BLANK) + n2);
			tmp.lit = malloc(n1 + sizeof(GIFT_BLANK) + n2);
			if (!text || !tmp.lit)
				abort(); /* as the arena does */
			memcpy(text, g->t + lo, n1);
			memcpy(tmp.lit, g->lit + lo, n1);
			memcpy(text + n1, GIFT_BLANK, sizeof(GIFT_BLANK) - 1);
			memset(tmp.lit + n1, 0, sizeof(GIFT_BLANK) - 1);
			memcpy(text + n1 + sizeof(GIFT_BLANK) - 1, g->t + close + 1, n2);
			memcpy(tmp.lit + n1 + sizeof(GIFT_BLANK) - 1, g->lit + close + 1, n2);
			tmp.t = text;
			tmp.n = n1 + sizeof(GIFT_BLANK) - 1 + n2;
			tmp.n_lines = 0;
			take_text(c, &tmp, 0, tmp.n, LMS_QF_MOODLE, &qt);
			free(text);
			free(tmp.lit);
		}
	}
	q->text = qt;
	if (!q->name[0])
		q->name = lms_question_default_name(c->a, q->text.text, c->index);
	c->name = q->name;
	if (open == SIZE_MAX) {
		q->type = LMS_Q_DESCRIPTION;
		q->default_mark = 0;
		goto done;
	}
	alo = open + 1;
	ahi = close;
	trim(g, &alo, &ahi);
	gf = rfind_str(g, alo, ahi, "####");
	if (gf != SIZE_MAX) {
		take_text(c, g, gf + 4, ahi, q->text.format, &q->general_feedback);
		ahi = gf;
		trim(g, &alo, &ahi);
	}
	if (alo == ahi) {
		q->type = LMS_Q_ESSAY;
	} else if (at(g, alo, '#')) {
		read_numerical(c, g, alo, ahi, q);
	} else if (find(g, alo, ahi, '~') != SIZE_MAX) {
		read_choices(c, g, alo, ahi, q);
	} else if (find(g, alo, ahi, '=') != SIZE_MAX && find_str(g, alo, ahi, "->") != SIZE_MAX) {
		read_matching(c, g, alo, ahi, q);
	} else {
		size_t h = find(g, alo, ahi, '#'), tl = alo, th = h == SIZE_MAX ? ahi : h;
		char word[8] = "";
		trim(g, &tl, &th);
		if (th - tl < sizeof(word)) {
			memcpy(word, g->t + tl, th - tl);
			word[th - tl] = '\0';
		}
		if (!strcmp(word, "T") || !strcmp(word, "TRUE")) {
			read_truefalse(c, g, alo, ahi, q, true);
		} else if (!strcmp(word, "F") || !strcmp(word, "FALSE")) {
			read_truefalse(c, g, alo, ahi, q, false);
		} else {
			if (!strcasecmp(word, "true") || !strcasecmp(word, "false")) {
				char shown[12];
				snprintf(shown, sizeof(shown), "{%s}", word);
				warning(c, pos_line(g, tl), "gift_tf_case", shown);
			}
			read_short(c, g, alo, ahi, q);
		}
	}
	q->default_mark = 1.0;
done:
	if (c->failed)
		return NULL;
	if (n_tags) {
		q->tags = lms_arena_alloc(c->a, n_tags * sizeof(char *));
		memcpy(q->tags, tags, n_tags * sizeof(char *));
	}
	q->n_tags = n_tags;
	if (q->type != LMS_Q_SHORT) {
		q->case_sensitive = false;
		q->diacritics_must_match = true;
	}
	if (lms_question_check(q, &c->opts->limits, &err) < 0) {
		problem(c, 0, err.code, err.field);
		return NULL;
	}
	return q;
}

/* ---- the file ---- */

/* Names every line that is not UTF-8 (or holds a NUL). Returns how many there are. */
static size_t report_bad_lines(const char *d, size_t len, lms_qreport *rep)
{
	size_t i = 0, bad = 0;
	int line = 1;

	while (i < len) {
		size_t e = i;
		char num[16];
		while (e < len && d[e] != '\n')
			e++;
		if (memchr(d + i, 0, e - i) || u8_check((const uint8_t *)d + i, e - i)) {
			if (bad < GIFT_MAX_BAD_LINES) {
				snprintf(num, sizeof(num), "%d", line);
				lms_qreport_add(rep, LMS_SEV_ERROR,
				                memchr(d + i, 0, e - i) ? "nul_byte" : "not_utf8", 0, line,
				                NULL, num);
			}
			bad++;
		}
		line++;
		i = e + 1;
	}
	return bad;
}

typedef struct glines {
	const char *d;
	size_t len, pos;
	int line;
} glines;

/* The next line (without its end: \n, \r\n or \r). */
static bool next_line(glines *L, const char **s, size_t *n, int *line)
{
	size_t e;

	if (L->pos >= L->len)
		return false;
	e = L->pos;
	while (e < L->len && L->d[e] != '\n' && L->d[e] != '\r')
		e++;
	*s = L->d + L->pos;
	*n = e - L->pos;
	*line = L->line++;
	if (e < L->len && L->d[e] == '\r' && e + 1 < L->len && L->d[e + 1] == '\n')
		e++;
	L->pos = e + 1;
	return true;
}

static bool blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return false;
	return true;
}

static bool is_comment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_ws(s[i]))
		i++;
	return i + 1 < n && s[i] == '/' && s[i + 1] == '/';
}

typedef struct gfile {
	gctx c;
	lms_question **items;
	size_t n, cap;
	size_t questions; /* question blocks seen */
	bool stop;
} gfile;

static void add_question(gfile *f, lms_question *q)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		lms_question **bigger = lms_arena_alloc(f->c.a, cap * sizeof(*bigger));
		if (f->n)
			memcpy(bigger, f->items, f->n * sizeof(*bigger));
		f->items = bigger;
		f->cap = cap;
	}
	f->items[f->n++] = q;
}

/* One block of non-blank lines [first..end) of the file. */
static void read_block(gfile *f, const char *d, size_t len, size_t from, size_t to,
                       int first_line)
{
	glines L = { d, to, from, first_line };
	const char *s;
	size_t n, total = to - from;
	int line;
	gtext g;
	char *comments;
	size_t nc = 0;
	bool any = false, category_done = false;

	memset(&g, 0, sizeof(g));
	(void)len;
	/* Each line adds at most its bytes and one '\n'; the last line may have had no line
	 * end in the file, hence the 2. */
	g.t = malloc(total + 2);
	g.lit = malloc(total + 2);
	g.line_off = malloc((total + 2) * sizeof(size_t));
	g.line_no = malloc((total + 2) * sizeof(int));
	comments = malloc(total + 2);
	if (!g.t || !g.lit || !g.line_off || !g.line_no || !comments)
		abort(); /* as the arena does: a few megabytes of scratch must be there */
	while (next_line(&L, &s, &n, &line)) {
		size_t i;
		if (is_comment(s, n)) {
			memcpy(comments + nc, s, n);
			nc += n;
			comments[nc++] = '\n';
			continue;
		}
		if (!any && !category_done) {
			size_t k = 0;
			while (k < n && is_ws(s[k]))
				k++;
			if (n - k >= 10 && memcmp(s + k, "$CATEGORY:", 10) == 0) {
				size_t cs = k + 10, ce = n;
				while (cs < ce && is_ws(s[cs]))
					cs++;
				while (ce > cs && is_ws(s[ce - 1]))
					ce--;
				if (cs == ce)
					lms_qreport_add(f->c.rep, LMS_SEV_WARNING, "gift_category_empty", 0,
					                line, NULL, NULL);
				f->c.category = lms_qcategory_from_file(f->c.a, f->c.opts->category,
				                                        s + cs, ce - cs);
				category_done = true;
				nc = 0; /* comments before a category belong to no question */
				continue;
			}
		}
		if (any) {
			g.t[g.n] = '\n';
			g.lit[g.n++] = false;
		} else {
			f->c.line = line;
		}
		any = true;
		g.line_off[g.n_lines] = g.n;
		g.line_no[g.n_lines++] = line;
		for (i = 0; i < n; i++) {
			char ch = s[i];
			if (ch == '\\' && i + 1 < n) {
				char nx = s[i + 1];
				if (strchr("\\:#={}~", nx) && nx) {
					g.t[g.n] = nx;
					g.lit[g.n++] = true;
					i++;
					continue;
				}
				if (nx == 'n') {
					g.t[g.n] = '\n';
					g.lit[g.n++] = true;
					i++;
					continue;
				}
			}
			g.t[g.n] = ch;
			g.lit[g.n++] = false;
		}
	}
	comments[nc] = '\0';
	if (any) {
		lms_question *q;
		f->questions++;
		if (f->questions > f->c.opts->limits.max_questions) {
			char num[24];
			snprintf(num, sizeof(num), "%zu", f->c.opts->limits.max_questions);
			lms_qreport_add(f->c.rep, LMS_SEV_ERROR, "too_many_questions", 0, f->c.line,
			                NULL, num);
			f->stop = true;
		} else {
			f->c.index = f->questions;
			f->c.name = NULL;
			f->c.failed = false;
			if ((q = read_question(&f->c, &g, comments)))
				add_question(f, q);
		}
	}
	free(g.t);
	free(g.lit);
	free(g.line_off);
	free(g.line_no);
	free(comments);
}

int lms_gift_parse(const char *data, size_t len, const lms_qimport_opts *opts, lms_arena *a,
                   lms_qset *out, lms_qreport *rep, lms_err *err)
{
	lms_qimport_opts defopts;
	gfile f;
	glines L;
	const char *s;
	size_t n, block_start = 0, block_end = 0;
	int line, block_line = 0;
	bool in_block = false;

	assert(a && out && rep && (data || len == 0));
	memset(out, 0, sizeof(*out));
	if (!opts) {
		lms_qimport_opts_default(&defopts);
		opts = &defopts;
	}
	if (len > opts->limits.max_file_bytes) {
		char num[24];
		snprintf(num, sizeof(num), "%zu", len);
		lms_qreport_add(rep, LMS_SEV_ERROR, "questions_file_too_big", 0, 0, NULL, num);
		return lms_err_set(err, LMS_ETOOBIG, "questions_file_too_big", NULL,
		                   "the GIFT file is %zu bytes, over the limit of %zu", len,
		                   opts->limits.max_file_bytes);
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (memchr(data, 0, len) || u8_check((const uint8_t *)data, len)) {
		size_t bad = report_bad_lines(data, len, rep);
		return lms_err_set(err, LMS_EINVAL, "questions_not_utf8", NULL,
		                   "%zu lines of the GIFT file are not UTF-8", bad);
	}
	memset(&f, 0, sizeof(f));
	f.c.a = a;
	f.c.rep = rep;
	f.c.opts = opts;
	f.c.category = lms_qcategory_from_file(a, opts->category, "", 0);
	f.c.max_pieces = opts->limits.max_options < LMS_Q_MAX_OPTIONS ? opts->limits.max_options
	                                                                 : LMS_Q_MAX_OPTIONS;
	f.c.starts = lms_arena_alloc(a, (f.c.max_pieces + 1) * sizeof(size_t));
	f.c.ends = lms_arena_alloc(a, (f.c.max_pieces + 1) * sizeof(size_t));
	f.c.kinds = lms_arena_alloc(a, f.c.max_pieces + 1);
	f.c.tags = lms_arena_alloc(a, LMS_Q_MAX_TAGS * sizeof(char *));
	L.d = data;
	L.len = len;
	L.pos = 0;
	L.line = 1;
	for (;;) {
		size_t here = L.pos;
		bool more = next_line(&L, &s, &n, &line);
		if (more && !blank(s, n)) {
			if (!in_block) {
				in_block = true;
				block_start = here;
				block_line = line;
			}
			block_end = L.pos > len ? len : L.pos;
			continue;
		}
		if (in_block) {
			read_block(&f, data, len, block_start, block_end, block_line);
			in_block = false;
			if (f.stop)
				break;
		}
		if (!more)
			break;
	}
	out->items = f.items;
	out->n = f.n;
	if (f.n == 0 && rep->errors == 0)
		lms_qreport_add(rep, LMS_SEV_ERROR, "questions_file_empty", 0, 0, NULL, NULL);
	if (rep->errors)
		return lms_err_set(err, LMS_EINVAL, "questions_invalid", NULL,
		                   "the GIFT file has %zu problems", rep->errors);
	return 0;
}

/* ---- the writer ---- */

typedef struct gbuf {
	lms_arena *a;
	char *b;
	size_t n, cap;
} gbuf;

static void put_n(gbuf *w, const char *s, size_t n)
{
	if (w->n + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		char *nb;
		while (cap < w->n + n + 1)
			cap *= 2;
		nb = lms_arena_alloc(w->a, cap);
		if (w->n)
			memcpy(nb, w->b, w->n);
		w->b = nb;
		w->cap = cap;
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
	w->b[w->n] = '\0';
}

static void put(gbuf *w, const char *s)
{
	put_n(w, s, strlen(s));
}

/* Moodle's repchar: \ # = ~ { } : escaped, a new line written as \n, \r dropped. */
static void put_esc(gbuf *w, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		if (!strchr("\\#=~{}:\n\r", *s))
			continue;
		put_n(w, run, (size_t)(s - run));
		if (*s == '\n')
			put(w, "\\n");
		else if (*s != '\r') {
			char e[3] = { '\\', *s, '\0' };
			put(w, e);
		}
		run = s + 1;
	}
	put_n(w, run, (size_t)(s - run));
}

static const char *gift_format(lms_qformat f)
{
	switch (f) {
	case LMS_QF_HTML: return "[html]";
	case LMS_QF_PLAIN: return "[plain]";
	case LMS_QF_MARKDOWN: return "[markdown]";
	case LMS_QF_MOODLE: break;
	}
	return "[moodle]";
}

/* A text with its "[format]" when it differs from def, or when the text itself starts with
 * '[' (which would otherwise be read as a format). */
static void put_text(gbuf *w, const lms_qtext *t, lms_qformat def)
{
	const char *s = t->text ? t->text : "";

	if (t->format != def || s[0] == '[')
		put(w, gift_format(t->format));
	put_esc(w, s);
}

static void put_num(gbuf *w, double v)
{
	char b[32];

	lms_qnumber_format(v, b);
	put(w, b);
}

/* Fractions have seven decimals (Moodle's), so percentages five: "33.33333", not
 * "33.333330000000004". */
static void put_pct(gbuf *w, double fraction)
{
	put(w, "%");
	put_num(w, round(fraction * 1e7) / 1e5);
	put(w, "%");
}

static void put_feedback(gbuf *w, const lms_qtext *fb, lms_qformat def)
{
	if (fb->text && fb->text[0]) {
		put(w, "#");
		put_text(w, fb, def);
	}
}

static void put_general(gbuf *w, const lms_question *q)
{
	if (q->general_feedback.text && q->general_feedback.text[0]) {
		put(w, "\t####");
		put_text(w, &q->general_feedback, q->text.format);
		put(w, "\n");
	}
}

static void put_comment_tokens(gbuf *w, const lms_question *q)
{
	const char *pseudo[3];
	size_t np = lms_question_pseudo_tags(q, pseudo), i, k;
	bool any = (q->idnumber && q->idnumber[0]) || q->n_tags || np;

	if (!any)
		return;
	put(w, "//");
	for (i = 0; i < 1 + q->n_tags + np; i++) {
		const char *v = i == 0 ? q->idnumber : i <= q->n_tags ? q->tags[i - 1]
		                                                      : pseudo[i - 1 - q->n_tags];
		if (!v || !v[0])
			continue;
		put(w, i == 0 ? " [id:" : " [tag:");
		for (k = 0; v[k]; k++) {
			if (v[k] == ']')
				put(w, "\\");
			put_n(w, &v[k], 1);
		}
		put(w, "]");
	}
	put(w, "\n");
}

static bool has_files(const lms_qtext *t)
{
	return t->n_files > 0;
}

static bool any_files(const lms_question *q)
{
	size_t i;

	if (has_files(&q->text) || has_files(&q->general_feedback) ||
	    has_files(&q->correct_feedback) || has_files(&q->partial_feedback) ||
	    has_files(&q->incorrect_feedback) || has_files(&q->tf_feedback_true) ||
	    has_files(&q->tf_feedback_false) || has_files(&q->grader_info) ||
	    has_files(&q->response_template))
		return true;
	for (i = 0; i < q->n_options; i++)
		if (has_files(&q->options[i].text) || has_files(&q->options[i].feedback))
			return true;
	for (i = 0; i < q->n_numerics; i++)
		if (has_files(&q->numerics[i].feedback))
			return true;
	for (i = 0; i < q->n_pairs; i++)
		if (has_files(&q->pairs[i].stem))
			return true;
	return false;
}

static bool nonempty(const lms_qtext *t)
{
	return t->text && t->text[0];
}

/* What of q GIFT cannot hold, as a comma-separated list ("" when nothing). */
static void lost_fields(const lms_question *q, char *out, size_t cap)
{
	const lms_question *d = NULL;
	lms_question def;
	size_t k = 0;

	memset(&def, 0, sizeof(def));
	def.default_mark = q->type == LMS_Q_DESCRIPTION ? 0.0 : 1.0;
	def.penalty = q->type == LMS_Q_TRUEFALSE ? 1.0 : 0.3333333;
	d = &def;
	out[0] = '\0';
#define LOST(cond, what)                                                                   \
	do {                                                                               \
		if ((cond) && k < cap)                                                     \
			k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? ", " : "", what); \
	} while (0)
	LOST(q->default_mark != d->default_mark, "points");
	LOST(fabs(q->penalty - d->penalty) > 1e-7 && q->type != LMS_Q_ESSAY &&
	         q->type != LMS_Q_DESCRIPTION,
	     "penalty");
	LOST(q->hidden, "hidden");
	LOST(!q->shuffle && (q->type == LMS_Q_SINGLE || q->type == LMS_Q_MULTI ||
	                     q->type == LMS_Q_MATCHING),
	     "shuffle off");
	LOST(any_files(q), "attached files");
	LOST(nonempty(&q->correct_feedback) || nonempty(&q->partial_feedback) ||
	         nonempty(&q->incorrect_feedback),
	     "combined feedback");
	LOST((q->type == LMS_Q_SINGLE || q->type == LMS_Q_MULTI) && q->answer_numbering &&
	         strcmp(q->answer_numbering, "abc") != 0,
	     "answer numbering");
	LOST(q->type == LMS_Q_ESSAY &&
	         ((q->response_format && strcmp(q->response_format, "editor") != 0) ||
	          !q->response_required || q->response_lines != 15 || q->attachments != 0 ||
	          nonempty(&q->grader_info) || nonempty(&q->response_template)),
	     "essay options");
	LOST(q->type == LMS_Q_DESCRIPTION && nonempty(&q->general_feedback), "general feedback");
#undef LOST
	if (k >= cap && cap > 0)
		out[cap - 1] = '\0';
}

/* "->" where GIFT would read it as a matching pair: a stem, or any text of a short answer
 * (its '=' markers and an arrow make Moodle's parser, and ours, see a matching question). */
static bool arrow_where_gift_cannot(const lms_question *q)
{
	size_t i;

	for (i = 0; i < q->n_pairs; i++)
		if (q->pairs[i].stem.text && strstr(q->pairs[i].stem.text, "->"))
			return true;
	if (q->type == LMS_Q_SHORT) {
		if (strstr(q->text.text, "->"))
			return true;
		for (i = 0; i < q->n_options; i++)
			if (strstr(q->options[i].text.text, "->") ||
			    (q->options[i].feedback.text && strstr(q->options[i].feedback.text, "->")))
				return true;
	}
	return false;
}

static void write_question(gbuf *w, const lms_question *q)
{
	size_t i;

	put_comment_tokens(w, q);
	put(w, "::");
	put_esc(w, q->name);
	put(w, "::");
	put_text(w, &q->text, LMS_QF_MOODLE);
	switch (q->type) {
	case LMS_Q_DESCRIPTION:
		put(w, "\n");
		return;
	case LMS_Q_ESSAY:
		put(w, "{");
		if (nonempty(&q->general_feedback)) {
			put(w, "####");
			put_text(w, &q->general_feedback, q->text.format);
		}
		put(w, "}\n");
		return;
	case LMS_Q_TRUEFALSE: {
		const lms_qtext *right = q->tf_answer ? &q->tf_feedback_true : &q->tf_feedback_false;
		const lms_qtext *wrong = q->tf_answer ? &q->tf_feedback_false : &q->tf_feedback_true;
		put(w, q->tf_answer ? "{TRUE" : "{FALSE");
		if (nonempty(wrong) || nonempty(right)) {
			put(w, "#");
			if (nonempty(wrong))
				put_text(w, wrong, q->text.format);
		}
		if (nonempty(right)) {
			put(w, "#");
			put_text(w, right, q->text.format);
		}
		if (nonempty(&q->general_feedback)) {
			put(w, "####");
			put_text(w, &q->general_feedback, q->text.format);
		}
		put(w, "}\n");
		return;
	}
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI: {
		/* A single choice needs one '=' (single) and one '~' (not a short answer): only
		 * its first full-marks option is written with '='. */
		bool eq_done = false;
		put(w, "{\n");
		for (i = 0; i < q->n_options; i++) {
			const lms_qoption *o = &q->options[i];
			bool pct_text = o->text.text && o->text.text[0] == '%';
			put(w, "\t");
			if (q->type == LMS_Q_SINGLE && o->fraction == 1.0 && !eq_done) {
				eq_done = true;
				put(w, "=");
				if (pct_text)
					put_pct(w, 1.0);
			} else if (o->fraction == 0.0 && !pct_text) {
				put(w, "~");
			} else {
				put(w, "~");
				put_pct(w, o->fraction);
			}
			put_text(w, &o->text, q->text.format);
			put_feedback(w, &o->feedback, q->text.format);
			put(w, "\n");
		}
		put_general(w, q);
		put(w, "}\n");
		return;
	}
	case LMS_Q_SHORT:
		put(w, "{\n");
		for (i = 0; i < q->n_options; i++) {
			const lms_qoption *o = &q->options[i];
			lms_qtext t = o->text;
			t.format = LMS_QF_MOODLE;
			put(w, "\t=");
			put_pct(w, o->fraction);
			put_text(w, &t, LMS_QF_MOODLE);
			put_feedback(w, &o->feedback, q->text.format);
			put(w, "\n");
		}
		put_general(w, q);
		put(w, "}\n");
		return;
	case LMS_Q_NUMERICAL:
		put(w, "{#\n");
		for (i = 0; i < q->n_numerics; i++) {
			const lms_qnumeric *nu = &q->numerics[i];
			put(w, "\t=");
			put_pct(w, nu->fraction);
			if (nu->any) {
				put(w, "*");
			} else {
				put_num(w, nu->value);
				put(w, ":");
				put_num(w, nu->tolerance);
			}
			put_feedback(w, &nu->feedback, q->text.format);
			put(w, "\n");
		}
		put_general(w, q);
		put(w, "}\n");
		return;
	case LMS_Q_MATCHING:
		put(w, "{\n");
		for (i = 0; i < q->n_pairs; i++) {
			put(w, "\t=");
			if (nonempty(&q->pairs[i].stem))
				put_text(w, &q->pairs[i].stem, q->text.format);
			put(w, " -> ");
			put_esc(w, q->pairs[i].answer);
			put(w, "\n");
		}
		put_general(w, q);
		put(w, "}\n");
		return;
	case LMS_Q_ORDERING:
		break;
	}
}

int lms_gift_write(const lms_question *const *qs, size_t n, const lms_qwrite_opts *opts,
                   lms_arena *a, lms_qreport *rep, const char **out, size_t *out_len,
                   lms_err *err)
{
	lms_qwrite_opts defopts = { false };
	const char *category = NULL;
	size_t i, invalid = 0, unsupported = 0;
	gbuf w = { a, NULL, 0, 0 };
	char lost[256];

	assert(a && rep && out && out_len && (qs || n == 0));
	if (!opts)
		opts = &defopts;
	put(&w, "// Exported by parlearn (GIFT, UTF-8)\n\n");
	for (i = 0; i < n; i++) {
		const lms_question *q = qs[i];
		lms_err qerr;
		if (lms_question_check(q, NULL, &qerr) < 0) {
			lms_qreport_add(rep, LMS_SEV_ERROR, qerr.code, i + 1, q->line, q->name,
			                qerr.field);
			invalid++;
			continue;
		}
		if (q->type == LMS_Q_ORDERING || arrow_where_gift_cannot(q)) {
			lms_qreport_add(rep, opts->skip_unsupported ? LMS_SEV_WARNING : LMS_SEV_ERROR,
			                q->type == LMS_Q_ORDERING ? "gift_type_unsupported"
			                                          : "gift_arrow",
			                i + 1, q->line, q->name, lms_qtype_name(q->type));
			unsupported++;
			continue;
		}
		lost_fields(q, lost, sizeof(lost));
		if (lost[0])
			lms_qreport_add(rep, LMS_SEV_WARNING, "gift_field_lost", i + 1, q->line, q->name,
			                lost);
		if (!category || strcmp(category, q->category ? q->category : "") != 0) {
			category = q->category ? q->category : "";
			put(&w, "$CATEGORY: $course$/top");
			if (category[0]) {
				put(&w, "/");
				put(&w, category);
			}
			put(&w, "\n\n");
		}
		write_question(&w, q);
		put(&w, "\n");
	}
	if (invalid)
		return lms_err_set(err, LMS_EINVAL, "questions_invalid", NULL,
		                   "%zu questions are not valid", invalid);
	if (unsupported && !opts->skip_unsupported)
		return lms_err_set(err, LMS_EUNSUPPORTED, "gift_type_unsupported", NULL,
		                   "%zu questions cannot be written as GIFT", unsupported);
	*out = w.b;
	*out_len = w.n;
	return 0;
}
