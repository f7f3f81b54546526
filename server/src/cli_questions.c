/* cli_questions.c — `parlearn questions import|export|list`: the question bank from a
 * terminal (docs/question-bank.md). Import reads a GIFT or Moodle XML file whole and takes
 * every question or none (lms_qbank_import, the same call as POST /api/questions/import), and
 * prints every problem in Vietnamese and English. Export writes the current versions in
 * either format and says on standard error what the format could not hold.
 * Exit status: 0 done (or checked, with --dry-run; or imported before), 1 refused or failed,
 * 2 usage. */
#include "cli.h"

#include "lms/qbank.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
		rc = lms_err_set(err, LMS_ETOOBIG, "questions_file_too_big", "file",
		                 "questions NOT imported: %s is larger than %zu MiB (Tệp lớn hơn %zu MiB); "
		                 "nothing was changed", path, max >> 20, max >> 20);
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

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static void print_problems(FILE *f, const lms_qreport *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		const lms_qproblem *p = &rep->items[i];
		const char *sev = p->severity == LMS_SEV_ERROR ? "error" : "warning";

		if (p->index)
			fprintf(f, "%s: question %zu", sev, p->index);
		else
			fprintf(f, "%s: the file", sev);
		if (p->line)
			fprintf(f, ", line %d", p->line);
		if (p->name && p->name[0])
			fprintf(f, " (%s)", p->name);
		fprintf(f, " [%s]: %s — %s\n", p->code, p->message_vi, p->message);
	}
	if (rep->dropped)
		fprintf(f, "... and %zu more problems\n", rep->dropped);
}

static void print_result(const lms_qbank_import_result *r)
{
	int t;
	bool first = true;

	switch (r->outcome) {
	case LMS_QBANK_APPLIED:
		printf("questions imported (import %lld): %zu questions", (long long)r->import_id,
		       r->questions);
		break;
	case LMS_QBANK_DRY_RUN:
		printf("dry run, nothing changed; the file can be imported: %zu questions", r->questions);
		break;
	case LMS_QBANK_ALREADY:
		printf("already imported: this file (SHA-256 %s) went into category \"%s\" before "
		       "(import %lld); nothing was changed\n",
		       r->sha256, r->category, (long long)r->previous_id);
		break;
	case LMS_QBANK_REJECTED:
		printf("questions NOT imported: %zu error(s) in the file; nothing was changed "
		       "(tệp bị từ chối, không có thay đổi nào)\n", r->report.errors);
		break;
	}
	if (r->outcome == LMS_QBANK_APPLIED || r->outcome == LMS_QBANK_DRY_RUN) {
		for (t = LMS_Q_SINGLE; t <= LMS_Q_DESCRIPTION; t++) {
			if (!r->by_type[t])
				continue;
			printf("%s%s %zu", first ? " (" : ", ", lms_qtype_name((lms_qtype)t), r->by_type[t]);
			first = false;
		}
		printf("%s", first ? "" : ")");
		if (r->outcome == LMS_QBANK_APPLIED)
			printf(", %zu new categories", r->categories_created);
		printf("\n");
	}
	print_problems(stdout, &r->report);
}

static void actor_of(char *buf, size_t size)
{
	snprintf(buf, size, "cli:uid %u", (unsigned)getuid());
}

static int questions_import(int argc, char **argv)
{
	const char *file = NULL, *format = NULL, *category = NULL;
	bool dry = false, json = false;
	const srv_opt own[] = {
		{ "format", NULL, &format, NULL, NULL, "gift or moodlexml (default: by the file's name)" },
		{ "category", NULL, &category, NULL, NULL,
		  "the category the file's categories go under, e.g. \"Sở Nội vụ/CCHC\"" },
		{ "dry-run", NULL, NULL, &dry, NULL, "check and report; change nothing" },
		{ "json", NULL, NULL, &json, NULL, "print the report as JSON" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_qbank_import_opts o;
	lms_qbank_import_result res;
	char actor[40], *buf = NULL;
	const char *slash;
	size_t len = 0;
	cli_ctx c;
	int rc;

	if (argc >= 3 && argv[2][0] != '-')
		file = argv[2];
	if ((rc = cli_begin(&c, argc, argv, file ? 3 : 2, own,
	                    "parlearn questions import FILE --format gift|moodlexml "
	                    "[--category PATH] [--dry-run] [--json]",
	                    "Imports a Moodle GIFT or Moodle XML question file into the question "
	                    "bank: every question or none. A file with any problem is refused "
	                    "whole and every problem is listed; the same file into the same "
	                    "category again changes nothing.")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&o, 0, sizeof(o));
	if (!file) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "file",
		                 "give the question file: parlearn questions import FILE --format gift");
		goto done;
	}
	o.format = lms_qbank_format_parse(format);
	if (!format)
		o.format = ends_with(file, ".xml") ? LMS_QBANK_MOODLEXML
		           : ends_with(file, ".gift") || ends_with(file, ".txt") ? LMS_QBANK_GIFT
		                                                                 : 0;
	if (!o.format) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "format",
		                 "--format must be gift or moodlexml");
		goto done;
	}
	if ((rc = lms_qbank_category_clean(c.arena, category, &o.category, &c.err)) < 0 ||
	    (rc = read_file(file, LMS_Q_XML_MAX_BYTES, &buf, &len, &c.err)) < 0)
		goto done;
	slash = strrchr(file, '/');
	o.file_name = slash ? slash + 1 : file;
	actor_of(actor, sizeof(actor));
	o.actor = actor;
	o.dry_run = dry;
	if ((rc = lms_qbank_import(c.store, buf, len, &o, c.arena, &res, &c.err)) < 0)
		goto done;
	if (json)
		printf("%s\n", lms_qbank_import_json(&res, c.arena));
	else
		print_result(&res);
	free(buf);
	cli_end(&c, 0);
	return res.outcome == LMS_QBANK_REJECTED ? 1 : 0;
