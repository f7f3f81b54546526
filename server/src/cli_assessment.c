/* cli_assessment.c — `parlearn assessment ...`: quizzes and capability exams from a terminal
 * (docs/assessment.md, "CLI"):
 *
 *   create --file DEF.json            a draft; the file is the body of POST /api/assessments
 *   update CODE --file DEF.json       replaces a draft's definition (drafts only)
 *   list [--kind quiz|exam] [--status draft|open|closed]
 *   show CODE                         the definition as GET /api/assessments/detail gives it
 *   open CODE | close CODE | publish CODE
 *   grant CODE --user USERNAME --reason TEXT
 *   results CODE [--format csv|json] [--out F]   the ranking as the API gives it
 *   items CODE [--out F]              the item analysis, CSV as items.csv
 *
 * The definition is read by the API's own parser (assess_json.c) and checked by the same
 * core rules, so a file the API would refuse is refused here with the same code, field and
 * message, and nothing is stored. Every change is logged with the actor: --actor NAME, by
 * default "cli:" and the name of the user running the command. The CLI acts for the
 * instance's operator: no unit scope applies (as the other commands).
 * Exit status: 0 done, 1 refused or failed (the reason on standard error), 2 usage.
 */
#include "cli.h"

#include "assess_json.h"
#include "json_body.h"

#include "lms/assess_store.h"
#include "lms/clock.h"
#include "lms/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEF_MAX_BYTES (4u << 20) /* a named list of 5,000 people fits many times over */
#define OPS(c) ((c)->store->ops->assess)

/* ---- small helpers ----------------------------------------------------------------------- */

/* argv[2] when it is not an option: the assessment's code. */
static const char *positional(int argc, char **argv)
{
	return argc >= 3 && argv[2][0] != '-' ? argv[2] : NULL;
}

/* The actor written in the assessment's log: --actor, or "cli:<the OS user>". */
static const char *actor_of(cli_ctx *c, const char *given)
{
	struct passwd *pw;
	char buf[128];

	if (given && *given)
		return given;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		snprintf(buf, sizeof(buf), "cli:%.100s", pw->pw_name);
	else
		snprintf(buf, sizeof(buf), "cli:uid %u", (unsigned)getuid());
	return lms_arena_strdup(c->arena, buf);
}

static int check_actor(cli_ctx *c, const char *actor)
{
	if (lms_check_text("actor", actor, 200, &c->err) < 0)
		return lms_err_set(&c->err, LMS_EINVAL, "usage", "actor", "--actor: 1 to 200 characters");
	return LMS_OK;
}

/* Adds the error's code and field and what became of the change to its message, so that
 * cli_end prints one line a person and a script can both read. */
static int explain(cli_ctx *c, int rc, const char *outcome)
{
	char msg[sizeof(c->err.msg)];
	int n;

	if (rc >= 0)
		return rc;
	n = snprintf(msg, sizeof(msg), "%s [%s%s%s]%s%s", c->err.msg[0] ? c->err.msg : "failed",
	             c->err.code[0] ? c->err.code : "error", c->err.field[0] ? ", field " : "",
	             c->err.field, outcome ? "; " : "", outcome ? outcome : "");
	if (n > 0)
		memcpy(c->err.msg, msg, sizeof(msg));
	return rc;
}

static int need_code(cli_ctx *c, const char *code, const char *usage)
{
	if (!code)
		return lms_err_set(&c->err, LMS_EINVAL, "usage", "code", "give the assessment's code: %s",
		                   usage);
	return lms_check_code("code", code, &c->err);
}

/* Reads a whole file of at most max bytes into a malloc'd, NUL-terminated buffer. */
static int read_file(const char *path, size_t max, char **out, size_t *len, lms_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, rc = LMS_OK;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "file", "cannot open %s: %s", path,
		                   strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = lms_err_set(err, LMS_EINVAL, "invalid_field", "file", "%s is not a file", path);
		goto done;
	}
	if ((unsigned long long)st.st_size > max) {
		rc = lms_err_set(err, LMS_ETOOBIG, "too_big", "file", "%s is larger than %zu MiB", path,
		                 max >> 20);
		goto done;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
		goto done;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			rc = lms_err_set(err, LMS_EINVAL, "invalid_field", "file", "cannot read %s", path);
			goto done;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*out = buf;
	buf = NULL;
	*len = got;
done:
	free(buf);
	close(fd);
	return rc;
}

