/* xapi_worker.c — one xAPI delivery pass (xapi_worker.h): claim due events, turn each
 * event's payload (the training record as pushed) into a statement with lms-core's builder,
 * PUT it to the LRS by its statement id, and record the outcome. The same answers mean the
 * same as for the push (lms_sync_classify): 2xx and 409 delivered (the LRS has the
 * statement: the id is a UUID v5 of the event id, so a resend is the same statement), 429,
 * 5xx or no answer retry with backoff, other answers dead. Certificate events have no xAPI
 * form and are marked skipped. */
#include "xapi_worker.h"

#include "lms/log.h"
#include "lms/sync.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 50
#define LEASE_US (120LL * 1000000)

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long env_ms(const char *v, long def)
{
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;

	return v && *v && !*end && n > 0 ? n : def;
}

static int copy_env(char *dst, size_t size, const char *name, bool required, lms_err *err)
{
	const char *v = getenv(name);

	dst[0] = '\0';
	if (!v || !*v)
		return required ? lms_err_set(err, LMS_EINVAL, "xapi_config", name, "%s is not set", name)
		                : LMS_OK;
	if (strlen(v) >= size)
		return lms_err_set(err, LMS_EINVAL, "xapi_config", name, "%s is too long", name);
	memcpy(dst, v, strlen(v) + 1);
	return LMS_OK;
}

int srv_xapi_config_load(srv_xapi_worker_config *c, const char *public_url, lms_err *err)
{
	const char *url = getenv("PARLEARN_XAPI_URL"), *t = getenv("PARLEARN_SYNC_TIMEOUT_MS");
	const char *b = getenv("PARLEARN_SYNC_BACKOFF_MS");
	int rc;

	memset(c, 0, sizeof(*c));
	if (!url || !*url)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "PARLEARN_XAPI_URL",
		                   "PARLEARN_XAPI_URL is not set");
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return lms_err_set(err, LMS_EINVAL, "xapi_config", "PARLEARN_XAPI_URL",
		                   "PARLEARN_XAPI_URL must be an http(s) address");
	if ((rc = copy_env(c->user, sizeof(c->user), "PARLEARN_XAPI_USER", true, err)) < 0 ||
	    (rc = copy_env(c->password, sizeof(c->password), "PARLEARN_XAPI_PASSWORD", true, err)) < 0 ||
	    (rc = copy_env(c->home_page, sizeof(c->home_page), "PARLEARN_XAPI_ACTOR_HOMEPAGE", true,
	                   err)) < 0)
		return rc;
	if (!public_url || !*public_url)
		public_url = getenv("PARLEARN_PUBLIC_URL");
	if (!public_url || !*public_url || strlen(public_url) >= sizeof(c->public_url))
		return lms_err_set(err, LMS_EINVAL, "xapi_config", "PARLEARN_PUBLIC_URL",
		                   "parlearn's public address (--public-url or PARLEARN_PUBLIC_URL) is "
		                   "needed for the activity ids of xAPI statements");
	memcpy(c->public_url, public_url, strlen(public_url) + 1);
	c->target.url = url;
	c->target.timeout_ms = env_ms(t, 15000);
	c->target.client_cert = getenv("PARLEARN_XAPI_CLIENT_CERT");
	c->target.client_key = getenv("PARLEARN_XAPI_CLIENT_KEY");
	c->target.ca_file = getenv("PARLEARN_XAPI_CA_FILE");
	c->backoff_us = (int64_t)env_ms(b, 0) * 1000;
	return LMS_OK;
}

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(m) ? m->valuestring : NULL;
}

static bool jnum(const cJSON *o, const char *name, double *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(m))
		return false;
	*out = m->valuedouble;
	return true;
}

