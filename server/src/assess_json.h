/* assess_json.h — an assessment as JSON, both ways, for the HTTP API (h_assess.c) and the
 * CLI (cli_assessment.c), so that `parlearn assessment create --file F` takes exactly the
 * body of POST /api/assessments and `show` prints exactly GET /api/assessments/detail
 * (docs/assessment.md). Also the result rows (ranking) and the CSV files of the results
 * and of the item analysis. cJSON stays in server/. */
#ifndef SRV_ASSESS_JSON_H
#define SRV_ASSESS_JSON_H

#include "lms/arena.h"
#include "lms/assess_store.h"
#include "lms/error.h"
#include "lms/item_analysis.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Reads the definition in body into *as (strings and lists in a): kind, title,
 * description, unit, course, window, limits, grading, review rules, shuffle, fixed
 * questions, draw rules, audience lines, named list; the code too when create. A unit
 * absent from the body is default_unit (NULL: none, then "unit" is refused). Ends with
 * lms_as_check. LMS_EINVAL "invalid_field" naming the member at fault ("rules[1]",
 * "closes_at", ...). Does not check who may use the unit, nor that the unit, course,
 * questions and people exist (the store does: LMS_ENOTFOUND with the field). */
int srv_as_def_parse(const cJSON *body, bool create, const char *default_unit, lms_arena *a,
                     lms_assessment *as, lms_err *err);

/* The assessment as the API shows it (GET /api/assessments lists it without detail; the
 * detail adds fixed, rules, audience, named). The caller frees it with cJSON_Delete. */
cJSON *srv_as_json(const lms_assessment *as, bool detail);

/* One row of the results list (GET /api/assessments/results). */
cJSON *srv_as_result_json(const lms_as_result_row *x);

/* Sorts result rows as the API lists them: by rank (unranked last), then attempt. */
void srv_as_results_sort(lms_as_result_row *rows, size_t n);

/* The results as a CSV file (UTF-8 with a BOM for Excel; cells that a spreadsheet would read
 * as a formula are neutralised, lms_sv_csv_cell): one row per submitted attempt, in the
 * order of srv_as_results_sort, the columns of the API's rows. NUL-terminated, in a. */
const char *srv_as_results_csv(lms_arena *a, const lms_assessment *as,
                               const lms_as_result_row *rows, size_t n);

/* The item analysis as a CSV file, the columns of GET /api/assessments/items.csv. */
const char *srv_as_items_csv(lms_arena *a, const lms_assessment *as, const lms_ia_result *res,
                             const char *const *labels, const char *const *types,
                             const int64_t *qids);

#endif