/* The definition file as a JSON object (*out to cJSON_Delete). */
static int read_def(cli_ctx *c, const char *path, cJSON **out)
{
	const char *code = NULL, *detail = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!path)
		return lms_err_set(&c->err, LMS_EINVAL, "usage", "file",
		                   "give the definition: --file DEF.json (the body of POST /api/assessments)");
	if ((rc = read_file(path, DEF_MAX_BYTES, &buf, &len, &c->err)) < 0)
		return rc;
	if (srv_json_parse(buf, len, out, &code, &detail) < 0)
		rc = lms_err_set(&c->err, LMS_EINVAL, code, "file", "%s: %s", path, detail);
	free(buf);
	return rc;
}

static int write_all(FILE *f, const char *text, size_t n)
{
	return fwrite(text, 1, n, f) == n && fflush(f) == 0 ? 0 : -1;
}

/* Writes text to --out or standard output. */
static int emit(cli_ctx *c, const char *out, const char *text)
{
	FILE *f = stdout;
	int fd, bad;

	if (out) {
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0 ||
		    !(f = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			return lms_err_set(&c->err, LMS_EINVAL, "invalid_field", "out", "cannot write %s: %s",
			                   out, strerror(errno));
		}
	}
	bad = write_all(f, text, strlen(text));
	if (out && fclose(f) != 0)
		bad = -1;
	if (bad)
		return lms_err_set(&c->err, LMS_EINVAL, "invalid_field", "out", "cannot write %s",
		                   out ? out : "standard output");
	return LMS_OK;
}

static void print_json(cJSON *o)
{
	char *s = cJSON_Print(o);

	if (s)
		printf("%s\n", s);
	cJSON_free(s);
	cJSON_Delete(o);
}

/* Loads code; LMS_ENOTFOUND said with the code. */
static int load(cli_ctx *c, const char *code, lms_assessment *as)
{
	memset(as, 0, sizeof(*as));
	if (OPS(c)->get(c->store, code, c->arena, as, &c->err) < 0) {
		if (c->err.rc == LMS_ENOTFOUND)
			lms_err_set(&c->err, LMS_ENOTFOUND, "not_found", "code",
			            "no assessment %s (không có bài kiểm tra %s)", code, code);
		return c->err.rc;
	}
	return LMS_OK;
}

/* ---- create, update ------------------------------------------------------------------------ */

static int as_create(int argc, char **argv)
{
	const char *file = NULL, *actor = NULL;
	const srv_opt own[] = {
		{ "file", NULL, &file, NULL, NULL, "the definition, JSON (the body of POST /api/assessments)" },
		{ "actor", NULL, &actor, NULL, NULL, "who does it, for the log (default: cli:<OS user>)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_assessment as;
	cJSON *body = NULL;
	int64_t id = 0;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn assessment create --file DEF.json [--actor NAME]",
	                    "Stores a new quiz or exam as a draft. The file is the JSON body of POST "
	                    "/api/assessments, read by the same parser and checked by the same rules: "
	                    "a file with any problem is refused and nothing is stored. The unit is "
	                    "required (\"unit\": the organising unit's code).")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&as, 0, sizeof(as));
	actor = actor_of(&c, actor);
	if ((rc = check_actor(&c, actor)) < 0 || (rc = read_def(&c, file, &body)) < 0 ||
	    (rc = srv_as_def_parse(body, true, NULL, c.arena, &as, &c.err)) < 0 ||
	    (rc = OPS(&c)->create(c.store, &as, actor, &id, &c.err)) < 0)
		goto done;
	printf("assessment %s created as a draft (id %lld; đã tạo bản nháp)\n", as.code, (long long)id);
done:
	cJSON_Delete(body);
	return cli_end(&c, explain(&c, rc, "nothing was created (không có gì được tạo)"));
}

