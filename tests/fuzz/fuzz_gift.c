/* fuzz_gift.c — GIFT question files (question.h) from arbitrary bytes. Whatever the bytes,
 * lms_gift_parse must return the questions it could read and a report, never crash, leak or
 * read out of bounds; then every question it returned must:
 *  - pass lms_question_check (the parser never hands out a question that breaks the rules);
 *  - give a layout and a learner's view without crashing, and grade "not answered" as 0;
 *  - survive the writer: lms_gift_write (skipping what GIFT cannot say) succeeds, and reading
 *    its output back gives as many questions, of the same types, names and texts.
 * Small limits make the count, option and text caps reachable by mutation. */
#include "fuzz.h"
#include "lms/question.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void exercise(const lms_question *q, lms_arena *a)
{
	lms_response none;
	lms_qlayout lay;
	lms_grade g;
	lms_jsonw w;
	lms_err err;

	FUZZ_CHECK(lms_question_check(q, NULL, &err) == 0);
	FUZZ_CHECK(lms_question_layout(q, 0x5eed, a, &lay, &err) == 0);
	lms_jsonw_init(&w, a);
	FUZZ_CHECK(lms_question_delivery_json(q, &lay, &w, &err) == 0);
	/* as keys: inside a JSON string every quote is escaped, so {" or ," starts a key */
	FUZZ_CHECK(!strstr(lms_jsonw_text(&w), ",\"fraction\":") &&
	           !strstr(lms_jsonw_text(&w), "{\"fraction\":") &&
	           !strstr(lms_jsonw_text(&w), ",\"feedback\":") &&
	           !strstr(lms_jsonw_text(&w), "{\"feedback\":"));
	memset(&none, 0, sizeof(none));
	FUZZ_CHECK(lms_question_grade(q, &none, &g, &err) == 0);
	FUZZ_CHECK(g.fraction == 0.0 && g.points == 0.0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lms_qimport_opts o;
	lms_qwrite_opts wo = { true };
	lms_qreport rep, wrep;
	lms_qset set, back;
	const char *out;
	size_t out_len, i, written;
	bool *skipped;
	lms_arena *a;
	lms_err err;
	char *buf;
	int rc;

	buf = malloc(size ? size : 1); /* exactly size bytes: no terminator to lean on */
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	a = lms_arena_new();
	lms_qimport_opts_default(&o);
	o.limits.max_file_bytes = 1 << 20;
	o.limits.max_questions = 40;
	o.limits.max_options = 12;
	o.limits.max_text = 2048;
	lms_qreport_init(&rep, a);
	lms_err_clear(&err);
	rc = lms_gift_parse(buf, size, &o, a, &set, &rep, &err);
	FUZZ_CHECK(rc == 0 || rc == LMS_EINVAL || rc == LMS_ETOOBIG);
	FUZZ_CHECK(set.n <= o.limits.max_questions);
	if (rc == 0)
		FUZZ_CHECK(rep.errors == 0 && set.n > 0);
	else
		FUZZ_CHECK(rep.errors > 0 && err.code[0] != '\0');
	for (i = 0; i < rep.n; i++)
		FUZZ_CHECK(rep.items[i].message && rep.items[i].message_vi && rep.items[i].code);
	for (i = 0; i < set.n; i++)
		exercise(set.items[i], a);
	if (set.n > 0) {
		lms_qreport_init(&wrep, a);
		rc = lms_gift_write((const lms_question *const *)set.items, set.n, &wo, a, &wrep, &out,
		                    &out_len, &err);
		FUZZ_CHECK(rc == 0 && wrep.errors == 0);
		skipped = lms_arena_alloc(a, set.n);
		written = set.n;
		for (i = 0; i < wrep.n; i++)
			if (!strcmp(wrep.items[i].code, "gift_type_unsupported") ||
			    !strcmp(wrep.items[i].code, "gift_arrow")) {
				FUZZ_CHECK(wrep.items[i].index >= 1 && wrep.items[i].index <= set.n);
				skipped[wrep.items[i].index - 1] = true;
				written--;
			}
		lms_qreport_init(&rep, a);
		rc = lms_gift_parse(out, out_len, &o, a, &back, &rep, &err);
		if (written == 0) {
			FUZZ_CHECK(back.n == 0);
		} else {
			size_t k = 0;
			if (rc != 0 || back.n != written)
				fprintf(stderr, "re-read: rc %d, %zu of %zu questions; first problem: %s\n", rc,
				        back.n, written, rep.n ? rep.items[0].message : "-");
			FUZZ_CHECK(rc == 0 && back.n == written);
			for (i = 0; i < set.n && k < back.n; i++) {
				const lms_question *x = set.items[i];
				if (skipped[i])
					continue;
				FUZZ_CHECK(strcmp(x->name, back.items[k]->name) == 0);
				FUZZ_CHECK(x->type == back.items[k]->type);
				FUZZ_CHECK(strcmp(x->text.text, back.items[k]->text.text) == 0);
				FUZZ_CHECK(x->n_options == back.items[k]->n_options &&
				           x->n_pairs == back.items[k]->n_pairs &&
				           x->n_numerics == back.items[k]->n_numerics);
				k++;
			}
			FUZZ_CHECK(k == back.n);
		}
	}
	lms_arena_free(a);
	free(buf);
	return 0;
}
