/* answer_json.h — a learner's answer as the browser sends it (the "response" member of
 * POST /api/my/attempt/save, docs/assessment.md "Answers") into an lms_response, in the
 * positions the learner was shown. Pure: no CivetWeb, so tests/fuzz/fuzz_answer.c drives it
 * directly with what srv_json_parse gives every request body. */
#ifndef SRV_ANSWER_JSON_H
#define SRV_ANSWER_JSON_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/question.h"

#include <cjson/cJSON.h>

/* Reads m: NULL, null or an object with none of the members below is no answer
 * (LMS_R_NONE); otherwise exactly one of {"choice": n}, {"choices": [n..]}, {"value": b},
 * {"text": s}, {"pairs": [{"stem": n, "choice": n}..]}, {"order": [n..]}, with positions
 * whole numbers from 0 to 10000 and lists of at most LMS_Q_MAX_OPTIONS. Other members are
 * ignored. Lists and the text are copied into a. Returns 0 with *out, or LMS_EINVAL
 * "response_shape" (field "response") saying what was wrong. Does not apply
 * lms_as_response_check (the caller's use case does). */
int srv_response_parse(const cJSON *m, lms_arena *a, lms_response *out, lms_err *err);

#endif