done:
	free(buf);
	return cli_end(&c, rc);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int questions_export(int argc, char **argv)
{
	const char *format = NULL, *category = NULL, *out = NULL, *cat = NULL;
	const srv_opt own[] = {
		{ "format", NULL, &format, NULL, NULL, "gift or moodlexml" },
		{ "category", NULL, &category, NULL, NULL, "only this category and those under it" },
		{ "out", NULL, &out, NULL, NULL, "write to this file (default: standard output)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_qbank_export_result res;
	lms_qbank_format f;
	cli_ctx c;
	int rc, fd = STDOUT_FILENO;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn questions export --format gift|moodlexml [--category PATH] "
	                    "[--out FILE]",
	                    "Writes the current version of every question (of a category) as a "
	                    "GIFT or Moodle XML file. What the format cannot hold is listed on "
	                    "standard error (GIFT has no ordering questions, no points or images).")) != 0)
		return rc == 1 ? 0 : rc;
	if (!(f = lms_qbank_format_parse(format))) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "format",
		                 "--format must be gift or moodlexml");
		goto done;
	}
	if ((rc = lms_qbank_category_clean(c.arena, category, &cat, &c.err)) < 0 ||
	    (rc = lms_qbank_export(c.store, f, cat, c.arena, &res, &c.err)) < 0)
		goto done;
	if (out && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "out", "cannot write %s: %s", out,
		                 strerror(errno));
		goto done;
	}
	if (write_all(fd, res.text, res.len) < 0 || (out && close(fd) < 0)) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "out", "cannot write %s: %s",
		                 out ? out : "standard output", strerror(errno));
		goto done;
	}
	print_problems(stderr, &res.report);
	fprintf(stderr, "exported %zu of %zu questions as %s%s%s\n", res.written, res.questions,
	        lms_qbank_format_name(f), out ? " to " : "", out ? out : "");
done:
	return cli_end(&c, rc);
}

static const char *difficulty_label(lms_qdifficulty d)
{
	static const char *const names[] = { "-", "easy", "medium", "hard" };

	return (unsigned)d <= LMS_QD_HARD ? names[d] : "-";
}

static int questions_list(int argc, char **argv)
{
	const char *category = NULL;
	const srv_opt own[] = {
		{ "category", NULL, &category, NULL, NULL, "only this category and those under it" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_qbank_filter f;
	lms_qbank_row *rows;
	int64_t total = 0;
	size_t n, i, shown = 0;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn questions list [--category PATH]",
	                    "Lists the questions of the bank (current versions), by category and "
	                    "name in Vietnamese order.")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&f, 0, sizeof(f));
	f.difficulty = -1;
	f.limit = LMS_QBANK_MAX_LIST;
	if ((rc = lms_qbank_category_clean(c.arena, category, &f.category, &c.err)) < 0)
		goto done;
	if (!c.store->ops->qbank) {
		rc = lms_err_set(&c.err, LMS_EUNSUPPORTED, NULL, NULL, "no question bank in this store");
		goto done;
	}
	printf("%-8s %-3s %-11s %-6s %s\n", "id", "v", "type", "level", "category / name");
	do {
		if ((rc = c.store->ops->qbank->list(c.store, &f, c.arena, &rows, &n, &total,
		                                    &c.err)) < 0)
			goto done;
		for (i = 0; i < n; i++)
			printf("%-8lld %-3d %-11s %-6s %s%s%s\n", (long long)rows[i].id,
			       rows[i].current_version, lms_qtype_name(rows[i].type),
			       difficulty_label(rows[i].difficulty), rows[i].category,
			       rows[i].category[0] ? " / " : "", rows[i].name);
		shown += n;
		f.offset += (int)n;
	} while (n == (size_t)f.limit && (int64_t)shown < total);
	printf("%zu question(s)\n", shown);
done:
	return cli_end(&c, rc);
}

int cmd_questions(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "import") == 0)
		return questions_import(argc, argv);
	if (strcmp(sub, "export") == 0)
		return questions_export(argc, argv);
	if (strcmp(sub, "list") == 0)
		return questions_list(argc, argv);
	printf("usage: parlearn questions import|export|list [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
