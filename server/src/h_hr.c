/* h_hr.c — the personnel system's pull API: GET /api/hr/v1/training-records?after=&limit=
 * (docs/personnel-sync.md). Authenticated by an API key (`Authorization: Bearer plk_...`,
 * `parlearn apikey create`) or a registered client certificate verified by the TLS proxy
 * (client_cert.h); either reaches the events of one unit subtree; rate-limited per
 * key. Events are served in seq order, only once they are 5 s old, so that an event whose
 * statement was still committing cannot later appear behind a cursor already handed out.
 */
#include "http.h"
#include "client_cert.h"

#include "lms/auth.h"

#include <civetweb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SETTLE_US (5LL * 1000000)
#define RATE_PER_S 10.0
#define BURST 20.0
#define SLOTS 64

/* A token bucket per key (keys are few; slots are reused by key id modulo SLOTS). */
static struct {
	int64_t key_id;
	double tokens;
	double at;
} buckets[SLOTS];
static pthread_mutex_t buckets_lock = PTHREAD_MUTEX_INITIALIZER;

static bool allow(int64_t key_id)
{
	struct timespec ts;
	double now;
	bool ok;
	size_t i = (size_t)key_id % SLOTS;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	pthread_mutex_lock(&buckets_lock);
	if (buckets[i].key_id != key_id) {
		buckets[i].key_id = key_id;
		buckets[i].tokens = BURST;
		buckets[i].at = now;
	}
	buckets[i].tokens += (now - buckets[i].at) * RATE_PER_S;
	if (buckets[i].tokens > BURST)
		buckets[i].tokens = BURST;
	buckets[i].at = now;
	ok = buckets[i].tokens >= 1.0;
	if (ok)
		buckets[i].tokens -= 1.0;
	pthread_mutex_unlock(&buckets_lock);
	return ok;
}

static int parse_cursor(const char *s, int64_t *seq)
{
	char *end;
	long long v;

	if (strncmp(s, "p1-", 3) != 0 || !s[3] || strlen(s) > 21)
		return -1;
	v = strtoll(s + 3, &end, 10);
	if (*end || v < 0)
		return -1;
	*seq = v;
	return 0;
}

/* A client certificate verified by the trusted TLS proxy (nginx's hr-api server): only on
 * a request that came through it (r->via_tls), with X-Client-Verify: SUCCESS. */
static int client_cert_hash(srv_req *r, unsigned char hash[32])
{
	const char *verify = mg_get_header(r->conn, "X-Client-Verify");
	const char *cert = mg_get_header(r->conn, "X-Client-Cert");
	lms_err e;

	if (!r->via_tls || !verify || strcmp(verify, "SUCCESS") != 0 || !cert || !*cert)
		return -1;
	return srv_cert_escaped_sha256(cert, hash, &e) < 0 ? -1 : 0;
}

int h_hr_records(srv_req *r)
{
	const char *auth = mg_get_header(r->conn, "Authorization");
	const char *qs = r->ri->query_string;
	char buf[64], next[32];
	unsigned char hash[32];
	int64_t key_id, scope, after = 0;
	long limit = 100;
	lms_sync_event *ev;
	size_t n, i;
	cJSON *o, *arr;

	if (auth) {
		if (strncmp(auth, "Bearer plk_", 11) != 0 || strlen(auth) != 7 + 4 + 43)
			return srv_reply_problem(r, 401, "unauthenticated",
			                         "send the API key as Authorization: Bearer plk_...", NULL,
			                         "WWW-Authenticate: Bearer\r\n");
		lms_token_hash(auth + 7, hash);
	} else if (client_cert_hash(r, hash) < 0) {
		return srv_reply_problem(r, 401, "unauthenticated",
		                         "send the API key as Authorization: Bearer plk_..., or connect "
		                         "with the registered client certificate", NULL,
		                         "WWW-Authenticate: Bearer\r\n");
	}
	if (r->store->ops->apikey_lookup(r->store, hash, &key_id, &scope, &r->err) < 0) {
		if (r->err.rc == LMS_ENOTFOUND)
			return srv_reply_problem(r, 401, "unauthenticated", "unknown or revoked API key", NULL,
			                         "WWW-Authenticate: Bearer\r\n");
		return srv_reply_error(r);
	}
	if (!allow(key_id))
		return srv_reply_problem(r, 429, "too_many_requests",
		                         "at most 10 requests a second per key", NULL, "Retry-After: 1\r\n");
	if (qs && mg_get_var(qs, strlen(qs), "after", buf, sizeof(buf)) >= 0 &&
	    parse_cursor(buf, &after) < 0)
		return srv_reply_problem(r, 400, "invalid_cursor",
		                         "after: give back the \"next\" of an earlier page", "after", NULL);
	if (qs && mg_get_var(qs, strlen(qs), "after", buf, sizeof(buf)) == -2)
		return srv_reply_problem(r, 400, "invalid_cursor", "after: too long", "after", NULL);
	if (qs && mg_get_var(qs, strlen(qs), "limit", buf, sizeof(buf)) >= 0) {
		char *end;
		limit = strtol(buf, &end, 10);
		if (*end || !buf[0] || limit < 1 || limit > 1000)
			return srv_reply_problem(r, 422, "invalid_field", "limit: a whole number from 1 to 1000",
			                         "limit", NULL);
	}
	if (r->store->ops->records_page(r->store, scope, after, (int)limit + 1, SETTLE_US, r->arena,
	                                &ev, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "records");
	for (i = 0; i < n && i < (size_t)limit; i++) {
		cJSON *p = cJSON_Parse(ev[i].payload);
		if (p)
			cJSON_AddItemToArray(arr, p);
		after = ev[i].seq;
	}
	snprintf(next, sizeof(next), "p1-%lld", (long long)after);
	cJSON_AddStringToObject(o, "next", next);
	cJSON_AddBoolToObject(o, "has_more", n > (size_t)limit);
	return srv_reply_json(r, 200, o, NULL);
}
