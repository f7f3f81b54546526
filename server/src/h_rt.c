/* h_rt.c — the launcher's endpoints: POST /api/rt/init, /api/rt/commit, /api/rt/beat
 * (docs/player-api.md).
 *
 * The launcher runs on the content origin and holds no session: each request carries the
 * launch token in its body ("t"), a capability for one launch of one attempt. Requests are
 * CORS-simple (text/plain JSON), so they survive page unload with keepalive or sendBeacon;
 * the answer names the content origin in Access-Control-Allow-Origin, and a request from any
 * other browser origin is refused.
 */
#include "http.h"

#include "lms/auth.h"
#include "lms/content_url.h"
#include "lms/log.h"
#include "lms/player.h"

#include <civetweb.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SCO_LINK_TTL_S (12 * 3600)
#define HEARTBEAT_S 30
#define COMMIT_S 60

static const char *cors_headers(srv_req *r)
{
	char *h = lms_arena_alloc(r->arena, 320);

	snprintf(h, 320, "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\n", r->app->content_url);
	return h;
}

/* Refuses a browser request from an origin other than the content origin (requests without
 * Origin, from tools, carry only the token's authority). */
static int check_origin(srv_req *r)
{
	const char *origin = mg_get_header(r->conn, "Origin");

	if (origin && strcmp(origin, r->app->content_url) != 0)
		return srv_reply_problem(r, 403, "cross_origin_refused",
		                         "the launcher's requests come from the content origin only",
		                         NULL, NULL);
	return 0;
}

static int fail(srv_req *r)
{
	int status = srv_status_of(r->err.rc, r->err.code);
	cJSON *p;

	if (status >= 500 && status != 503)
		return srv_reply_error(r);
	p = srv_problem_new(r, status, r->err.code, r->err.msg, r->err.field[0] ? r->err.field : NULL);
	if (r->err.rc == LMS_ETHROTTLED || status == 503) {
		char extra[400];
		snprintf(extra, sizeof(extra), "%sRetry-After: %lld\r\n", cors_headers(r),
		         (long long)(r->err.retry_after_s ? r->err.retry_after_s : 5));
		return srv_reply_problem_json(r, status, p, extra);
	}
	return srv_reply_problem_json(r, status, p, cors_headers(r));
}

/* Reads the body and the token; on failure an answer has been sent (its status returned). */
static int read_launch(srv_req *r, cJSON **body, unsigned char hash[32])
{
	const cJSON *t;
	int status;

	if ((status = check_origin(r)) != 0)
		return status;
	if ((status = srv_read_json_as(r, true, body)) != 0)
		return status;
	t = cJSON_GetObjectItemCaseSensitive(*body, "t");
	if (!cJSON_IsString(t) || strlen(t->valuestring) != 43) {
		cJSON_Delete(*body);
		*body = NULL;
		lms_err_set(&r->err, LMS_EUNAUTH, "launch_unknown", "t",
		            "t: give the launch token this lesson was opened with");
		return fail(r);
	}
	lms_token_hash(t->valuestring, hash);
	return 0;
}

/* Percent-encodes what may not stand in a URL path (a manifest's href may hold spaces or
 * Vietnamese letters); the query part after '?' is kept as written. */
static void url_path_append(char *out, size_t size, const char *href)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(out);
	bool query = false;
	const unsigned char *p;

	for (p = (const unsigned char *)href; *p && len + 4 < size; p++) {
		if (*p == '?')
			query = true;
		if (query || (*p > 0x20 && *p < 0x7F && *p != '"' && *p != '<' && *p != '>' &&
		              *p != '\\' && *p != '^' && *p != '`' && *p != '{' && *p != '|' &&
		              *p != '}')) {
			out[len++] = (char)*p;
		} else {
			out[len++] = '%';
			out[len++] = hex[*p >> 4];
			out[len++] = hex[*p & 15];
		}
	}
	out[len] = '\0';
}

