/* cli_report.c — `parlearn report …`: the HR reports for scheduled jobs (docs/reports.md):
 *
 *   report completion      --unit U --period P [--drill people] [--format csv|xlsx|json] [--out F]
 *   report indicators      --unit U --period P [--format …] [--out F]
 *   report indicator-list  --id ID --unit U --period P [--only counted|missing] [--format …]
 *   report exams           --unit U --period P [--assessment A] [--kind quiz|exam] [--format …]
 *   report talent-pool     --unit U --period P [--status proposed|approved|rejected] [--format …]
 *   report surveys         --unit U --period P [--course C] [--format …]
 *   report flag-course     --course C [--par-training yes|no|auto] [--expert yes|no]
 *   report flag-position   --position P --par yes|no
 *
 * The same core calls and writers as the web (reports.h, report_table.h, report_json.c), so
 * a file is byte for byte the page's file for the same parameters. The CLI reaches every unit
 * (whoever runs it holds the database); each file is written to the audit log as
 * "cli:<user of the process>". Without --out the file goes to standard output.
 */
#include "cli.h"
#include "report_json.h"

#include "lms/clock.h"
#include "lms/report_table.h"
#include "lms/reports.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct rep_opts {
	const char *unit, *period, *from, *to, *course, *area, *audience, *par, *drill, *format, *out;
	const char *id, *only, *assessment, *kind, *status;
} rep_opts;

#define COMMON_OPTS(o)                                                                        \
	{ "unit", NULL, &(o).unit, NULL, NULL, "unit code: its subtree (default: the city)" },      \
	{ "period", NULL, &(o).period, NULL, NULL, "2025-Q3, 2025-H1 or 2025 (default: this quarter)" }, \
	{ "from", NULL, &(o).from, NULL, NULL, "first day YYYY-MM-DD (with --to, instead of --period)" }, \
	{ "to", NULL, &(o).to, NULL, NULL, "last day YYYY-MM-DD, included" },                     \
	{ "format", NULL, &(o).format, NULL, "csv", "csv, xlsx or json" },                         \
	{ "out", NULL, &(o).out, NULL, NULL, "the file to write (default: standard output)" }

typedef struct file_sink {
	FILE *f;
} file_sink;

static int to_file(void *ctx, const void *buf, size_t n)
{
	file_sink *s = ctx;

	return fwrite(buf, 1, n, s->f) == n ? 0 : LMS_EUNAVAIL;
}

/* "cli:<name of the user running the command>" */
static void actor(char *out, size_t size)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(out, size, "cli:%s", pw && pw->pw_name ? pw->pw_name : "unknown");
}

static int prepare(cli_ctx *c, const rep_opts *o, lms_rep_query *q, lms_unit *root)
{
	lms_scope all = { true, NULL, 0 };

	memset(q, 0, sizeof(*q));
	if (lms_period_parse(&q->period, o->period, o->from, o->to, lms_now(lms_clock_system()),
	                     &c->err) < 0 ||
	    lms_rep_parse_audience(o->audience, o->par, q, &c->err) < 0 ||
	    lms_rep_parse_akind(o->kind, q, &c->err) < 0 ||
	    lms_rep_parse_pool_status(o->status, q, &c->err) < 0)
		return LMS_EINVAL;
	q->unit_code = o->unit;
	q->course_code = o->course;
	q->par_area = o->area;
	q->assessment_code = o->assessment;
	return lms_rep_prepare(c->store, &all, q, c->arena, root, &c->err);
}

static char *params_json(const char *report, const rep_opts *o, const lms_rep_query *q,
                         const lms_unit *root)
{
	cJSON *j = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(j, "report", report);
	cJSON_AddStringToObject(j, "unit", root->code);
	cJSON_AddStringToObject(j, "period", q->period.label);
	cJSON_AddStringToObject(j, "from", q->period.from);
	cJSON_AddStringToObject(j, "to", q->period.to);
	srv_rep_str_or_null(j, "course", q->course_code);
	srv_rep_str_or_null(j, "par_area", q->par_area);
	srv_rep_str_or_null(j, "audience", lms_rep_leader_name(q->leader));
	srv_rep_str_or_null(j, "par_role", lms_rep_par_name(q->par));
	if (strcmp(report, "completion") == 0)
		cJSON_AddStringToObject(j, "drill", o->drill && strcmp(o->drill, "people") == 0 ? "people"
		                                                                               : "units");
	if (o->id)
		cJSON_AddStringToObject(j, "id", o->id);
	srv_rep_str_or_null(j, "only", o->only);
	if (strcmp(report, "exams") == 0) {
		srv_rep_str_or_null(j, "assessment", q->assessment_code);
		srv_rep_str_or_null(j, "kind", lms_rep_akind_name(q->akind));
	}
	if (strcmp(report, "talent-pool") == 0)
		srv_rep_str_or_null(j, "status", lms_rep_pool_status_name(q->pool_status));
	cJSON_AddStringToObject(j, "format", o->format);
	text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return text;
}