static int as_update(int argc, char **argv)
{
	const char *code = positional(argc, argv), *file = NULL, *actor = NULL, *in_code = NULL;
	const srv_opt own[] = {
		{ "file", NULL, &file, NULL, NULL, "the whole new definition, JSON (as for create)" },
		{ "actor", NULL, &actor, NULL, NULL, "who does it, for the log (default: cli:<OS user>)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_assessment old, as;
	cJSON *body = NULL;
	const cJSON *m;
	int64_t rev;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, code ? 3 : 2, own,
	                    "parlearn assessment update CODE --file DEF.json [--actor NAME]",
	                    "Replaces the definition of a draft with the file's (members left out take "
	                    "their defaults, as in POST /api/assessments/update). An assessment that "
	                    "was opened is never changed. A \"rev\" in the file must be the draft's "
	                    "current one (someone else's change in between is refused); without it "
	                    "the current one is used.")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&as, 0, sizeof(as));
	actor = actor_of(&c, actor);
	if ((rc = need_code(&c, code, "parlearn assessment update CODE --file DEF.json")) < 0 ||
	    (rc = check_actor(&c, actor)) < 0 || (rc = read_def(&c, file, &body)) < 0 ||
	    (rc = load(&c, code, &old)) < 0)
		goto done;
	m = cJSON_GetObjectItemCaseSensitive(body, "code");
	in_code = cJSON_IsString(m) ? m->valuestring : NULL;
	if (m && !cJSON_IsNull(m) && (!in_code || strcmp(in_code, code) != 0)) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "code",
		                 "code: the file is for %s, not %s (a code never changes)",
		                 in_code ? in_code : "another assessment", code);
		goto done;
	}
	if (old.status != LMS_AS_DRAFT) {
		rc = lms_err_set(&c.err, LMS_ECONFLICT, "not_draft", NULL,
		                 "%s is %s: only a draft is changed (chỉ sửa được bản nháp)", code,
		                 lms_as_status_name(old.status));
		goto done;
	}
	m = cJSON_GetObjectItemCaseSensitive(body, "rev");
	rev = old.rev;
	if (m && !cJSON_IsNull(m)) {
		if (!cJSON_IsNumber(m) || m->valuedouble < 1 || m->valuedouble > 1e15 ||
		    m->valuedouble != (double)(int64_t)m->valuedouble) {
			rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "rev", "rev: a whole number");
			goto done;
		}
		rev = (int64_t)m->valuedouble;
	}
	as.code = old.code;
	if ((rc = srv_as_def_parse(body, false, NULL, c.arena, &as, &c.err)) < 0)
		goto done;
	as.id = old.id;
	if ((rc = OPS(&c)->update(c.store, &as, rev, actor, &c.err)) < 0)
		goto done;
	printf("assessment %s updated (đã cập nhật bản nháp)\n", code);
done:
	cJSON_Delete(body);
	return cli_end(&c, explain(&c, rc, "nothing was changed (không có thay đổi nào)"));
}

/* ---- reading ------------------------------------------------------------------------------- */

