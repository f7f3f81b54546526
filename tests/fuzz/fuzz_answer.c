/* fuzz_answer.c — a learner's answer as POST /api/my/attempt/save receives it: the body goes
 * through srv_json_parse (every request body does), its "response" member through
 * srv_response_parse (answer_json.c, what h_assess.c calls) and then the core's check
 * (lms_as_response_check, what lms_as_save applies). Whatever the bytes, each must answer
 * 0 or a clean "response_shape" refusal (never crash, leak or read past the input); and an
 * answer both accept must:
 *  - have no list longer than LMS_Q_MAX_OPTIONS and no position past the caps;
 *  - be written as its canonical JSON (lms_as_response_json), which parses again, reads
 *    back to the same answer and is written to the same text (what is stored is what was
 *    meant, and a replay of the stored text is the same answer);
 *  - say a shape (rkind) that names its kind.
 * The input may also be a bare response (no "response" member): then the whole object is
 * read as one, so mutations reach the parser without having to keep the wrapper. */
#include "answer_json.h"
#include "fuzz.h"
#include "json_body.h"

#include "lms/assess_store.h"
#include "lms/jsonw.h"

#include <stdlib.h>
#include <string.h>

static const char *kind_shape(lms_rkind k)
{
	switch (k) {
	case LMS_R_CHOICE: return "choice";
	case LMS_R_CHOICES: return "choices";
	case LMS_R_BOOL: return "bool";
	case LMS_R_TEXT: return "text";
	case LMS_R_PAIRS: return "pairs";
	case LMS_R_ORDER: return "order";
	default: return "none";
	}
}

static bool same(const lms_response *x, const lms_response *y)
{
	size_t i;

	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case LMS_R_CHOICE: return x->choice == y->choice;
	case LMS_R_CHOICES:
		if (x->n_choices != y->n_choices)
			return false;
		for (i = 0; i < x->n_choices; i++)
			if (x->choices[i] != y->choices[i])
				return false;
		return true;
	case LMS_R_BOOL: return x->value == y->value;
	case LMS_R_TEXT: return strcmp(x->text, y->text) == 0;
	case LMS_R_PAIRS:
		if (x->n_pairs != y->n_pairs)
			return false;
		for (i = 0; i < x->n_pairs; i++)
			if (x->pairs[i].stem != y->pairs[i].stem || x->pairs[i].choice != y->pairs[i].choice)
				return false;
		return true;
	case LMS_R_ORDER:
		if (x->n_order != y->n_order)
			return false;
		for (i = 0; i < x->n_order; i++)
			if (x->order[i] != y->order[i])
				return false;
		return true;
	default: return true;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *code = NULL, *detail = NULL, *t1, *t2;
	cJSON *body = NULL, *again = NULL;
	const cJSON *m;
	lms_response r, back;
	lms_as_shape shape;
	lms_arena *a;
	lms_jsonw w;
	lms_err err;
	char *buf;
	int rc;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	a = lms_arena_new();
	if (srv_json_parse(buf, size, &body, &code, &detail) != 0)
		goto done;
	m = cJSON_GetObjectItemCaseSensitive(body, "response");
	if (!m)
		m = body;
	lms_err_clear(&err);
	rc = srv_response_parse(m, a, &r, &err);
	FUZZ_CHECK(rc == 0 || rc == LMS_EINVAL);
	if (rc != 0) {
		FUZZ_CHECK(strcmp(err.code, "response_shape") == 0 && err.msg[0] != '\0');
		goto done;
	}
	FUZZ_CHECK(r.n_choices <= LMS_Q_MAX_OPTIONS && r.n_pairs <= LMS_Q_MAX_OPTIONS &&
	           r.n_order <= LMS_Q_MAX_OPTIONS);
	FUZZ_CHECK(r.kind != LMS_R_TEXT || r.text);
	lms_err_clear(&err);
	rc = lms_as_response_check(&r, &shape, &err);
	FUZZ_CHECK(rc == 0 || (rc == LMS_EINVAL && strcmp(err.code, "response_shape") == 0));
	if (rc != 0)
		goto done;
	FUZZ_CHECK(strcmp(shape.rkind, kind_shape(r.kind)) == 0);
	lms_jsonw_init(&w, a);
	lms_as_response_json(&r, &w);
	t1 = lms_jsonw_text(&w);
	FUZZ_CHECK(srv_json_parse(t1, strlen(t1), &again, &code, &detail) == 0);
	lms_err_clear(&err);
	FUZZ_CHECK(srv_response_parse(again, a, &back, &err) == 0);
	FUZZ_CHECK(same(&r, &back));
	lms_jsonw_init(&w, a);
	lms_as_response_json(&back, &w);
	t2 = lms_jsonw_text(&w);
	FUZZ_CHECK(strcmp(t1, t2) == 0);
done:
	cJSON_Delete(again);
	cJSON_Delete(body);
	lms_arena_free(a);
	free(buf);
	return 0;
}
