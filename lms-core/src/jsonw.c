/* jsonw.c — JSON text into an arena (jsonw.h). */
#include "lms/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void lms_jsonw_init(lms_jsonw *w, lms_arena *a)
{
	w->a = a;
	w->cap = 256;
	w->len = 0;
	w->buf = lms_arena_alloc(a, w->cap);
}

static void grow(lms_jsonw *w, size_t more)
{
	char *nb;
	size_t cap = w->cap;

	if (w->len + more + 1 <= w->cap)
		return;
	while (cap < w->len + more + 1)
		cap *= 2;
	nb = lms_arena_alloc(w->a, cap);
	memcpy(nb, w->buf, w->len);
	w->buf = nb;
	w->cap = cap;
}

static void put(lms_jsonw *w, const char *s, size_t n)
{
	grow(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

void lms_jsonw_raw(lms_jsonw *w, const char *text)
{
	put(w, text, strlen(text));
}

void lms_jsonw_str(lms_jsonw *w, const char *s)
{
	const unsigned char *p;
	const unsigned char *run;

	if (!s) {
		put(w, "null", 4);
		return;
	}
	put(w, "\"", 1);
	for (p = run = (const unsigned char *)s; *p; p++) {
		char esc[8];
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		put(w, (const char *)run, (size_t)(p - run));
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			put(w, esc, 2);
		} else {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*p);
			put(w, esc, 6);
		}
		run = p + 1;
	}
	put(w, (const char *)run, (size_t)(p - run));
	put(w, "\"", 1);
}

void lms_jsonw_i64(lms_jsonw *w, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%lld", (long long)v);
	put(w, b, (size_t)n);
}

void lms_jsonw_num(lms_jsonw *w, double v)
{
	char b[32];
	int n;

	if (!isfinite(v)) {
		put(w, "null", 4);
		return;
	}
	n = snprintf(b, sizeof(b), "%.17g", v);
	put(w, b, (size_t)n);
}

const char *lms_jsonw_text(const lms_jsonw *w)
{
	return w->buf;
}
