/* fuzz_moodlexml.c — Moodle XML question files (question.h) from arbitrary bytes. Whatever
 * the bytes, lms_moodlexml_parse must return the questions it could read and a report, never
 * crash, leak, read out of bounds or fetch anything; every question it returned must pass
 * lms_question_check, give a learner's view and grade "not answered" as 0; and writing them
 * as Moodle XML and reading that back must give the same questions (types, names, texts,
 * options, files). Small limits make the caps reachable by mutation. */
#include "fuzz.h"
#include "lms/question.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void same_text(const lms_qtext *x, const lms_qtext *y)
{
	size_t i;

	FUZZ_CHECK(strcmp(x->text, y->text) == 0 && x->format == y->format);
	FUZZ_CHECK(x->n_files == y->n_files);
	for (i = 0; i < x->n_files; i++)
		FUZZ_CHECK(strcmp(x->files[i].name, y->files[i].name) == 0 &&
		           x->files[i].size == y->files[i].size &&
		           (x->files[i].size == 0 ||
		            memcmp(x->files[i].data, y->files[i].data, x->files[i].size) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lms_qimport_opts o;
	lms_qreport rep;
	lms_qset set, back;
	const char *out;
	size_t out_len, i, k;
	lms_arena *a;
	lms_err err;
	char *buf;
	int rc;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	a = lms_arena_new();
	lms_qimport_opts_default(&o);
	o.limits.max_file_bytes = 1 << 20;
	o.limits.max_questions = 40;
	o.limits.max_options = 12;
	o.limits.max_text = 4096;
	o.limits.max_attachment = 4096;
	o.limits.max_attachments_total = 16384;
	lms_qreport_init(&rep, a);
	lms_err_clear(&err);
	rc = lms_moodlexml_parse(buf, size, &o, a, &set, &rep, &err);
	FUZZ_CHECK(rc == 0 || rc == LMS_EINVAL || rc == LMS_ETOOBIG);
	FUZZ_CHECK(rc == 0 ? rep.errors == 0 && set.n > 0 : rep.errors > 0);
	for (i = 0; i < set.n; i++) {
		const lms_question *q = set.items[i];
		lms_response none;
		lms_qlayout lay;
		lms_grade g;
		lms_jsonw w;
		FUZZ_CHECK(lms_question_check(q, &o.limits, &err) == 0);
		FUZZ_CHECK(lms_question_layout(q, 7, a, &lay, &err) == 0);
		lms_jsonw_init(&w, a);
		FUZZ_CHECK(lms_question_delivery_json(q, &lay, &w, &err) == 0);
		memset(&none, 0, sizeof(none));
		FUZZ_CHECK(lms_question_grade(q, &none, &g, &err) == 0 && g.fraction == 0.0);
	}
	if (set.n > 0) {
		lms_qreport_init(&rep, a);
		rc = lms_moodlexml_write((const lms_question *const *)set.items, set.n, NULL, a, &rep,
		                         &out, &out_len, &err);
		FUZZ_CHECK(rc == 0);
		lms_qreport_init(&rep, a);
		o.limits.max_file_bytes = 4 << 20;
		rc = lms_moodlexml_parse(out, out_len, &o, a, &back, &rep, &err);
		if (rc != 0 || back.n != set.n)
			fprintf(stderr, "re-read: rc %d, %zu of %zu; first problem: %s\n", rc, back.n,
			        set.n, rep.n ? rep.items[0].message : "-");
		FUZZ_CHECK(rc == 0 && back.n == set.n);
		for (i = 0; i < set.n; i++) {
			const lms_question *x = set.items[i], *y = back.items[i];
			FUZZ_CHECK(x->type == y->type && strcmp(x->name, y->name) == 0 &&
			           strcmp(x->category, y->category) == 0);
			same_text(&x->text, &y->text);
			FUZZ_CHECK(x->n_options == y->n_options && x->n_pairs == y->n_pairs &&
			           x->n_items == y->n_items && x->n_numerics == y->n_numerics &&
			           x->n_tags == y->n_tags);
			for (k = 0; k < x->n_options; k++) {
				same_text(&x->options[k].text, &y->options[k].text);
				FUZZ_CHECK(x->options[k].fraction == y->options[k].fraction);
			}
			for (k = 0; k < x->n_items; k++)
				same_text(&x->items[k], &y->items[k]);
			for (k = 0; k < x->n_pairs; k++)
				FUZZ_CHECK(strcmp(x->pairs[k].answer, y->pairs[k].answer) == 0);
		}
	}
	lms_arena_free(a);
	free(buf);
	return 0;
}
