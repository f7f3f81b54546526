/* serve.c — `parlearn serve`: the database (embedded or external), migrations, the HTTP
 * server, and a clean stop on SIGINT/SIGTERM: in-flight requests finish, then the embedded
 * PostgreSQL is shut down. While serving, an embedded PostgreSQL that dies is restarted. */
#include "cli.h"
#include "http.h"
#include "lms/player.h"

#include "lms/log.h"
#include "store_pg.h"
#include "sync_worker.h"
#include "xapi_worker.h"

#include "lms/certificate.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = sig;
}

static int setup(srv_app *app, srv_config *cfg, lms_err *err)
{
	long long v;
	int rc;

	if ((rc = srv_config_int("port", cfg->port, 1, 65535, &v, err)) < 0)
		return rc;
	app->port = (int)v;
	if (cfg->content_port) {
		if ((rc = srv_config_int("content-port", cfg->content_port, 1, 65535, &v, err)) < 0)
			return rc;
		app->content_port = (int)v;
	} else {
		app->content_port = app->port == 65535 ? 65534 : app->port + 1;
	}
	if (app->content_port == app->port)
		return lms_err_set(err, LMS_EINVAL, "usage", "content-port",
		                   "--content-port must differ from --port: package content needs "
		                   "an origin of its own");
	if (cfg->public_url)
		snprintf(app->public_url, sizeof(app->public_url), "%s", cfg->public_url);
	else
		snprintf(app->public_url, sizeof(app->public_url), "http://127.0.0.1:%d", app->port);
	/* By default the content origin uses another host name than the application
	 * (localhost vs 127.0.0.1), so the browser never sends it the session cookie. */
	if (cfg->content_url)
		snprintf(app->content_url, sizeof(app->content_url), "%s", cfg->content_url);
	else
		snprintf(app->content_url, sizeof(app->content_url), "http://localhost:%d",
		         app->content_port);
	if (strpbrk(app->public_url, " \r\n;,") || strpbrk(app->content_url, " \r\n;,"))
		return lms_err_set(err, LMS_EINVAL, "usage", "public-url",
		                   "--public-url and --content-url must be plain origins");
	snprintf(app->content_dir, sizeof(app->content_dir), "%s/content", cfg->data_dir);
	snprintf(app->cache_dir, sizeof(app->cache_dir), "%s/cache", cfg->data_dir);
	if ((rc = srv_config_int("threads", cfg->threads, 1, 512, &v, err)) < 0 ||
	    (rc = srv_config_int("max-body", cfg->max_body, 1024, 1LL << 30, &v, err)) < 0)
		return rc;
	app->max_body = (size_t)v;
	if ((rc = srv_config_int("max-upload", cfg->max_upload, 1024, 1LL << 40, &v, err)) < 0)
		return rc;
	app->max_upload = v;
	lms_auth_policy_default(&app->policy);
	if ((rc = srv_config_int("session-idle", cfg->session_idle, 1, 30 * 86400, &v, err)) < 0)
		return rc;
	app->policy.session_idle_us = v * LMS_SECOND_US;
	if ((rc = srv_config_int("session-max", cfg->session_max, 1, 90 * 86400, &v, err)) < 0)
		return rc;
	app->policy.session_max_us = v * LMS_SECOND_US;
	if (!realpath(cfg->www, app->www))
		return lms_err_set(err, LMS_EINVAL, "usage", "www", "--www %s: %s", cfg->www,
		                   strerror(errno));
	if (!realpath(cfg->rt, app->rt_dir))
		return lms_err_set(err, LMS_EINVAL, "usage", "rt", "--rt %s: %s", cfg->rt,
		                   strerror(errno));
	lms_tot_params_default(&app->tot);
	if (strcmp(cfg->access_log, "-") == 0)
		app->access_log = stderr;
	else if (!(app->access_log = fopen(cfg->access_log, "a")))
		return lms_err_set(err, LMS_EINVAL, "usage", "access-log", "--access-log %s: %s",
		                   cfg->access_log, strerror(errno));
	app->clock = lms_clock_system();
	app->cfg = cfg;
	return LMS_OK;
}

/* The personnel sync worker (docs/personnel-sync.md): a pass over the outbox every 5 s while
 * the server runs, with its own database connection; several nodes may each run one. */