/* The event of a payload; strings point into root (kept alive by the caller). */
static void event_of(const cJSON *root, lms_xapi_event *ev)
{
	const cJSON *passed = cJSON_GetObjectItemCaseSensitive(root, "passed");
	double d;

	memset(ev, 0, sizeof(*ev));
	ev->event_id = jstr(root, "event_id");
	ev->kind = jstr(root, "kind");
	ev->occurred_at = jstr(root, "occurred_at");
	ev->employee_code = jstr(root, "employee_code");
	ev->unit_code = jstr(root, "unit_code");
	ev->course_code = jstr(root, "course_code");
	if (jnum(root, "course_version", &d))
		ev->course_version = (int64_t)d;
	ev->exam_code = jstr(root, "exam_code");
	ev->title = jstr(root, "title");
	ev->completed_at = jstr(root, "completed_at");
	ev->passed_at = jstr(root, "passed_at");
	ev->passed = cJSON_IsTrue(passed) ? LMS_XAPI_TRUE : cJSON_IsFalse(passed) ? LMS_XAPI_FALSE
	                                                                          : LMS_XAPI_NULL;
	ev->has_score = jnum(root, "score", &ev->score);
	if (jnum(root, "active_time_s", &d))
		ev->active_time_s = (int64_t)d;
	if ((ev->has_reported_time = jnum(root, "reported_time_s", &d)))
		ev->reported_time_s = (int64_t)d;
	if ((ev->has_training_periods = jnum(root, "training_periods", &d)))
		ev->training_periods = (int64_t)d;
}

typedef enum { X_DELIVERED, X_PENDING, X_DEAD, X_SKIPPED } x_outcome;
static const char *const x_state[] = { "delivered", "pending", "dead", "skipped" };

/* One event: its outcome and the reason in why. */
static x_outcome send_one(const srv_xapi_worker_config *c, const lms_sync_event *e,
                            lms_arena *a, char *why, size_t why_size)
{
	lms_xapi_config xc = { c->home_page, c->public_url };
	lms_xapi_statement st;
	lms_xapi_event ev;
	cJSON *root = cJSON_Parse(e->payload);
	lms_err err;
	int rc, status = 0;

	lms_err_clear(&err);
	if (!root) {
		snprintf(why, why_size, "the event's payload is not JSON");
		return X_DEAD;
	}
	event_of(root, &ev);
	rc = lms_xapi_statement_build(&st, a, &ev, &xc, &err);
	cJSON_Delete(root);
	if (rc == LMS_EUNSUPPORTED) {
		snprintf(why, why_size, "%.200s", err.msg);
		return X_SKIPPED;
	}
	if (rc < 0) {
		snprintf(why, why_size, "cannot make the statement: %.200s", err.msg);
		return X_DEAD;
	}
	(void)srv_xapi_put(&c->target, c->user, c->password, st.id, st.json, &status, why, why_size);
	switch (lms_sync_classify(status, e->attempts)) {
	case LMS_SYNC_DELIVERED: return X_DELIVERED;
	case LMS_SYNC_RETRY: return X_PENDING;
	default: return X_DEAD;
	}
}

int srv_xapi_pass(lms_store *s, const srv_xapi_worker_config *c, const _Atomic int *stop,
                  srv_sync_counts *counts, lms_err *err)
{
	static _Thread_local unsigned seed;
	int rc;

	if (!seed)
		seed = (unsigned)time(NULL) ^ (unsigned)getpid() ^ 0x5a5a;
	while (!(stop && atomic_load(stop))) {
		lms_arena *a = lms_arena_new();
		lms_sync_event *ev;
		size_t n, i;

		if ((rc = s->ops->xapi_claim(s, now_us(), LEASE_US, BATCH, a, &ev, &n, err)) < 0 || n == 0) {
			lms_arena_free(a);
			return rc;
		}
		for (i = 0; i < n && rc == 0; i++) {
			char why[256];
			x_outcome o = send_one(c, &ev[i], a, why, sizeof(why));
			int64_t next = 0;

			if (o == X_PENDING)
				next = now_us() + lms_sync_backoff_us(ev[i].attempts, c->backoff_us,
				                                      (double)rand_r(&seed) / ((double)RAND_MAX + 1));
			rc = s->ops->xapi_done(s, ev[i].seq, x_state[o], next, o == X_DELIVERED ? NULL : why,
			                       err);
			if (o == X_DELIVERED || o == X_SKIPPED)
				counts->delivered++;
			else if (o == X_PENDING)
				counts->retried++;
			else
				counts->dead++;
			if (o == X_DEAD)
				LMS_WARN("xapi: %s is a dead letter (%s, attempt %d)", ev[i].event_id, why,
				         ev[i].attempts);
			else
				LMS_INFO("xapi: %s %s (%s, attempt %d)", ev[i].event_id, x_state[o], why,
				         ev[i].attempts);
		}
		lms_arena_free(a);
		if (rc < 0)
			return rc;
	}
	return LMS_OK;
}
