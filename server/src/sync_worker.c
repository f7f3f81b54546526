/* sync_worker.c — one delivery pass over the outbox (sync_worker.h). */
#include "sync_worker.h"

#include "http.h"
#include "lms/working_days.h"

#include "lms/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LEASE_US (120LL * 1000000)
#define BATCH 50

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long env_ll(const char *name, long long def)
{
	const char *v = getenv(name);
	char *end;
	long long x;

	if (!v || !*v)
		return def;
	x = strtoll(v, &end, 10);
	return *end || x < 0 ? def : x;
}

int srv_sync_config_load(srv_sync_config *c, const char *url, const char *secret_file,
                         lms_err *err)
{
	char secret[256];
	const char *env = getenv("PARLEARN_SYNC_SECRET");
	int rc;

	memset(c, 0, sizeof(*c));
	if (!url)
		url = getenv("PARLEARN_SYNC_URL");
	if (!url || !*url)
		return lms_err_set(err, LMS_ENOTFOUND, "usage", "url", "set PARLEARN_SYNC_URL or give --url");
	memset(secret, 0, sizeof(secret));
	if (secret_file) {
		FILE *f = fopen(secret_file, "r");
		size_t n;
		if (!f)
			return lms_err_set(err, LMS_EINVAL, "usage", "secret-file", "--secret-file %s: %s",
			                   secret_file, strerror(errno));
		n = fread(secret, 1, sizeof(secret) - 1, f);
		fclose(f);
		while (n && (secret[n - 1] == '\n' || secret[n - 1] == '\r' || secret[n - 1] == ' '))
			secret[--n] = '\0';
	} else if (env && *env) {
		snprintf(secret, sizeof(secret), "%s", env);
	} else {
		return lms_err_set(err, LMS_EINVAL, "usage", "secret",
		                   "set PARLEARN_SYNC_SECRET or give --secret-file");
	}
	rc = lms_sync_secret_parse(secret, c->key, &c->key_len, err);
	memset(secret, 0, sizeof(secret));
	if (rc < 0)
		return rc;
	c->target.url = url;
	c->target.timeout_ms = (long)env_ll("PARLEARN_SYNC_TIMEOUT_MS", 15000);
	c->target.client_cert = getenv("PARLEARN_SYNC_CLIENT_CERT");
	c->target.client_key = getenv("PARLEARN_SYNC_CLIENT_KEY");
	c->target.ca_file = getenv("PARLEARN_SYNC_CA_FILE");
	c->backoff_us = env_ll("PARLEARN_SYNC_BACKOFF_MS", 30000) * 1000;
	c->alert_days = srv_sync_alert_days();
	return LMS_OK;
}

int srv_sync_pass(lms_store *s, const srv_sync_config *c, const _Atomic int *stop,
                  srv_sync_counts *counts, lms_err *err)
{
	static _Thread_local unsigned seed;
	int rc;

	if (!seed)
		seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	while (!(stop && atomic_load(stop))) {
		lms_arena *a = lms_arena_new();
		lms_sync_event *ev;
		size_t n, i;

		if ((rc = s->ops->sync_claim(s, now_us(), LEASE_US, BATCH, a, &ev, &n, err)) < 0 || n == 0) {
			lms_arena_free(a);
			return rc;
		}
		for (i = 0; i < n && rc == 0; i++) {
			char sig[LMS_SYNC_SIG_MAX], why[256];
			long long ts = (long long)time(NULL);
			int status = 0;
			lms_sync_outcome o;
			int64_t next = 0;

			if ((rc = lms_sync_sign(c->key, c->key_len, ev[i].event_id, ts, ev[i].payload,
			                        strlen(ev[i].payload), sig, err)) < 0)
				break;
			(void)srv_sync_post(&c->target, ev[i].event_id, ts, sig, ev[i].payload, &status, why,
			                    sizeof(why));
			o = lms_sync_classify(status, ev[i].attempts);
			if (o == LMS_SYNC_RETRY)
				next = now_us() + lms_sync_backoff_us(ev[i].attempts, c->backoff_us,
				                                      (double)rand_r(&seed) / ((double)RAND_MAX + 1));
			rc = s->ops->sync_done(s, ev[i].seq,
			                       o == LMS_SYNC_DELIVERED ? "delivered"
			                       : o == LMS_SYNC_RETRY   ? "pending"
			                                               : "dead",
			                       now_us(), next, o == LMS_SYNC_DELIVERED ? NULL : why, err);
			if (o == LMS_SYNC_DELIVERED)
				counts->delivered++;
			else if (o == LMS_SYNC_RETRY)
				counts->retried++;
			else
				counts->dead++;
			if (o == LMS_SYNC_DEAD)
				LMS_WARN("sync: %s is a dead letter (%s, attempt %d); `parlearn sync retry-dead` "
				         "sends it again", ev[i].event_id, why, ev[i].attempts);
			else
				LMS_INFO("sync: %s %s (%s, attempt %d)", ev[i].event_id,
				         o == LMS_SYNC_DELIVERED ? "delivered" : "to retry", why, ev[i].attempts);
		}
		lms_arena_free(a);
		if (rc < 0)
			return rc;
	}
	return LMS_OK;
}

long srv_sync_poll_ms(void)
{
	long ms = (long)env_ll("PARLEARN_SYNC_POLL_MS", 1000);

	return ms < 100 ? 100 : ms > 60000 ? 60000 : ms;
}

void srv_sync_check_age(lms_store *s, const srv_sync_config *c)
{
	int64_t n = 0, oldest = 0;
	lms_err err;

	lms_err_clear(&err);
	if (s->ops->sync_backlog(s, &n, &oldest, &err) < 0) {
		LMS_WARN("sync: cannot read the backlog: %s", err.msg);
		return;
	}
	if (n > 0 && oldest && lms_wd_overdue(oldest, now_us(), c->alert_days))
		LMS_WARN("sync: ALERT %lld training record(s) not delivered, the oldest from %lld hours "
		         "ago, more than %d working days (the national cadre database asks for changes "
		         "within 3 working days)",
		         (long long)n, (long long)((now_us() - oldest) / (3600LL * 1000000)), c->alert_days);
}