static int audit(cli_ctx *c, const char *report, const rep_opts *o, const lms_rep_query *q,
                 const lms_unit *root, int64_t rows)
{
	char who[96], action[64], *params = params_json(report, o, q, root);
	lms_audit a;
	int rc;

	actor(who, sizeof(who));
	snprintf(action, sizeof(action), "report.%s.%s", report, o->format);
	memset(&a, 0, sizeof(a));
	a.actor = who;
	a.action = action;
	a.params_json = params ? params : "{}";
	a.row_count = rows;
	rc = c->store->ops->report->audit(c->store, &a, &c->err);
	cJSON_free(params);
	return rc;
}

/* What a file holds. */
typedef int (*fill_fn)(cli_ctx *c, const rep_opts *o, const lms_rep_query *q,
                       const lms_unit *root, lms_tab *t, int64_t *rows);

/* Copies a file to standard output. */
static int cat(const char *path, lms_err *err)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "cannot read %s", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			break;
	fclose(f);
	return fflush(stdout) == 0 ? LMS_OK
	                           : lms_err_set(err, LMS_EUNAVAIL, NULL, NULL, "cannot write the output");
}

/* Writes the file (csv or xlsx) to --out or standard output, then logs it. */
static int write_file(cli_ctx *c, const char *report, const rep_opts *o, const lms_rep_query *q,
                      const lms_unit *root, fill_fn fill)
{
	char tmp[64] = "";
	const char *path = o->out;
	lms_tab *t = NULL;
	int64_t rows = 0;
	file_sink sink = { NULL };
	int rc;

	if (strcmp(o->format, "csv") == 0) {
		if (!(sink.f = o->out ? fopen(o->out, "wb") : stdout))
			return lms_err_set(&c->err, LMS_EINVAL, "usage", "out", "cannot write %s: %s", o->out,
			                   strerror(errno));
		if ((rc = lms_tab_csv_new(&t, to_file, &sink, &c->err)) == 0 &&
		    (rc = fill(c, o, q, root, t, &rows)) == 0 && (rc = lms_tab_finish(t, &c->err)) == 0 &&
		    fflush(sink.f) != 0)
			rc = lms_err_set(&c->err, LMS_EUNAVAIL, NULL, NULL, "cannot write the file");
		if (o->out)
			fclose(sink.f);
	} else {
		if (!path) {
			int fd;
			snprintf(tmp, sizeof(tmp), "/tmp/parlearn-report-XXXXXX");
			if ((fd = mkstemp(tmp)) < 0)
				return lms_err_set(&c->err, LMS_EINTERNAL, NULL, NULL, "cannot make a file in /tmp");
			close(fd);
			path = tmp;
		}
		if ((rc = lms_tab_xlsx_new(&t, path, NULL, lms_period_end_us(&q->period) / LMS_SECOND_US,
		                           &c->err)) == 0 &&
		    (rc = fill(c, o, q, root, t, &rows)) == 0)
			rc = lms_tab_finish(t, &c->err);
		if (rc == 0 && *tmp)
			rc = cat(tmp, &c->err);
		if (*tmp)
			unlink(tmp);
	}
	lms_tab_free(t);
	if (rc == 0)
		rc = audit(c, report, o, q, root, rows);
	if (rc < 0 && o->out)
		unlink(o->out); /* never leave a partial or unlogged file */
	else if (rc == 0 && o->out)
		fprintf(stderr, "%s: %lld row(s)\n", o->out, (long long)rows);
	return rc;
}

static int print_json(cli_ctx *c, const rep_opts *o, cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	FILE *f = o->out ? fopen(o->out, "wb") : stdout;
	int rc = LMS_OK;

	cJSON_Delete(doc);
	if (!text || !f || fputs(text, f) < 0 || fflush(f) != 0)
		rc = lms_err_set(&c->err, LMS_EUNAVAIL, NULL, NULL, "cannot write the output");
	if (f && o->out)
		fclose(f);
	cJSON_free(text);
	return rc;
}

