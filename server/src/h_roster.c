/* h_roster.c — POST /api/hr/v1/roster: the personnel system pushes the roster (JSON, or CSV
 * of people), signed the Standard Webhooks way with its own secret (PARLEARN_ROSTER_SECRET,
 * "whsec_..."). Unsigned, badly signed or stale requests get 401, a webhook-id seen before
 * gets 409 (a replay); then the same import as `parlearn roster import`
 * (docs/personnel-sync.md, "Import rules"). Without the secret the endpoint does not exist.
 * Query: dry_run=1, force=1; for CSV source= and scope= (generated_at is the signature's
 * timestamp). */
#include "http.h"
#include "roster_json.h"

#include "lms/clock.h"
#include "lms/log.h"
#include "lms/sync.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ROSTER_MAX_BODY (64u << 20)
#define TOLERANCE_S 300

static bool query_flag(const char *qs, const char *name)
{
	char v[8];

	return qs && mg_get_var(qs, strlen(qs), name, v, sizeof(v)) > 0 &&
	       (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static const char *query_str(srv_req *r, const char *qs, const char *name)
{
	char v[256];

	if (!qs || mg_get_var(qs, strlen(qs), name, v, sizeof(v)) <= 0)
		return NULL;
	return lms_arena_strdup(r->arena, v);
}

static const char *source_of(srv_req *r, const char *qs)
{
	const char *s = query_str(r, qs, "source");

	return s ? s : "personnel-api";
}

static bool is_type(const char *ctype, const char *want)
{
	size_t n = strlen(want);

	return ctype && strncasecmp(ctype, want, n) == 0 &&
	       (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

/* The answer for an import that ran: 200 with the report, or a problem holding it. */
static int reply_result(srv_req *r, const lms_roster_result *res)
{
	const char *json = lms_roster_result_json(res, r->arena);
	cJSON *p;

	switch (res->outcome) {
	case LMS_ROSTER_APPLIED:
	case LMS_ROSTER_DRY_RUN:
		return srv_reply_json(r, 200, cJSON_CreateRaw(json), NULL);
	case LMS_ROSTER_REJECTED:
		p = srv_problem_new(r, 422, "roster_rejected",
		                    "rows of the roster were rejected; nothing was applied (see "
		                    "report.rejected)", NULL);
		break;
	case LMS_ROSTER_GUARDED:
		p = srv_problem_new(r, 422, "deactivation_guard",
		                    "the import would deactivate more people than the guard allows; "
		                    "nothing was applied. Send it again with force=1 if that is meant.",
		                    NULL);
		break;
	default:
		p = srv_problem_new(r, 409, "roster_stale",
		                    "the file was generated before the last roster imported from the "
		                    "same source; an old export would undo later changes", NULL);
		break;
	}
	cJSON_AddItemToObject(p, "report", cJSON_CreateRaw(json));
	return srv_reply_problem_json(r, res->outcome == LMS_ROSTER_STALE ? 409 : 422, p, NULL);
}

int h_hr_roster(srv_req *r)
{
	const char *secret = getenv("PARLEARN_ROSTER_SECRET");
	const char *id = mg_get_header(r->conn, "webhook-id");
	const char *ts = mg_get_header(r->conn, "webhook-timestamp");
	const char *sig = mg_get_header(r->conn, "webhook-signature");
	const char *ctype = mg_get_header(r->conn, "Content-Type");
	const char *qs = r->ri->query_string;
	unsigned char key[LMS_SYNC_KEY_MAX];
	size_t key_len = 0, len = 0;
	lms_roster_opts opts;
	lms_roster_result res;
	char *body, today[11], stamp[40], actor[160];
	int64_t now_s = lms_now(r->app->clock) / LMS_SECOND_US;
	bool csv, fresh = false;
	int rc;

	if (!secret || !*secret)
		return srv_reply_problem(r, 404, "not_found",
		                         "the roster endpoint is not enabled on this server", NULL, NULL);
	if (lms_sync_secret_parse(secret, key, &key_len, &r->err) < 0) {
		LMS_ERROR("PARLEARN_ROSTER_SECRET is not a whsec_ secret; the roster endpoint refuses");
		return srv_reply_problem(r, 503, "unavailable", "the roster endpoint is misconfigured",
		                         NULL, NULL);
	}
	/* Check what can be checked before reading a body of up to 64 MiB. */
	if (!id || !ts || !sig)
		return srv_reply_problem(r, 401, "signature_invalid",
		                         "sign the request: webhook-id, webhook-timestamp and "
		                         "webhook-signature are required", NULL, NULL);
	if (!(csv = is_type(ctype, "text/csv")) && !is_type(ctype, "application/json"))
		return srv_reply_problem(r, 415, "unsupported_media_type",
		                         "send the roster as application/json or text/csv", NULL, NULL);
	if ((rc = srv_read_raw(r, ROSTER_MAX_BODY, &body, &len)) != 0)
		return rc;
	if ((rc = lms_sync_verify(key, key_len, id, ts, sig, body, len, now_s, TOLERANCE_S,
	                          &r->err)) < 0)
		goto fail;
	if ((rc = r->store->ops->roster_delivery_claim(r->store, id, &fresh, &r->err)) < 0)
		goto fail;
	if (!fresh)
		return srv_reply_problem(r, 409, "replayed",
		                         "this webhook-id was received before; a new push needs a new id",
		                         "webhook-id", NULL);
	memset(&opts, 0, sizeof(opts));
	memset(&res, 0, sizeof(res));
	opts.dry_run = query_flag(qs, "dry_run");
	opts.force = query_flag(qs, "force");
	lms_hcm_date(lms_now(r->app->clock), today);
	opts.today = today;
	snprintf(actor, sizeof(actor), "api:%.120s", id);
	opts.actor = actor;
	{
		struct tm tm;
		time_t t = (time_t)strtoll(ts, NULL, 10) + 7 * 3600;

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S+07:00", &tm);
	}
	if ((rc = srv_roster_run(r->store, body, len, csv, csv ? source_of(r, qs) : NULL,
	                         stamp, csv ? query_str(r, qs, "scope") : NULL, &opts, r->arena,
	                         &res, &r->err)) < 0)
		goto fail;
	LMS_INFO("roster push %s: %s (%zu rejected)", opts.actor, lms_roster_outcome_name(res.outcome),
	         res.rejects_total);
	return reply_result(r, &res);
fail:
	return srv_reply_error(r);
}
