/* config.h — parlearn's configuration: one table of options, read from the command line,
 * then the environment, then defaults. Subcommands add their own options with the same
 * parser (srv_args). */
#ifndef SRV_CONFIG_H
#define SRV_CONFIG_H

#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct srv_config {
	const char *data_dir;      /* --data / PARLEARN_DATA, default ./var */
	const char *db;            /* --db / PARLEARN_DB: external PostgreSQL, else embedded */
	const char *port;          /* --port / PARLEARN_PORT, default 8080 */
	const char *listen;        /* --listen / PARLEARN_LISTEN, default 127.0.0.1 */
	const char *www;           /* --www / PARLEARN_WWW: static files */
	const char *rt;            /* --rt / PARLEARN_RT: the launcher's files */
	const char *trusted_proxy; /* --trusted-proxy / PARLEARN_TRUSTED_PROXY */
	const char *threads;       /* --threads / PARLEARN_THREADS, default 16 */
	const char *max_body;      /* --max-body / PARLEARN_MAX_BODY, bytes, default 1 MiB */
	const char *session_idle;  /* --session-idle / PARLEARN_SESSION_IDLE, seconds */
	const char *session_max;   /* --session-max / PARLEARN_SESSION_MAX, seconds */
	const char *pg_bin;        /* --pg-bin / PARLEARN_PG_BIN */
	const char *pg_user;       /* --pg-user / PARLEARN_PG_USER, default postgres */
	const char *log_level;     /* --log-level / PARLEARN_LOG_LEVEL, default info */
	const char *access_log;    /* --access-log / PARLEARN_ACCESS_LOG, "-" = stderr */
	const char *migrations;    /* --migrations: a folder of .sql files instead of the built-in */
	const char *max_upload;    /* --max-upload / PARLEARN_MAX_UPLOAD, bytes */
	const char *content_port;  /* --content-port / PARLEARN_CONTENT_PORT: package content */
	const char *public_url;    /* --public-url / PARLEARN_PUBLIC_URL: the app's origin */
	const char *content_url;   /* --content-url / PARLEARN_CONTENT_URL: the content origin */
	bool no_auto_migrate;      /* set by `parlearn migrate`, which applies them itself */
} srv_config;

/* An option of a command line: "--name VALUE" (or "--name=VALUE"), or a flag "--name". */
typedef struct srv_opt {
	const char *name;
	const char *env;        /* environment fallback, or NULL */
	const char **value;     /* where a value goes (options with a value) */
	bool *flag;             /* where a flag goes (options without a value) */
	const char *def;        /* default value, or NULL */
	const char *help;
} srv_opt;

/* The configuration options of group "db" (every command that uses the database) and
 * "serve" (the server only). Terminated by an entry with name NULL. */
const srv_opt *srv_config_db_opts(srv_config *cfg);
const srv_opt *srv_config_serve_opts(srv_config *cfg);

/* Parses argv[first..argc) against the option tables (NULL-terminated list of tables).
 * Unknown options and stray arguments are errors, as are missing values. Then fills unset
 * options from their environment variable and default. */
int srv_args_parse(int argc, char **argv, int first, const srv_opt *const *tables,
                   lms_err *err);

/* Prints "usage" and the options of the tables. */
void srv_args_help(const char *usage, const char *about, const srv_opt *const *tables);

/* Parses a positive integer option within [min, max]. */
int srv_config_int(const char *name, const char *value, long long min, long long max,
                   long long *out, lms_err *err);

#endif