static int check_format(cli_ctx *c, const rep_opts *o)
{
	if (strcmp(o->format, "csv") != 0 && strcmp(o->format, "xlsx") != 0 &&
	    strcmp(o->format, "json") != 0)
		return lms_err_set(&c->err, LMS_EINVAL, "usage", "format", "--format: csv, xlsx or json");
	if (strcmp(o->format, "xlsx") == 0 && !o->out && isatty(STDOUT_FILENO))
		return lms_err_set(&c->err, LMS_EINVAL, "usage", "out",
		                   "--out FILE: an XLSX file is not for a terminal");
	return LMS_OK;
}

/* ---- report completion ---- */

static int fill_units(cli_ctx *c, const rep_opts *o, const lms_rep_query *q, const lms_unit *root,
                      lms_tab *t, int64_t *rows)
{
	lms_rep_completion r;
	int rc;

	if ((rc = lms_rep_completion_run(c->store, q, root, c->arena, &r, &c->err)) < 0 ||
	    (rc = lms_rep_file_completion(t, q, &r, &c->err)) < 0)
		return rc;
	if (strcmp(o->format, "xlsx") == 0) {
		/* the quarter's workbook carries the quiz and exam results and the surveys too, as
		 * on the web */
		lms_rep_exams e;
		lms_rep_surveys sv;
		if ((rc = lms_rep_exams_run(c->store, q, root, c->arena, &e, &c->err)) < 0 ||
		    (rc = lms_rep_file_exam_sheets(t, &e, &c->err)) < 0 ||
		    (rc = lms_rep_surveys_run(c->store, q, root, c->arena, &sv, &c->err)) < 0 ||
		    (rc = lms_rep_file_survey_sheet(t, &sv, &c->err)) < 0)
			return rc;
	}
	*rows = (int64_t)r.n_rows + 1;
	return LMS_OK;
}

static int fill_people(cli_ctx *c, const rep_opts *o, const lms_rep_query *q, const lms_unit *root,
                       lms_tab *t, int64_t *rows)
{
	(void)o;
	return lms_rep_file_people(c->store, t, q, root, rows, &c->err);
}