int h_rt_init(srv_req *r)
{
	unsigned char hash[32];
	char token[LMS_CONTENT_TOKEN_MAX], url[4096];
	cJSON *body = NULL, *o, *cmi;
	lms_launch_ctx ctx;
	lms_rt_pair *pairs;
	size_t n, i;
	int status;

	if ((status = read_launch(r, &body, hash)) != 0)
		return status;
	cJSON_Delete(body);
	if (lms_player_open(r->store, hash, r->arena, &ctx, &r->err) < 0)
		return fail(r);
	if (ctx.closed) {
		lms_err_set(&r->err, LMS_ECONFLICT, "launch_closed", NULL,
		            "this launch has ended; open the lesson again from the course page");
		return fail(r);
	}
	if (!ctx.item.href) {
		lms_err_set(&r->err, LMS_ENOTFOUND, "not_found", NULL, "this item has no content");
		return fail(r);
	}
	if (lms_player_init(&ctx, r->arena, &pairs, &n, &r->err) < 0)
		return fail(r);
	if (lms_content_token_make(r->app->content_secret, ctx.storage_key,
	                           (int64_t)time(NULL) + SCO_LINK_TTL_S, token, sizeof(token)) < 0)
		return srv_reply_problem(r, 500, "internal", "cannot sign the link", NULL, NULL);
	snprintf(url, sizeof(url), "%s/c/%s/", r->app->content_url, token);
	/* A native PAR lesson plays in the built-in lesson player (h_content.c). */
	url_path_append(url, sizeof(url),
	                strcmp(ctx.kind, "native") == 0 ? "player/index.html" : ctx.item.href);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", ctx.cmi == LMS_CMI_12 ? "1.2" : "2004");
	cJSON_AddStringToObject(o, "sco_url", url);
	cJSON_AddStringToObject(o, "title", ctx.item.title ? ctx.item.title : "");
	cmi = cJSON_AddObjectToObject(o, "cmi");
	for (i = 0; i < n; i++)
		cJSON_AddStringToObject(cmi, pairs[i].element, pairs[i].value);
	cJSON_AddNumberToObject(o, "seq", ctx.last_seq);
	{
		/* What the sequencer would allow now: the SCO's adl.nav.request_valid.* values. */
		lms_course_page page;
		lms_err e;
		lms_err_clear(&e);
		if (lms_player_launch_page(r->store, &ctx, r->arena, &page, &e) == 0) {
			cJSON *nav = cJSON_AddObjectToObject(o, "nav"), *choice;
			cJSON_AddBoolToObject(nav, "continue", page.can_continue);
			cJSON_AddBoolToObject(nav, "previous", page.can_previous);
			choice = cJSON_AddArrayToObject(nav, "choice");
			for (i = 0; i < page.n; i++)
				if (page.toc[i].choosable && page.toc[i].item->href)
					cJSON_AddItemToArray(choice, cJSON_CreateString(page.toc[i].item->identifier));
		} else {
			LMS_WARN("launch %lld: navigation state unavailable: %s", (long long)ctx.launch_id, e.msg);
		}
	}
	cJSON_AddNumberToObject(o, "heartbeat_s", HEARTBEAT_S);
	cJSON_AddNumberToObject(o, "commit_s", COMMIT_S);
	return srv_reply_json(r, 200, o, cors_headers(r));
}

/* Reads batches: [{"seq": n, "changes": [[element, value], ...]}, ...]. */
static int read_batches(srv_req *r, const cJSON *arr, lms_commit_batch **out, size_t *n)
{
	const cJSON *b;
	size_t nb = 0, k = 0;
	lms_commit_batch *list;

	if (!arr) {
		*out = NULL;
		*n = 0;
		return LMS_OK;
	}
	if (!cJSON_IsArray(arr) || (nb = (size_t)cJSON_GetArraySize(arr)) > 1000)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "batches",
		                   "batches: must be an array of at most 1000 batches");
	list = lms_arena_alloc(r->arena, (nb + 1) * sizeof(*list));
	cJSON_ArrayForEach(b, arr) {
		const cJSON *seq = cJSON_GetObjectItemCaseSensitive(b, "seq");
		const cJSON *ch = cJSON_GetObjectItemCaseSensitive(b, "changes"), *c;
		lms_rt_change *changes;
		size_t nc, j = 0;

		if (!cJSON_IsObject(b) || !cJSON_IsNumber(seq) || seq->valuedouble != floor(seq->valuedouble) ||
		    seq->valuedouble < 1 || seq->valuedouble > 1e9 || !cJSON_IsArray(ch))
			return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "batches",
			                   "batches: each batch is {\"seq\": whole number from 1, \"changes\": [...]}");
		nc = (size_t)cJSON_GetArraySize(ch);
		changes = lms_arena_alloc(r->arena, (nc + 1) * sizeof(*changes));
		cJSON_ArrayForEach(c, ch) {
			const cJSON *el = cJSON_GetArrayItem(c, 0), *val = cJSON_GetArrayItem(c, 1);
			if (!cJSON_IsArray(c) || cJSON_GetArraySize(c) != 2 || !cJSON_IsString(el) ||
			    !cJSON_IsString(val))
				return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "batches",
				                   "batches: each change is [element, value], two strings");
			changes[j].element = el->valuestring;
			changes[j].value = val->valuestring;
			j++;
		}
		list[k].seq = (int)seq->valuedouble;
		list[k].changes = changes;
		list[k].n = j;
		k++;
	}
	*out = list;
	*n = k;
	return LMS_OK;
}

