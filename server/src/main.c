/* main.c — the parlearn executable: one binary, subcommands. */
#include "cli.h"

#include "lms/lesson.h"
#include "lms/manifest.h"
#include "lms/question.h"

#include <stdio.h>
#include <string.h>

/* LeakSanitizer (the test builds) cannot see fontconfig's live patterns, which keep their
 * element arrays as offsets rather than pointers (fontconfig's fcint.h): what fontconfig keeps
 * for the life of the process (the certificate PDFs' fonts, lms/certificate.h) would be
 * reported as lost at exit. Only allocations made inside libfontconfig are exempted. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "serve", cmd_serve, "run the web server (and the embedded PostgreSQL)" },
	{ "migrate", cmd_migrate, "apply pending database migrations" },
	{ "unit", cmd_unit, "create and list organisational units" },
	{ "person", cmd_person, "create people of the roster" },
	{ "certificate", cmd_certificate, "issue missing certificates, revoke one, rotate keys" },
	{ "roster", cmd_roster, "import the roster from the personnel system: JSON or CSV" },
	{ "report", cmd_report, "HR reports: completion, indicators, their lists (CSV, XLSX, JSON)" },
	{ "questions", cmd_questions, "import, export and list the question bank (GIFT, Moodle XML)" },
	{ "assessment", cmd_assessment, "quizzes and exams: create from a file, open, close, publish, results" },
	{ "enrol", cmd_enrol, "assign a course to a learner, with a deadline" },
	{ "assign", cmd_assign, "assignment rules: a course for a unit subtree's people, with a deadline" },
	{ "time", cmd_time, "the learning sessions behind a learner's time in a course" },
	{ "sync", cmd_sync, "deliver training records to the personnel system" },
	{ "apikey", cmd_apikey, "API keys of the personnel system's pull API" },
	{ "user", cmd_user, "create accounts, give roles, set passwords" },
	{ "demo-data", cmd_demo_data, "load demo units, people and accounts" },
	{ "package", cmd_package, "check, build, import and export course packages" },
	{ "course", cmd_course, "list courses and their versions" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: parlearn COMMAND [options]   (parlearn COMMAND --help for each)\n\n"
	           "parlearn — online PAR training for Ho Chi Minh City's civil servants\n\n"
	           "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "  %-10s %s\n", "version", "print the version");
}

int main(int argc, char **argv)
{
	size_t i;

	lms_moodlexml_global_init(); /* libxml2, once, before any thread parses */
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("parlearn %s\n", PARLEARN_VERSION);
		return 0;
	}
	lms_manifest_global_init();
	lms_lesson_global_init();
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "parlearn: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