static int as_list(int argc, char **argv)
{
	const char *kind = NULL, *status = NULL;
	const srv_opt own[] = {
		{ "kind", NULL, &kind, NULL, NULL, "only quiz or exam" },
		{ "status", NULL, &status, NULL, NULL, "only draft, open or closed" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	const lms_scope all = { true, NULL, 0 };
	lms_assessment *list = NULL;
	size_t n = 0, i, shown = 0;
	lms_as_kind k = LMS_AS_QUIZ;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn assessment list [--kind quiz|exam] [--status draft|open|closed]",
	                    "Lists the quizzes and exams, newest first: code, kind, status, window "
	                    "(UTC), submitted attempts, title.")) != 0)
		return rc == 1 ? 0 : rc;
	if (kind && lms_as_kind_parse(kind, &k) < 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "kind", "--kind: quiz or exam");
		goto done;
	}
	if (status && strcmp(status, "draft") != 0 && strcmp(status, "open") != 0 &&
	    strcmp(status, "closed") != 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "status", "--status: draft, open or closed");
		goto done;
	}
	if ((rc = OPS(&c)->list(c.store, &all, c.arena, &list, &n, &c.err)) < 0)
		goto done;
	printf("%-20s %-5s %-7s %-33s %9s  %s\n", "code", "kind", "status", "window (UTC)",
	       "submitted", "title");
	for (i = 0; i < n; i++) {
		const lms_assessment *a = &list[i];
		cJSON *o;
		const char *op, *cl;
		if ((kind && a->def.kind != k) ||
		    (status && strcmp(status, lms_as_status_name(a->status)) != 0))
			continue;
		o = srv_as_json(a, false);
		op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "opens_at"));
		cl = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "closes_at"));
		printf("%-20s %-5s %-7s %-16.16s %-16.16s %9lld  %s\n", a->code,
		       lms_as_kind_name(a->def.kind), lms_as_status_name(a->status), op ? op : "-",
		       cl ? cl : "-", (long long)a->submitted, a->title);
		cJSON_Delete(o);
		shown++;
	}
	printf("%zu assessment(s)\n", shown);
done:
	return cli_end(&c, explain(&c, rc, NULL));
}

static int as_show(int argc, char **argv)
{
	const char *code = positional(argc, argv);
	const srv_opt own[] = { { NULL, NULL, NULL, NULL, NULL, NULL } };
	lms_assessment as;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, code ? 3 : 2, own, "parlearn assessment show CODE",
	                    "Prints the assessment as JSON, as GET /api/assessments/detail gives it "
	                    "(with its rev, for an update).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = need_code(&c, code, "parlearn assessment show CODE")) == 0 &&
	    (rc = load(&c, code, &as)) == 0)
		print_json(srv_as_json(&as, true));
	return cli_end(&c, explain(&c, rc, NULL));
}

/* ---- the life of an assessment ------------------------------------------------------------- */

typedef enum { DO_OPEN, DO_CLOSE, DO_PUBLISH } step;

static int as_step(int argc, char **argv, step what)
{
	static const char *const usage[] = { "parlearn assessment open CODE [--actor NAME]",
		                             "parlearn assessment close CODE [--actor NAME]",
		                             "parlearn assessment publish CODE [--actor NAME]" };
	static const char *const about[] = {
		"Opens a draft to its learners, after drawing one paper to be sure the bank can fill "
		"it. From now on its definition never changes.",
		"Closes an open assessment: no attempt starts any more.",
		"Publishes the results (once): learners see what the review rules allow, HR officers "
		"read the results, and the certificates of those who passed an exam are issued."
	};
	const char *code = positional(argc, argv), *actor = NULL, *issuer = NULL, *public_url = NULL;
	const srv_opt own[] = {
		{ "actor", NULL, &actor, NULL, NULL, "who does it, for the log (default: cli:<OS user>)" },
		{ "issuer", "PARLEARN_CERT_ISSUER", &issuer, NULL, NULL,
		  "publish: the unit issuing exam certificates (default: the root unit)" },
		{ "public-url", "PARLEARN_PUBLIC_URL", &public_url, NULL, "",
		  "publish: parlearn's public address, printed on certificates" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_assessment as;
	int64_t now = lms_now(lms_clock_system());
	int issued = 0;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, code ? 3 : 2, own, usage[what], about[what])) != 0)
		return rc == 1 ? 0 : rc;
	actor = actor_of(&c, actor);
	if ((rc = need_code(&c, code, usage[what])) < 0 || (rc = check_actor(&c, actor)) < 0 ||
	    (rc = load(&c, code, &as)) < 0)
		goto done;
	if (what == DO_PUBLISH) {
		lms_err e;
		if ((rc = OPS(&c)->publish(c.store, as.id, actor, now, &c.err)) < 0)
			goto done;
		lms_err_clear(&e);
		if (lms_as_certs_issue_pending(c.store, 5000, issuer, public_url, now, &issued, &e) < 0)
			fprintf(stderr, "parlearn: warning: exam certificates: %s\n", e.msg);
		printf("results of %s published (đã công bố kết quả); %d certificate(s) issued\n", code,
		       issued);
		goto done;
	}
	if (what == DO_OPEN && as.status != LMS_AS_DRAFT) {
		rc = lms_err_set(&c.err, LMS_ECONFLICT, "not_draft", NULL,
		                 "%s is %s: only a draft is opened (chỉ mở được bản nháp)", code,
		                 lms_as_status_name(as.status));
		goto done;
	}
	if (what == DO_CLOSE && as.status != LMS_AS_OPEN) {
		rc = lms_err_set(&c.err, LMS_ECONFLICT, "not_open", NULL,
		                 "%s is %s: only an open assessment is closed (chỉ đóng được bài đang mở)",
		                 code, lms_as_status_name(as.status));
		goto done;
	}
	/* a paper the bank cannot fill would refuse every learner: said now */
	if (what == DO_OPEN && (rc = lms_as_check_bank(c.store, &as.def, &c.err)) < 0)
		goto done;
	if ((rc = OPS(&c)->set_status(c.store, as.id, as.status,
	                              what == DO_OPEN ? LMS_AS_OPEN : LMS_AS_CLOSED, actor, now,
	                              &c.err)) < 0)
		goto done;
	printf("assessment %s %s (%s)\n", code, what == DO_OPEN ? "opened" : "closed",
	       what == DO_OPEN ? "đã mở cho học viên" : "đã đóng");