int h_rt_commit(srv_req *r)
{
	unsigned char hash[32];
	cJSON *body = NULL, *o, *arr;
	const cJSON *finish;
	lms_commit_batch *batches = NULL;
	lms_commit_out out;
	size_t nb = 0, i;
	int status, rc;

	if ((status = read_launch(r, &body, hash)) != 0)
		return status;
	finish = cJSON_GetObjectItemCaseSensitive(body, "finish");
	if (finish && !cJSON_IsBool(finish)) {
		cJSON_Delete(body);
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "finish", "finish: true or false");
		return fail(r);
	}
	if (read_batches(r, cJSON_GetObjectItemCaseSensitive(body, "batches"), &batches, &nb) < 0) {
		cJSON_Delete(body);
		return fail(r);
	}
	rc = lms_player_commit(r->store, r->app->clock, hash, batches, nb, cJSON_IsTrue(finish),
	                       r->arena, &out, &r->err);
	if (rc < 0) {
		cJSON_Delete(body);
		if (strcmp(r->err.code, "seq_gap") == 0) {
			cJSON *p = srv_problem_new(r, 409, "seq_gap", r->err.msg, "batches");
			cJSON_AddNumberToObject(p, "expected", out.expected);
			return srv_reply_problem_json(r, 409, p, cors_headers(r));
		}
		return fail(r);
	}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "acked", out.acked);
	arr = cJSON_AddArrayToObject(o, "refused");
	for (i = 0; i < out.n_refused; i++) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddNumberToObject(f, "seq", out.refused[i].seq);
		cJSON_AddNumberToObject(f, "index", out.refused[i].index);
		cJSON_AddStringToObject(f, "element", out.refused[i].element);
		cJSON_AddNumberToObject(f, "error", out.refused[i].error);
		cJSON_AddItemToArray(arr, f);
	}
	cJSON_AddBoolToObject(o, "finished", out.finished);
	cJSON_AddBoolToObject(o, "duplicate", out.duplicate);
	if (out.nav_request)
		cJSON_AddStringToObject(o, "nav", out.nav_request);
	else
		cJSON_AddNullToObject(o, "nav");
	cJSON_Delete(body); /* the batches' strings lived in it */
	return srv_reply_json(r, 200, o, cors_headers(r));
}

static bool get_ms(const cJSON *body, const char *name, int64_t *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, name);

	if (!m) {
		*out = 0;
		return true;
	}
	if (!cJSON_IsNumber(m) || m->valuedouble < 0 || m->valuedouble > 1e12 ||
	    m->valuedouble != floor(m->valuedouble))
		return false;
	*out = (int64_t)m->valuedouble;
	return true;
}

int h_rt_beat(srv_req *r)
{
	unsigned char hash[32];
	cJSON *body = NULL, *o;
	const cJSON *visible, *closing;
	lms_tot_beat_in in;
	int64_t active_us = 0;
	int status;

	if ((status = read_launch(r, &body, hash)) != 0)
		return status;
	memset(&in, 0, sizeof(in));
	visible = cJSON_GetObjectItemCaseSensitive(body, "visible");
	closing = cJSON_GetObjectItemCaseSensitive(body, "closing");
	if (!cJSON_IsBool(visible) || (closing && !cJSON_IsBool(closing)) ||
	    !get_ms(body, "idle_ms", &in.idle_ms) || !get_ms(body, "hidden_ms", &in.hidden_ms)) {
		cJSON_Delete(body);
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", NULL,
		            "a heartbeat is {\"t\", \"visible\": bool, \"idle_ms\": ms, \"hidden_ms\": ms, "
		            "\"closing\": bool}");
		return fail(r);
	}
	in.visible = cJSON_IsTrue(visible);
	in.closing = cJSON_IsTrue(closing);
	cJSON_Delete(body);
	if (lms_player_beat(r->store, r->app->clock, &r->app->tot, hash, &in, &active_us, &r->err) < 0)
		return fail(r);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "active_s", (double)(active_us / LMS_SECOND_US));
	return srv_reply_json(r, 200, o, cors_headers(r));
}
