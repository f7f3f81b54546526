/* cli_roster.c — `parlearn roster import FILE`: the roster from the personnel system, JSON or
 * CSV, checked whole and applied in one transaction (docs/personnel-sync.md, "Import rules").
 * Exit status 0 when applied (or checked, with --dry-run), 1 when nothing was applied
 * (rejected rows, the deactivation guard, an older file), 2 on a usage error. */
#include "cli.h"
#include "roster_json.h"

#include "lms/clock.h"
#include "lms/roster.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Reads the whole file into a malloc'd, NUL-terminated buffer. */
static int read_file(const char *path, char **out, size_t *len, time_t *mtime, lms_err *err)
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
	if ((unsigned long long)st.st_size > SRV_ROSTER_MAX_BYTES) {
		rc = lms_err_set(err, LMS_ETOOBIG, "roster_too_big", "file",
		                 "%s is larger than %u MiB", path, SRV_ROSTER_MAX_BYTES >> 20);
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
	*mtime = st.st_mtime;
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

static void print_report(const lms_roster_result *r)
{
	static const char *const label[LMS_RC__COUNT] = {
		"units added", "units changed", "positions added", "positions changed",
		"people added", "people changed", "people moved", "people deactivated",
		"people reactivated",
	};
	size_t i, listed[2] = { 0, 0 };

	for (i = 0; i < LMS_RC__COUNT; i++)
		if (r->counts[i])
			printf("  %-20s %zu\n", label[i], r->counts[i]);
	printf("  %-20s %zu\n", "people unchanged", r->unchanged);
	/* Units changed and people deactivated by name, up to 20 of each (--json lists more). */
	for (i = 0; i < r->n_changes; i++) {
		bool deact = strcmp(r->changes[i].kind, "person_deactivated") == 0;
		size_t *seen = deact ? &listed[0] : strncmp(r->changes[i].kind, "unit_", 5) == 0 ? &listed[1] : NULL;

		if (!seen || ++*seen > 20)
			continue;
		printf("  %s %s%s%s\n", r->changes[i].kind, r->changes[i].code,
		       r->changes[i].detail ? ": " : "", r->changes[i].detail ? r->changes[i].detail : "");
	}
	if (listed[0] > 20 || listed[1] > 20)
		printf("  ... (--json lists up to %d changes of each kind)\n", LMS_ROSTER_LIST_MAX);
	for (i = 0; i < r->n_warnings; i++)
		printf("warning: %s\n", r->warnings[i].reason);
	for (i = 0; i < r->n_rejects; i++)
		printf("rejected %s%s%s: %s\n", r->rejects[i].where,
		       r->rejects[i].code ? " " : "", r->rejects[i].code ? r->rejects[i].code : "",
		       r->rejects[i].reason);
	if (r->rejects_total > r->n_rejects)
		printf("... and %zu more rejected rows\n", r->rejects_total - r->n_rejects);
}

static int roster_import(int argc, char **argv)
{
	const char *source = NULL, *generated = NULL, *scope = NULL, *guard = NULL, *file = NULL;
	bool dry = false, force = false, json = false, csv_flag = false;
	const srv_opt own[] = {
		{ "dry-run", NULL, NULL, &dry, NULL, "check and report what would change; change nothing" },
		{ "force", NULL, NULL, &force, NULL, "apply even past the deactivation guard" },
		{ "guard", NULL, &guard, NULL, "10", "deactivation guard: per cent of the scope's active people" },
		{ "csv", NULL, NULL, &csv_flag, NULL, "the file is CSV (default: by its name, .csv)" },
		{ "source", NULL, &source, NULL, NULL, "CSV: the source's name (default: the file name)" },
		{ "generated-at", NULL, &generated, NULL, NULL, "CSV: when it was made (default: its mtime)" },
		{ "scope", NULL, &scope, NULL, NULL, "CSV: the unit whose subtree the file describes completely" },
		{ "json", NULL, NULL, &json, NULL, "print the report as JSON" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_roster_opts opts;
	lms_roster_result res;
	char *buf = NULL, today[11], stamp[40], actor[80];
	size_t len = 0;
	time_t mtime = 0;
	bool csv;
	cli_ctx c;
	char *end;
	int rc;

	if (argc >= 3 && argv[2][0] != '-')
		file = argv[2];
	if ((rc = cli_begin(&c, argc, argv, file ? 3 : 2, own,
	                    "parlearn roster import FILE [--dry-run] [--force] [--guard PCT] "
	                    "[--csv] [--source S] [--generated-at T] [--scope UNIT] [--json]",
	                    "Imports the roster (units, positions, people) from the personnel "
	                    "system: a JSON file, or a CSV file of people (docs/personnel-sync.md). "
	                    "Nothing is applied when any row is rejected, or when more people "
	                    "would be deactivated than the guard allows (then --force).")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&opts, 0, sizeof(opts));
	memset(&res, 0, sizeof(res));
	if (!file) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "file",
		                 "give the roster file: parlearn roster import FILE");
		goto done;
	}
	opts.dry_run = dry;
	opts.force = force;
	opts.guard_percent = strtod(guard, &end);
	if (*end || !(opts.guard_percent > 0 && opts.guard_percent <= 100)) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "guard",
		                 "--guard must be a per cent between 0 and 100");
		goto done;
	}
	if ((rc = read_file(file, &buf, &len, &mtime, &c.err)) < 0)
		goto done;
	csv = csv_flag || ends_with(file, ".csv");
	if (csv && !source) {
		const char *slash = strrchr(file, '/');

		source = slash ? slash + 1 : file;
	}
	if (csv && !generated) {
		struct tm tm;
		time_t t = mtime + 7 * 3600;

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S+07:00", &tm);
		generated = stamp;
	}
	lms_hcm_date(lms_now(lms_clock_system()), today);
	opts.today = today;
	snprintf(actor, sizeof(actor), "cli:uid %u", (unsigned)getuid());
	opts.actor = actor;
	if ((rc = srv_roster_run(c.store, buf, len, csv, source, generated, scope, &opts, c.arena,
	                         &res, &c.err)) < 0)
		goto done;
	if (json) {
		printf("%s\n", lms_roster_result_json(&res, c.arena));
	} else {
		switch (res.outcome) {
		case LMS_ROSTER_APPLIED:
			printf("roster imported (import %lld):\n", (long long)res.import_id);
			break;
		case LMS_ROSTER_DRY_RUN:
			printf("dry run, nothing changed; the import would make these changes:\n");
			break;
		case LMS_ROSTER_REJECTED:
			printf("roster NOT imported: %zu rows rejected; nothing was changed\n",
			       res.rejects_total);
			break;
		case LMS_ROSTER_GUARDED:
			printf("roster NOT imported: it would deactivate %zu of the %zu active people "
			       "of its scope, more than %.4g %%; nothing was changed. If that is meant, "
			       "run again with --force.\n",
			       res.counts[LMS_RC_PERSON_DEACTIVATED], res.active_in_scope,
			       opts.guard_percent);
			break;
		case LMS_ROSTER_STALE:
			printf("roster NOT imported: the file was generated before the last file "
			       "imported from the same source (%s); an old export would undo later "
			       "changes\n", res.last_generated_at ? res.last_generated_at : "?");
			break;
		}
		if (res.outcome != LMS_ROSTER_STALE)
			print_report(&res);
	}
	if (res.outcome != LMS_ROSTER_APPLIED && res.outcome != LMS_ROSTER_DRY_RUN) {
		free(buf);
		cli_end(&c, 0);
		return 1;
	}
done:
	free(buf);
	return cli_end(&c, rc);
}

int cmd_roster(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "import") == 0)
		return roster_import(argc, argv);
	printf("usage: parlearn roster import FILE [options]  (takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
