/* fuzz_question_json.c — a question version's JSON (qbank.h) from arbitrary bytes: what a
 * trainer's edit sends. Whatever the bytes, lms_question_from_json must answer 0 or an error
 * with a code (never crash, leak or read past the input, which has no terminator); and a
 * question it read must:
 *  - be written again (lms_question_to_json succeeds: the reader only hands out finite
 *    numbers and known enumerations);
 *  - read back from that text, and be written to the same text again (the writer is
 *    canonical: an edit that changes nothing is found by comparing texts);
 *  - go through lms_question_check without crashing, whatever it decides.
 * Small limits make the caps reachable by mutation. */
#include "fuzz.h"
#include "lms/qbank.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lms_question *q = NULL, *back = NULL;
	const char *t1, *t2;
	lms_qlimits lim;
	lms_jsonw w;
	lms_arena *a;
	lms_err err;
	char *buf;
	int rc;

	buf = malloc(size ? size : 1); /* exactly size bytes: nothing to lean on after them */
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	a = lms_arena_new();
	lms_qlimits_default(&lim);
	lim.max_options = 8;
	lim.max_text = 512;
	lms_err_clear(&err);
	rc = lms_question_from_json(buf, size, &lim, a, &q, &err);
	FUZZ_CHECK(rc == 0 || rc == LMS_EINVAL || rc == LMS_ETOOBIG);
	if (rc != 0) {
		FUZZ_CHECK(err.code[0] != '\0' && err.msg[0] != '\0');
		goto done;
	}
	FUZZ_CHECK(q && q->n_options <= 8 && q->n_tags <= LMS_Q_MAX_TAGS);
	lms_jsonw_init(&w, a);
	FUZZ_CHECK(lms_question_to_json(q, &w, &err) == 0);
	t1 = lms_jsonw_text(&w);
	FUZZ_CHECK(lms_question_from_json(t1, strlen(t1), &lim, a, &back, &err) == 0);
	lms_jsonw_init(&w, a);
	FUZZ_CHECK(lms_question_to_json(back, &w, &err) == 0);
	t2 = lms_jsonw_text(&w);
	FUZZ_CHECK(strcmp(t1, t2) == 0);
	(void)lms_question_check(q, &lim, &err);
done:
	lms_arena_free(a);
	free(buf);
	return 0;
}
