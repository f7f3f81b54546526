/* config.c — command-line and environment parsing (see config.h). The option tables are the
 * one place where names, environment variables, defaults and help texts are defined. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PARLEARN_WWW_DIR
#define PARLEARN_WWW_DIR "server/www"
#endif
#ifndef PARLEARN_RT_DIR
#define PARLEARN_RT_DIR "server/rt"
#endif

static srv_opt db_opts[8];
static srv_opt serve_opts[24];

const srv_opt *srv_config_db_opts(srv_config *c)
{
	const srv_opt t[] = {
		{ "data", "PARLEARN_DATA", &c->data_dir, NULL, "./var",
		  "data folder (embedded PostgreSQL cluster, logs)" },
		{ "db", "PARLEARN_DB", &c->db, NULL, NULL,
		  "PostgreSQL connection URI; when unset, the embedded cluster in the data folder" },
		{ "pg-bin", "PARLEARN_PG_BIN", &c->pg_bin, NULL, "/usr/lib/postgresql/15/bin",
		  "directory of PostgreSQL's initdb and postgres (embedded cluster)" },
		{ "pg-user", "PARLEARN_PG_USER", &c->pg_user, NULL, "postgres",
		  "OS user that runs the embedded cluster when parlearn runs as root" },
		{ "log-level", "PARLEARN_LOG_LEVEL", &c->log_level, NULL, "info",
		  "error, warn, info or debug" },
		{ "migrations", NULL, &c->migrations, NULL, NULL,
		  "folder of NNNN_name.sql files to apply instead of the built-in migrations" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	memcpy(db_opts, t, sizeof(t));
	return db_opts;
}

const srv_opt *srv_config_serve_opts(srv_config *c)
{
	const srv_opt t[] = {
		{ "port", "PARLEARN_PORT", &c->port, NULL, "8080", "HTTP port" },
		{ "listen", "PARLEARN_LISTEN", &c->listen, NULL, "127.0.0.1",
		  "address to listen on (keep loopback; TLS is nginx's job)" },
		{ "www", "PARLEARN_WWW", &c->www, NULL, PARLEARN_WWW_DIR, "folder of the web pages" },
		{ "rt", "PARLEARN_RT", &c->rt, NULL, PARLEARN_RT_DIR,
		  "folder of the SCORM launcher, served on the content origin under /rt/" },
		{ "trusted-proxy", "PARLEARN_TRUSTED_PROXY", &c->trusted_proxy, NULL, NULL,
		  "address of the TLS proxy whose X-Forwarded-* headers are believed" },
		{ "threads", "PARLEARN_THREADS", &c->threads, NULL, "32",
		  "request worker threads (each may hold one PostgreSQL connection)" },
		{ "max-body", "PARLEARN_MAX_BODY", &c->max_body, NULL, "1048576",
		  "largest request body accepted, in bytes" },
		{ "session-idle", "PARLEARN_SESSION_IDLE", &c->session_idle, NULL, "14400",
		  "seconds without a request after which a session expires" },
		{ "session-max", "PARLEARN_SESSION_MAX", &c->session_max, NULL, "43200",
		  "seconds after login after which a session expires in any case" },
		{ "access-log", "PARLEARN_ACCESS_LOG", &c->access_log, NULL, "-",
		  "access log file ('-' for standard error)" },
		{ "max-upload", "PARLEARN_MAX_UPLOAD", &c->max_upload, NULL, "268435456",
		  "largest course package accepted by upload, in bytes (256 MiB)" },
		{ "content-port", "PARLEARN_CONTENT_PORT", &c->content_port, NULL, NULL,
		  "port of the package-content origin (default: --port + 1)" },
		{ "public-url", "PARLEARN_PUBLIC_URL", &c->public_url, NULL, NULL,
		  "the application's origin as browsers see it (default http://127.0.0.1:PORT)" },
		{ "content-url", "PARLEARN_CONTENT_URL", &c->content_url, NULL, NULL,
		  "the content origin as browsers see it (default http://localhost:CONTENT-PORT)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	memcpy(serve_opts, t, sizeof(t));
	return serve_opts;
}

static const srv_opt *find(const srv_opt *const *tables, const char *name, size_t len)
{
	size_t t;
	const srv_opt *o;

	for (t = 0; tables[t]; t++)
		for (o = tables[t]; o->name; o++)
			if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
				return o;
	return NULL;
}

int srv_args_parse(int argc, char **argv, int first, const srv_opt *const *tables,
                   lms_err *err)
{
	size_t t;
	const srv_opt *o;
	int i;

	for (i = first; i < argc; i++) {
		const char *a = argv[i], *eq, *val = NULL;
		size_t len;

		if (strncmp(a, "--", 2) != 0)
			return lms_err_set(err, LMS_EINVAL, "usage", NULL, "unexpected argument '%s'", a);
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if (!(o = find(tables, a, len)))
			return lms_err_set(err, LMS_EINVAL, "usage", NULL, "unknown option --%.*s",
			                   (int)len, a);
		if (o->flag) {
			if (eq)
				return lms_err_set(err, LMS_EINVAL, "usage", NULL, "--%s takes no value",
				                   o->name);
			*o->flag = true;
			continue;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return lms_err_set(err, LMS_EINVAL, "usage", NULL, "--%s needs a value", o->name);
		*o->value = val;
	}
	for (t = 0; tables[t]; t++)
		for (o = tables[t]; o->name; o++) {
			if (!o->value || *o->value)
				continue;
			if (o->env && getenv(o->env) && *getenv(o->env))
				*o->value = getenv(o->env);
			else
				*o->value = o->def;
		}
	return LMS_OK;
}

void srv_args_help(const char *usage, const char *about, const srv_opt *const *tables)
{
	size_t t;
	const srv_opt *o;

	printf("usage: %s\n\n%s\n", usage, about);
	for (t = 0; tables[t]; t++) {
		if (!tables[t]->name)
			continue;
		printf("\noptions:\n");
		for (o = tables[t]; o->name; o++) {
			char left[64];
			snprintf(left, sizeof(left), "--%s%s", o->name, o->flag ? "" : " VALUE");
			printf("  %-26s %s", left, o->help);
			if (o->env)
				printf(" [%s]", o->env);
			if (o->def)
				printf(" (default %s)", o->def);
			printf("\n");
		}
	}
}

int srv_config_int(const char *name, const char *value, long long min, long long max,
                   long long *out, lms_err *err)
{
	char *end;
	long long v;

	errno = 0;
	v = value ? strtoll(value, &end, 10) : 0;
	if (!value || errno || *end || end == value || v < min || v > max)
		return lms_err_set(err, LMS_EINVAL, "usage", name,
		                   "--%s must be a whole number from %lld to %lld", name, min, max);
	*out = v;
	return LMS_OK;
}