static int report_completion(int argc, char **argv)
{
	rep_opts o;
	const srv_opt own[] = {
		COMMON_OPTS(o),
		{ "course", NULL, &o.course, NULL, NULL, "a course code: that course only" },
		{ "par-area", NULL, &o.area, NULL, NULL, "a PAR area: its courses only" },
		{ "audience", NULL, &o.audience, NULL, NULL, "leader or staff" },
		{ "par-role", NULL, &o.par, NULL, NULL, "par, dedicated, concurrent or none" },
		{ "drill", NULL, &o.drill, NULL, "units", "units (the child units) or people" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_rep_query q;
	lms_unit root;
	cli_ctx c;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn report completion [--unit U] [--period P | --from D --to D] "
	                    "[--drill units|people] [--format csv|xlsx|json] [--out F]",
	                    "Completions, overdue assignments, time and training periods of a unit "
	                    "subtree for a period, by child unit or by person (docs/reports.md).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = check_format(&c, &o)) < 0 || (rc = prepare(&c, &o, &q, &root)) < 0)
		goto done;
	if (strcmp(o.drill, "units") != 0 && strcmp(o.drill, "people") != 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "drill", "--drill: units or people");
		goto done;
	}
	if (strcmp(o.format, "json") == 0) {
		lms_rep_completion r;
		if (strcmp(o.drill, "people") == 0) {
			cJSON *doc = srv_rep_json_head(&q, &root), *arr;
			int64_t total = 0;
			cJSON_AddStringToObject(doc, "drill", "people");
			arr = cJSON_AddArrayToObject(doc, "people");
			if ((rc = c.store->ops->report->people(c.store, &q, -1, 0, srv_rep_json_person, arr,
			                                       &total, &c.err)) < 0) {
				cJSON_Delete(doc);
				goto done;
			}
			cJSON_AddNumberToObject(doc, "total", (double)total);
			rc = print_json(&c, &o, doc);
		} else if ((rc = lms_rep_completion_run(c.store, &q, &root, c.arena, &r, &c.err)) == 0) {
			rc = print_json(&c, &o, srv_rep_json_completion(&q, &root, &r));
		}
		goto done;
	}
	rc = write_file(&c, "completion", &o, &q, &root,
	                strcmp(o.drill, "people") == 0 ? fill_people : fill_units);
done:
	return cli_end(&c, rc);
}

/* ---- report indicators ---- */

static int fill_indicators(cli_ctx *c, const rep_opts *o, const lms_rep_query *q,
                           const lms_unit *root, lms_tab *t, int64_t *rows)
{
	lms_rep_indicator ind[LMS_IND_COUNT];
	int rc;

	(void)o;
	if ((rc = c->store->ops->report->indicators(c->store, q, ind, &c->err)) < 0 ||
	    (rc = lms_rep_file_indicators(t, q, root, ind, &c->err)) < 0)
		return rc;
	*rows = LMS_IND_COUNT;
	return LMS_OK;
}

static int report_indicators(int argc, char **argv)
{
	rep_opts o;
	const srv_opt own[] = { COMMON_OPTS(o), { NULL, NULL, NULL, NULL, NULL, NULL } };
	lms_rep_indicator ind[LMS_IND_COUNT];
	lms_rep_query q;
	lms_unit root;
	cli_ctx c;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn report indicators [--unit U] [--period P | --from D --to D] "
	                    "[--format csv|xlsx|json] [--out F]",
	                    "The indicators of Decision 2709/QĐ-UBND, section II.2, with numerators "
	                    "and denominators (docs/reports.md).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = check_format(&c, &o)) < 0 || (rc = prepare(&c, &o, &q, &root)) < 0)
		goto done;
	if (strcmp(o.format, "json") == 0) {
		if ((rc = c.store->ops->report->indicators(c.store, &q, ind, &c.err)) == 0)
			rc = print_json(&c, &o, srv_rep_json_indicators(&q, &root, ind));
		goto done;
	}
	rc = write_file(&c, "indicators", &o, &q, &root, fill_indicators);
done:
	return cli_end(&c, rc);
}

/* ---- report indicator-list ---- */

typedef struct list_args {
	lms_rep_ind ind;
	lms_rep_only only;
} list_args;

static list_args g_list; /* the list being written (one command per process) */

static int fill_list(cli_ctx *c, const rep_opts *o, const lms_rep_query *q, const lms_unit *root,
                     lms_tab *t, int64_t *rows)
{
	(void)o;
	return lms_rep_file_list(c->store, t, q, root, g_list.ind, g_list.only, rows, &c->err);
}

static int report_list(int argc, char **argv)
{
	rep_opts o;
	const srv_opt own[] = {
		COMMON_OPTS(o),
		{ "id", NULL, &o.id, NULL, NULL, "the indicator: leaders_trained, par_required_done, "
		  "par_access, experts_certified, leadership_pool, units_par_position" },
		{ "only", NULL, &o.only, NULL, NULL, "counted (the numerator) or missing" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_rep_query q;
	lms_unit root;
	cli_ctx c;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn report indicator-list --id ID [--unit U] [--period P] "
	                    "[--only counted|missing] [--format csv|xlsx|json] [--out F]",
	                    "The people (or units) behind an indicator.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = check_format(&c, &o)) < 0 || (rc = lms_rep_ind_parse(o.id, &g_list.ind, &c.err)) < 0 ||
	    (rc = prepare(&c, &o, &q, &root)) < 0)
		goto done;
	g_list.only = !o.only ? LMS_REP_ALL
	              : strcmp(o.only, "counted") == 0 ? LMS_REP_COUNTED
	              : strcmp(o.only, "missing") == 0 ? LMS_REP_MISSING : (lms_rep_only)-1;
	if ((int)g_list.only < 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "only", "--only: counted or missing");
		goto done;
	}
	if (strcmp(o.format, "json") == 0) {
		cJSON *doc = srv_rep_json_head(&q, &root), *arr;
		int64_t total = 0;
		cJSON_AddStringToObject(doc, "id", lms_rep_ind_id(g_list.ind));
		arr = cJSON_AddArrayToObject(doc, "items");
		if ((rc = c.store->ops->report->indicator_list(c.store, &q, g_list.ind, g_list.only, -1, 0,
		                                               srv_rep_json_item, arr, &total,
		                                               &c.err)) < 0) {
			cJSON_Delete(doc);
			goto done;
		}
		cJSON_AddNumberToObject(doc, "total", (double)total);
		rc = print_json(&c, &o, doc);
		goto done;
	}
	rc = write_file(&c, "indicator-list", &o, &q, &root, fill_list);
done:
	return cli_end(&c, rc);
}

/* ---- report exams ---- */

static int fill_exams(cli_ctx *c, const rep_opts *o, const lms_rep_query *q, const lms_unit *root,
                      lms_tab *t, int64_t *rows)
{
	lms_rep_exams e;
	int rc;

	(void)o;
	if ((rc = lms_rep_exams_run(c->store, q, root, c->arena, &e, &c->err)) < 0 ||
	    (rc = lms_rep_file_exams(t, q, &e, &c->err)) < 0)
		return rc;
	*rows = (int64_t)e.n_rows + 1;
	return LMS_OK;
}

static int report_exams(int argc, char **argv)
{
	rep_opts o;
	const srv_opt own[] = {
		COMMON_OPTS(o),
		{ "course", NULL, &o.course, NULL, NULL, "a course code: the quizzes and exams of that course" },
		{ "par-area", NULL, &o.area, NULL, NULL, "a PAR area: the assessments of its courses" },
		{ "audience", NULL, &o.audience, NULL, NULL, "leader or staff" },
		{ "par-role", NULL, &o.par, NULL, NULL, "par, dedicated, concurrent or none" },
		{ "assessment", NULL, &o.assessment, NULL, NULL, "an assessment code: that quiz or exam only" },
		{ "kind", NULL, &o.kind, NULL, NULL, "quiz or exam (default: both)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_rep_query q;
	lms_unit root;
	cli_ctx c;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn report exams [--unit U] [--period P | --from D --to D] "
	                    "[--assessment A] [--kind quiz|exam] [--format csv|xlsx|json] [--out F]",
	                    "Quiz and exam results of a unit subtree for a period, by child unit and by "
	                    "assessment: attempts, people, average score, pass rate, distribution "
	                    "(docs/reports.md).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = check_format(&c, &o)) < 0 || (rc = prepare(&c, &o, &q, &root)) < 0)
		goto done;
	if (strcmp(o.format, "json") == 0) {
		lms_rep_exams e;
		if ((rc = lms_rep_exams_run(c.store, &q, &root, c.arena, &e, &c.err)) == 0)
			rc = print_json(&c, &o, srv_rep_json_exams(&q, &root, &e));
		goto done;
	}
	rc = write_file(&c, "exams", &o, &q, &root, fill_exams);
done:
	return cli_end(&c, rc);
}

/* ---- report surveys ---- */

static int fill_surveys(cli_ctx *c, const rep_opts *o, const lms_rep_query *q,
                        const lms_unit *root, lms_tab *t, int64_t *rows)
{
	lms_rep_surveys sv;
	int rc;

	(void)o;
	if ((rc = lms_rep_surveys_run(c->store, q, root, c->arena, &sv, &c->err)) < 0)
		return rc;
	return lms_rep_file_surveys(t, q, &sv, rows, &c->err);
}

static int report_surveys(int argc, char **argv)
{
	rep_opts o;
	const srv_opt own[] = {
		COMMON_OPTS(o),
		{ "course", NULL, &o.course, NULL, NULL, "a course code: the surveys of that course" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_rep_query q;
	lms_unit root;
	cli_ctx c;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn report surveys [--unit U] [--period P | --from D --to D] "
	                    "[--course C] [--format csv|xlsx|json] [--out F]",
	                    "Survey results of a unit subtree for a period, by child unit: responses, "
	                    "response rate, each Likert question's mean and distribution; groups of "
	                    "fewer than 5 responses of an anonymous survey hidden (docs/reports.md).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = check_format(&c, &o)) < 0 || (rc = prepare(&c, &o, &q, &root)) < 0)
		goto done;
	if (strcmp(o.format, "json") == 0) {
		lms_rep_surveys sv;
		if ((rc = lms_rep_surveys_run(c.store, &q, &root, c.arena, &sv, &c.err)) == 0)
			rc = print_json(&c, &o, srv_rep_json_surveys(&q, &root, &sv));
		goto done;
	}
	rc = write_file(&c, "surveys", &o, &q, &root, fill_surveys);
done:
	return cli_end(&c, rc);
}

/* ---- report talent-pool ---- */

static int fill_pool(cli_ctx *c, const rep_opts *o, const lms_rep_query *q, const lms_unit *root,
                     lms_tab *t, int64_t *rows)
{
	(void)o;
	return lms_rep_file_pool(c->store, t, q, root, rows, &c->err);
}

static int report_pool(int argc, char **argv)
{
	rep_opts o;
	const srv_opt own[] = {
		COMMON_OPTS(o),
		{ "status", NULL, &o.status, NULL, NULL, "proposed, approved or rejected (on the last day)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_rep_query q;
	lms_unit root;
	cli_ctx c;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn report talent-pool [--unit U] [--period P | --from D --to D] "
	                    "[--status proposed|approved|rejected] [--format csv|xlsx|json] [--out F]",
	                    "The talent-pool list (danh sách nguồn) of a unit subtree as it stood on "
	                    "the period's last day (docs/reports.md).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = check_format(&c, &o)) < 0 || (rc = prepare(&c, &o, &q, &root)) < 0)
		goto done;
	if (strcmp(o.format, "json") == 0) {
		cJSON *doc = srv_rep_json_head(&q, &root), *arr;
		int64_t total = 0;
		srv_rep_str_or_null(doc, "status", lms_rep_pool_status_name(q.pool_status));
		arr = cJSON_AddArrayToObject(doc, "entries");
		if ((rc = c.store->ops->report->talent_pool(c.store, &q, -1, 0, srv_rep_json_pool, arr,
		                                            &total, &c.err)) < 0) {
			cJSON_Delete(doc);
			goto done;
		}
		cJSON_AddNumberToObject(doc, "total", (double)total);
		rc = print_json(&c, &o, doc);
		goto done;
	}
	rc = write_file(&c, "talent-pool", &o, &q, &root, fill_pool);
done:
	return cli_end(&c, rc);
}

/* ---- the trainers' flags ---- */

static int yes_no(const char *v, bool auto_ok, int *out)
{
	if (!v)
		*out = auto_ok ? -2 : -1;
	else if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else if (auto_ok && strcmp(v, "auto") == 0)
		*out = -1;
	else
		return -1;
	return 0;
}

static int flag_course(int argc, char **argv)
{
	const char *course = NULL, *par = NULL, *expert = NULL;
	const srv_opt own[] = {
		{ "course", NULL, &course, NULL, NULL, "the course code" },
		{ "par-training", NULL, &par, NULL, NULL,
		  "yes: counts as PAR training for the leaders' indicator; no: does not; auto: as its "
		  "PAR area says (the default)" },
		{ "expert", NULL, &expert, NULL, NULL, "yes: an expert programme (its certificates make PAR experts)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	int p, e;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn report flag-course --course C [--par-training yes|no|auto] "
	                    "[--expert yes|no]",
	                    "Sets what a course counts for in the Decision's indicators.")) != 0)
		return rc == 1 ? 0 : rc;
	if (!course || yes_no(par, true, &p) < 0 || yes_no(expert, false, &e) < 0)
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "course",
		                 "--course C, --par-training yes|no|auto, --expert yes|no");
	else if ((rc = c.store->ops->report->flag_course(c.store, course, p, e, &c.err)) == 0)
		printf("course %s updated\n", course);
	return cli_end(&c, rc);
}

static int flag_position(int argc, char **argv)
{
	const char *position = NULL, *par = NULL;
	const srv_opt own[] = {
		{ "position", NULL, &position, NULL, NULL, "the job position's code (the roster's)" },
		{ "par", NULL, &par, NULL, NULL, "yes: its description includes PAR work; no: it does not" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	int p = -1;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn report flag-position --position P --par yes|no",
	                    "Marks a job position as a PAR position (the units indicator).")) != 0)
		return rc == 1 ? 0 : rc;
	if (!position || yes_no(par, false, &p) < 0 || p < 0)
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "position", "--position P --par yes|no");
	else if ((rc = c.store->ops->report->flag_position(c.store, position, p == 1, &c.err)) == 0)
		printf("position %s updated\n", position);
	return cli_end(&c, rc);
}

int cmd_report(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "completion") == 0)
		return report_completion(argc, argv);
	if (strcmp(sub, "indicators") == 0)
		return report_indicators(argc, argv);
	if (strcmp(sub, "indicator-list") == 0)
		return report_list(argc, argv);
	if (strcmp(sub, "exams") == 0)
		return report_exams(argc, argv);
	if (strcmp(sub, "talent-pool") == 0)
		return report_pool(argc, argv);
	if (strcmp(sub, "surveys") == 0)
		return report_surveys(argc, argv);
	if (strcmp(sub, "flag-course") == 0)
		return flag_course(argc, argv);
	if (strcmp(sub, "flag-position") == 0)
		return flag_position(argc, argv);
	printf("usage: parlearn report completion|indicators|indicator-list|exams|talent-pool|"
	       "surveys|flag-course|flag-position [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