typedef struct sync_thread {
	pthread_t tid;
	bool running;
	bool push, xapi;           /* which deliveries are configured */
	srv_sync_config cfg;
	srv_xapi_worker_config xcfg;
	const char *conninfo;
	_Atomic int stop;
} sync_thread;

static void *sync_main(void *arg)
{
	sync_thread *t = arg;
	lms_store *st = store_pg_new(t->conninfo);
	unsigned long pass = 0;

	while (st && !atomic_load(&t->stop)) {
		srv_sync_counts counts = { 0, 0, 0 };
		lms_err e;
		int i;
		lms_err_clear(&e);
		if (t->push && srv_sync_pass(st, &t->cfg, &t->stop, &counts, &e) < 0)
			LMS_WARN("sync: %s", e.msg);
		if (t->xapi && srv_xapi_pass(st, &t->xcfg, &t->stop, &counts, &e) < 0)
			LMS_WARN("xapi: %s", e.msg);
		if (t->push && pass++ % (unsigned long)(300000 / srv_sync_poll_ms()) == 0)
			srv_sync_check_age(st, &t->cfg); /* every 5 minutes */
		for (i = 0; i < srv_sync_poll_ms() / 100 && !atomic_load(&t->stop); i++) {
			struct timespec ts = { 0, 100 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	store_pg_free(st);
	srv_sync_http_thread_done();
	return NULL;
}

static void sync_thread_start(sync_thread *t, const char *conninfo, const char *public_url)
{
	lms_err e;
	int rc;

	memset(t, 0, sizeof(*t));
	lms_err_clear(&e);
	rc = srv_sync_config_load(&t->cfg, NULL, NULL, &e);
	if (rc == LMS_ENOTFOUND)
		LMS_INFO("sync: PARLEARN_SYNC_URL is not set; training records stay in the outbox");
	else if (rc < 0)
		LMS_ERROR("sync: %s; not delivering", e.msg);
	else
		t->push = true;
	lms_err_clear(&e);
	rc = srv_xapi_config_load(&t->xcfg, public_url, &e);
	if (rc < 0 && rc != LMS_ENOTFOUND)
		LMS_ERROR("xapi: %s; not sending statements", e.msg);
	else if (rc == 0)
		t->xapi = true;
	if (!t->push && !t->xapi)
		return;
	t->conninfo = conninfo;
	srv_sync_http_init();
	if (pthread_create(&t->tid, NULL, sync_main, t) == 0) {
		t->running = true;
		if (t->push)
			LMS_INFO("sync: delivering training records to the personnel system");
		if (t->xapi)
			LMS_INFO("xapi: sending training records as xAPI statements to the LRS");
	}
}

static void sync_thread_stop(sync_thread *t)
{
	if (!t->running)
		return;
	atomic_store(&t->stop, 1);
	pthread_join(t->tid, NULL);
	memset(&t->cfg, 0, sizeof(t->cfg));
	memset(&t->xcfg, 0, sizeof(t->xcfg));
}

int cmd_serve(int argc, char **argv)
{
	srv_config cfg;
	bool help = false;
	const srv_opt help_opt[] = { { "help", NULL, NULL, &help, NULL, "show this help" },
		                     { NULL, NULL, NULL, NULL, NULL, NULL } };
	const srv_opt *tables[4];
	srv_app app;
	srv_db *db = NULL;
	struct sigaction sa;
	lms_store *housekeeper = NULL;
	sync_thread sync;
	unsigned long ticks = 0;
	lms_err err;
	int rc = 1;

	memset(&cfg, 0, sizeof(cfg));
	memset(&app, 0, sizeof(app));
	lms_err_clear(&err);
	tables[0] = srv_config_serve_opts(&cfg);
	tables[1] = srv_config_db_opts(&cfg);
	tables[2] = help_opt;
	tables[3] = NULL;
	if (srv_args_parse(argc, argv, 1, tables, &err) < 0) {
		fprintf(stderr, "parlearn: %s\n(try: parlearn serve --help)\n", err.msg);
		return 2;
	}
	if (help) {
		srv_args_help("parlearn serve [options]",
		              "Serves parlearn over HTTP. With no --db, runs its own PostgreSQL in the "
		              "data folder and stops it on exit.",
		              tables);
		return 0;
	}
	if (setup(&app, &cfg, &err) < 0) {
		fprintf(stderr, "parlearn: %s\n", err.msg);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Password hashing takes 19 MiB per login (argon2id, auth.c). Served from glibc's
	 * per-thread heaps, that memory would stay with every worker thread that ever handled
	 * a login (32 threads: 600 MiB); as mmap'ed blocks it goes back to the system at once. */
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);

	if (srv_db_open(&cfg, true, &db, &err) < 0) {
		LMS_ERROR("%s", err.msg);
		goto cleanup;
	}
	app.conninfo = db->conninfo;
	app.cluster = db->cluster;
	{
		lms_store *st = store_pg_new(app.conninfo);
		int src = st ? st->ops->secret_get(st, "content_url", sizeof(app.content_secret),
		                                   app.content_secret, &err)
		             : LMS_EINTERNAL;
		store_pg_free(st);
		if (src < 0) {
			LMS_ERROR("cannot load the content-link secret: %s", err.msg);
			goto cleanup;
		}
	}
	/* Fonts for the certificate PDFs, once, before the worker threads start. Without them
	 * the server runs, and a PDF request gets a 503 that says why. */
	if (lms_cert_pdf_init(&err) < 0)
		LMS_WARN("certificates: %s; PDFs cannot be made until it is installed", err.msg);
	lms_err_clear(&err);
	if (stop_requested)
		goto stopped;
	if (srv_http_start(&app, &err) < 0) {
		LMS_ERROR("%s", err.msg);
		goto cleanup;
	}
	housekeeper = store_pg_new(app.conninfo);
	sync_thread_start(&sync, app.conninfo, app.public_url);
	if (housekeeper)
		srv_certs_issue(housekeeper, &app, 0, 500); /* what a crash may have left */
	while (!stop_requested) {
		struct timespec ts = { 0, 200 * 1000000L };
		nanosleep(&ts, NULL);
		/* Every 10 minutes: expired sessions and old login attempts go. */
		if (++ticks % 3000 == 1 && housekeeper) {
			lms_err e;
			int64_t deleted = 0;
			lms_err_clear(&e);
			if (lms_auth_housekeep(housekeeper, app.clock, &app.policy, &deleted, &e) < 0)
				LMS_WARN("housekeeping: %s", e.msg);
			else if (deleted)
				LMS_INFO("housekeeping: %lld expired sessions and old login attempts deleted",
				         (long long)deleted);
			/* Launches without a commit or heartbeat for 30 minutes are closed: their
			 * learning session ended when the learner went away. */
			lms_err_clear(&e);
			deleted = 0;
			if (housekeeper->ops->launch_expire(housekeeper,
			                                    lms_now(app.clock) - LMS_LAUNCH_TIMEOUT_US,
			                                    &deleted, &e) < 0)
				LMS_WARN("housekeeping: %s", e.msg);
			else if (deleted)
				LMS_INFO("housekeeping: %lld idle launches closed", (long long)deleted);
		}
		/* Every minute: certificates for completions that have none yet (a learner who
		 * opens their certificates gets theirs at once). */
		if (ticks % 300 == 150 && housekeeper)
			srv_certs_issue(housekeeper, &app, 0, 500);
		/* Every 5 minutes: assignment rules reach people who joined a unit or got an
		 * account since (set-based; safe with several nodes). */
		if (ticks % 1500 == 750 && housekeeper)
			srv_assign_apply(housekeeper, &app);
		/* Every second: exam attempts past their deadline are submitted by the server. */
		if (ticks % 5 == 2 && housekeeper)
			srv_exam_housekeep(housekeeper, &app);
		if (app.cluster && !srv_cluster_alive(app.cluster) && !stop_requested) {
			lms_err e;
			lms_err_clear(&e);
			if (srv_cluster_restart(app.cluster, &e) < 0)
				LMS_ERROR("%s", e.msg);
		}
	}
	LMS_INFO("signal %d: finishing in-flight requests", (int)stop_requested);
	sync_thread_stop(&sync);
	srv_http_stop(&app);
	store_pg_free(housekeeper);
stopped:
	rc = 0;
cleanup:
	srv_db_close(db);
	if (app.access_log && app.access_log != stderr)
		fclose(app.access_log);
	LMS_INFO("parlearn stopped");
	return rc;
}