done:
	return cli_end(&c, explain(&c, rc, rc < 0 ? "nothing was changed (không có thay đổi nào)" : NULL));
}

static int as_open(int argc, char **argv) { return as_step(argc, argv, DO_OPEN); }
static int as_close(int argc, char **argv) { return as_step(argc, argv, DO_CLOSE); }
static int as_publish(int argc, char **argv) { return as_step(argc, argv, DO_PUBLISH); }

static int as_grant(int argc, char **argv)
{
	const char *code = positional(argc, argv), *user = NULL, *reason = NULL, *actor = NULL;
	const srv_opt own[] = {
		{ "user", NULL, &user, NULL, NULL, "the learner's username" },
		{ "reason", NULL, &reason, NULL, NULL, "why another attempt is given (1 to 500 characters)" },
		{ "actor", NULL, &actor, NULL, NULL, "who does it, for the log (default: cli:<OS user>)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_assessment as;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, code ? 3 : 2, own,
	                    "parlearn assessment grant CODE --user USERNAME --reason TEXT [--actor NAME]",
	                    "Gives a learner one more attempt, with the reason (kept with who gave it "
	                    "and when).")) != 0)
		return rc == 1 ? 0 : rc;
	actor = actor_of(&c, actor);
	if ((rc = need_code(&c, code, "parlearn assessment grant CODE --user U --reason TEXT")) < 0 ||
	    (rc = check_actor(&c, actor)) < 0)
		goto done;
	if (!user || !*user || strlen(user) > 64) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "user", "--user: the learner's username");
		goto done;
	}
	if (!reason || lms_check_text("reason", reason, LMS_AS_MAX_REASON, &c.err) < 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "reason",
		                 "--reason: say why another attempt is given (1 to 500 characters)");
		goto done;
	}
	if ((rc = load(&c, code, &as)) < 0 ||
	    (rc = OPS(&c)->grant(c.store, as.id, user, reason, actor, &c.err)) < 0)
		goto done;
	printf("%s may make one more attempt at %s (đã cho thêm một lượt làm bài)\n", user, code);
done:
	return cli_end(&c, explain(&c, rc, rc < 0 ? "nothing was changed (không có thay đổi nào)" : NULL));
}

/* ---- results, item analysis ------------------------------------------------------------------ */

