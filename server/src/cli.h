/* cli.h — what every subcommand shares: option parsing with --help, opening the database,
 * reading secrets from standard input. */
#ifndef SRV_CLI_H
#define SRV_CLI_H

#include "config.h"
#include "db.h"
#include "lms/arena.h"
#include "lms/error.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct cli_ctx {
	srv_config cfg;
	srv_db *db;
	lms_store *store;
	lms_arena *arena;
	lms_err err;
	bool help;
} cli_ctx;

/* Parses argv[first..) with the command's own options plus the database options. When
 * --help was given, prints usage and returns 1; on a usage error prints it and returns 2;
 * otherwise opens the database (and store) and returns 0. */
int cli_begin(cli_ctx *c, int argc, char **argv, int first, const srv_opt *own,
              const char *usage, const char *about);
/* Frees what cli_begin made; returns the exit status for rc (0 when rc is 0). */
int cli_end(cli_ctx *c, int rc);

/* Reads one line (a password, an identification number) from standard input without
 * echoing it when stdin is a terminal. The newline is dropped. Fails past max bytes. */
int cli_read_secret(const char *prompt, char *buf, size_t size, lms_err *err);

/* Subcommands (each file cli_*.c / serve.c). */
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_unit(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_package(int argc, char **argv);
int cmd_course(int argc, char **argv);
int cmd_export(int argc, char **argv); /* package export-scorm */
int cmd_enrol(int argc, char **argv);  /* cli_learn.c */
int cmd_time(int argc, char **argv);
int cmd_sync(int argc, char **argv);   /* cli_sync.c */
int cmd_apikey(int argc, char **argv);
int cmd_roster(int argc, char **argv);  /* cli_roster.c */
int cmd_questions(int argc, char **argv); /* cli_questions.c */
int cmd_assessment(int argc, char **argv); /* cli_assessment.c */
int cmd_certificate(int argc, char **argv); /* cli_cert.c */
int cmd_assign(int argc, char **argv);      /* cli_assign.c */
int cmd_report(int argc, char **argv);      /* cli_report.c */

#endif
