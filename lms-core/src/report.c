/* report.c — collecting validation problems (see report.h). */
#include "lms/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lms_report_init(lms_report *r, lms_arena *a)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->max_items = 1000;
}

void lms_report_add(lms_report *r, lms_severity sev, const char *code, const char *file,
                    int line, const char *fmt, ...)
{
	char msg[512];
	lms_problem *p;
	va_list ap;

	if (sev == LMS_SEV_ERROR)
		r->errors++;
	else
		r->warnings++;
	if (r->n >= r->max_items) {
		r->dropped++;
		return;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		lms_problem *bigger = lms_arena_alloc(r->arena, cap * sizeof(*bigger));
		if (r->n)
			memcpy(bigger, r->items, r->n * sizeof(*bigger));
		r->items = bigger;
		r->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p = &r->items[r->n++];
	p->severity = sev;
	p->code = lms_arena_strdup(r->arena, code ? code : "problem");
	p->file = lms_arena_strdup(r->arena, file ? file : "");
	p->line = line;
	p->message = lms_arena_strdup(r->arena, msg);
}