static int as_results(int argc, char **argv)
{
	const char *code = positional(argc, argv), *format = NULL, *out = NULL;
	const srv_opt own[] = {
		{ "format", NULL, &format, NULL, "csv", "csv (for a spreadsheet) or json (as the API)" },
		{ "out", NULL, &out, NULL, NULL, "write to this file (default: standard output)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	const lms_scope all = { true, NULL, 0 };
	lms_as_result_row *rows = NULL;
	lms_assessment as;
	size_t n = 0, i;
	bool json;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, code ? 3 : 2, own,
	                    "parlearn assessment results CODE [--format csv|json] [--out F]",
	                    "The submitted attempts with each person's best ranked, as GET "
	                    "/api/assessments/results gives them. CSV: UTF-8 with a BOM (Excel), "
	                    "cells a spreadsheet would read as a formula neutralised.")) != 0)
		return rc == 1 ? 0 : rc;
	json = format && strcmp(format, "json") == 0;
	if (!json && (!format || strcmp(format, "csv") != 0)) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "format", "--format: csv or json");
		goto done;
	}
	if ((rc = need_code(&c, code, "parlearn assessment results CODE")) < 0 ||
	    (rc = load(&c, code, &as)) < 0 ||
	    (rc = lms_as_results(c.store, &as, &all, c.arena, &rows, &n, &c.err)) < 0)
		goto done;
	srv_as_results_sort(rows, n);
	if (json) {
		cJSON *o = cJSON_CreateObject(), *arr;
		char *s;
		cJSON_AddItemToObject(o, "assessment", srv_as_json(&as, false));
		cJSON_AddBoolToObject(o, "manager", true);
		arr = cJSON_AddArrayToObject(o, "results");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, srv_as_result_json(&rows[i]));
		s = cJSON_Print(o);
		cJSON_Delete(o);
		if (!s) {
			rc = lms_err_set(&c.err, LMS_EINTERNAL, NULL, NULL, "out of memory");
			goto done;
		}
		rc = emit(&c, out, lms_arena_strdup(c.arena, s));
		cJSON_free(s);
		if (rc == 0 && !out)
			putchar('\n');
	} else {
		rc = emit(&c, out, srv_as_results_csv(c.arena, &as, rows, n));
	}
	if (rc == 0 && out)
		fprintf(stderr, "%zu result(s) of %s written to %s\n", n, code, out);
done:
	return cli_end(&c, explain(&c, rc, NULL));
}

static int as_items(int argc, char **argv)
{
	const char *code = positional(argc, argv), *out = NULL;
	const srv_opt own[] = {
		{ "out", NULL, &out, NULL, NULL, "write to this file (default: standard output)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_ia_result *res = NULL;
	const char **labels = NULL, **types = NULL;
	int64_t *qids = NULL;
	lms_assessment as;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, code ? 3 : 2, own,
	                    "parlearn assessment items CODE [--out F]",
	                    "The item analysis (docs/item-analysis.md) as CSV, the file "
	                    "GET /api/assessments/items.csv gives.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = need_code(&c, code, "parlearn assessment items CODE")) < 0 ||
	    (rc = load(&c, code, &as)) < 0 ||
	    (rc = lms_as_items(c.store, as.id, c.arena, &res, &labels, &types, &qids, &c.err)) < 0)
		goto done;
	rc = emit(&c, out, srv_as_items_csv(c.arena, &as, res, labels, types, qids));
done:
	lms_ia_result_free(res);
	return cli_end(&c, explain(&c, rc, NULL));
}

int cmd_assessment(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} subs[] = {
		{ "create", as_create }, { "update", as_update }, { "list", as_list },
		{ "show", as_show },     { "open", as_open },     { "close", as_close },
		{ "publish", as_publish }, { "grant", as_grant }, { "results", as_results },
		{ "items", as_items },
	};
	const char *sub = argc > 1 ? argv[1] : "--help";
	size_t i;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(sub, subs[i].name) == 0)
			return subs[i].run(argc, argv);
	printf("usage: parlearn assessment create|update|list|show|open|close|publish|grant|results|"
	       "items [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
