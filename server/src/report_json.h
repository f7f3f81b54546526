/* report_json.h — the HR reports as JSON, shared by the web (h_reports.c) and the CLI
 * (cli_report.c). cJSON stays in server/. */
#ifndef SRV_REPORT_JSON_H
#define SRV_REPORT_JSON_H

#include "lms/reports.h"

#include <cjson/cJSON.h>

/* Adds name: v, or null when v is NULL or "". */
void srv_rep_str_or_null(cJSON *o, const char *name, const char *v);
/* v rounded to one decimal. */
double srv_rep_round1(double v);
/* unit, period, filters, target_periods: the head of every report. */
cJSON *srv_rep_json_head(const lms_rep_query *q, const lms_unit *root);
/* The completion report: head, drill "units", rows, total, series, predecessors. */
cJSON *srv_rep_json_completion(const lms_rep_query *q, const lms_unit *root,
                               const lms_rep_completion *c);
/* The indicators: head, indicators[]. */
cJSON *srv_rep_json_indicators(const lms_rep_query *q, const lms_unit *root,
                               const lms_rep_indicator *ind);
/* The quiz and exam results: head, rows, total, assessments, predecessors. */
cJSON *srv_rep_json_exams(const lms_rep_query *q, const lms_unit *root, const lms_rep_exams *e);
/* The survey results: head, k, more, surveys[] (docs/reports.md, "Survey results"). A hidden
 * line has responses, response_rate and questions null and suppressed true. */
cJSON *srv_rep_json_surveys(const lms_rep_query *q, const lms_unit *root,
                            const lms_rep_surveys *r);
/* Callbacks of the store's people, lists and talent pool: append one object to the array ctx. */
int srv_rep_json_person(void *ctx, const lms_rep_person_row *p, lms_err *err);
int srv_rep_json_item(void *ctx, const lms_rep_item *it, lms_err *err);
int srv_rep_json_pool(void *ctx, const lms_rep_pool_row *p, lms_err *err);

#endif
