/* answer_json.c — a learner's answer from its JSON (answer_json.h). Moved out of h_assess.c
 * so that a fuzz target (tests/fuzz/fuzz_answer.c) reaches the very code the save endpoint
 * runs. Invariants: nothing is read past a list's cap; every position is a whole number in
 * [0, 10000] before it is stored in a size_t; nothing is allocated outside the arena. */
#include "answer_json.h"

#include <math.h>
#include <string.h>

#define MAX_POSITION 10000

static int shape(lms_err *err, const char *what)
{
	return lms_err_set(err, LMS_EINVAL, "response_shape", "response", "%s", what);
}

static int small_index(const cJSON *e, size_t *out)
{
	if (!cJSON_IsNumber(e) || !(e->valuedouble >= 0) || e->valuedouble > MAX_POSITION ||
	    e->valuedouble != floor(e->valuedouble))
		return -1;
	*out = (size_t)e->valuedouble;
	return 0;
}

static int index_list(const cJSON *m, lms_arena *a, size_t **out, size_t *n, lms_err *err)
{
	const cJSON *e;
	size_t i = 0;

	if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) > LMS_Q_MAX_OPTIONS)
		return lms_err_set(err, LMS_EINVAL, "response_shape", "response",
		                   "response: a list of at most %d positions", LMS_Q_MAX_OPTIONS);
	*out = lms_arena_alloc(a, ((size_t)cJSON_GetArraySize(m) + 1) * sizeof(**out));
	cJSON_ArrayForEach(e, m)
	{
		if (small_index(e, &(*out)[i]) < 0)
			return shape(err, "response: positions are whole numbers from 0");
		i++;
	}
	*n = i;
	return LMS_OK;
}

static int pair_list(const cJSON *x, lms_arena *a, lms_response *out, lms_err *err)
{
	const cJSON *e;
	lms_rpair *pairs;
	size_t k = 0;

	if (!cJSON_IsArray(x) || cJSON_GetArraySize(x) > LMS_Q_MAX_OPTIONS)
		return lms_err_set(err, LMS_EINVAL, "response_shape", "response",
		                   "response.pairs: a list of at most %d pairs", LMS_Q_MAX_OPTIONS);
	pairs = lms_arena_alloc(a, ((size_t)cJSON_GetArraySize(x) + 1) * sizeof(*pairs));
	cJSON_ArrayForEach(e, x)
	{
		if (!cJSON_IsObject(e) ||
		    small_index(cJSON_GetObjectItemCaseSensitive(e, "stem"), &pairs[k].stem) < 0 ||
		    small_index(cJSON_GetObjectItemCaseSensitive(e, "choice"), &pairs[k].choice) < 0)
			return shape(err, "response.pairs: {\"stem\": n, \"choice\": n} each");
		k++;
	}
	out->pairs = pairs;
	out->n_pairs = k;
	return LMS_OK;
}

int srv_response_parse(const cJSON *m, lms_arena *a, lms_response *out, lms_err *err)
{
	static const char *const names[] = { "choice", "choices", "value", "text", "pairs", "order" };
	const cJSON *x = NULL;
	size_t i, found = 0, which = 0, *v = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsObject(m))
		return shape(err, "response: an object such as {\"choice\": 0}");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (cJSON_GetObjectItemCaseSensitive(m, names[i])) {
			found++;
			which = i;
			x = cJSON_GetObjectItemCaseSensitive(m, names[i]);
		}
	if (found == 0)
		return LMS_OK;
	if (found > 1)
		return shape(err, "response: one kind of answer at a time");
	switch (which) {
	case 0:
		out->kind = LMS_R_CHOICE;
		if (small_index(x, &out->choice) < 0)
			return shape(err, "response.choice: a position from 0");
		return LMS_OK;
	case 1:
		out->kind = LMS_R_CHOICES;
		rc = index_list(x, a, &v, &out->n_choices, err);
		out->choices = v;
		return rc;
	case 2:
		out->kind = LMS_R_BOOL;
		if (!cJSON_IsBool(x))
			return shape(err, "response.value: true or false");
		out->value = cJSON_IsTrue(x);
		return LMS_OK;
	case 3:
		out->kind = LMS_R_TEXT;
		if (!cJSON_IsString(x) || !x->valuestring)
			return shape(err, "response.text: text");
		out->text = lms_arena_strdup(a, x->valuestring);
		return LMS_OK;
	case 4:
		out->kind = LMS_R_PAIRS;
		return pair_list(x, a, out, err);
	default:
		out->kind = LMS_R_ORDER;
		rc = index_list(x, a, &v, &out->n_order, err);
		out->order = v;
		return rc;
	}
}
