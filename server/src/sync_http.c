/* sync_http.c — sending one training-record event to the personnel system over HTTPS with
 * libcurl (docs/personnel-sync.md): the Standard Webhooks headers, connect and total
 * timeouts, no redirects, http(s) only, optional client certificate (mutual TLS). The
 * answer's body is read and dropped (at most 64 KiB). Also the PUT of one xAPI statement to a
 * Learning Record Store (HTTP Basic auth, the xAPI version header). */
#include "sync_http.h"

#include <curl/curl.h>

#include <stdio.h>
#include <string.h>

static size_t drop(char *p, size_t size, size_t n, void *ud)
{
	size_t *total = ud;

	(void)p;
	*total += size * n;
	return *total > 65536 ? 0 : size * n;
}

void srv_sync_http_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* One libcurl handle per thread, reset before each request: the handle keeps its connection
 * cache, so a worker delivering many events reuses one connection (and one TLS session)
 * instead of opening one per event (scripts/bench-sync saw 11,000 sockets in TIME-WAIT). */
static _Thread_local CURL *handle;

static CURL *thread_handle(void)
{
	if (handle)
		curl_easy_reset(handle);
	else
		handle = curl_easy_init();
	return handle;
}

void srv_sync_http_thread_done(void)
{
	curl_easy_cleanup(handle);
	handle = NULL;
}

/* One request: method POST or PUT of body to url with the headers h (freed here), Basic auth
 * when user is given, the target's timeouts and TLS settings. */
static int perform(const srv_sync_target *t, const char *url, const char *method,
                   struct curl_slist *h, const char *body, const char *user,
                   const char *password, int *status, char *why, size_t why_size)
{
	CURL *c = thread_handle();
	size_t got = 0;
	long code = 0;
	CURLcode rc;

	*status = 0;
	if (!c) {
		curl_slist_free_all(h);
		snprintf(why, why_size, "cannot start an HTTP client");
		return -1;
	}
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, t->timeout_ms);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_USERAGENT, "parlearn-sync/1");
	if (user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, password ? password : "");
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, drop);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
	if (t->client_cert)
		curl_easy_setopt(c, CURLOPT_SSLCERT, t->client_cert);
	if (t->client_key)
		curl_easy_setopt(c, CURLOPT_SSLKEY, t->client_key);
	if (t->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, t->ca_file);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && code > 0)) {
		snprintf(why, why_size, "%s", curl_easy_strerror(rc));
		return -1;
	}
	*status = (int)code;
	snprintf(why, why_size, "HTTP %ld", code);
	return 0;
}

int srv_sync_post(const srv_sync_target *t, const char *id, long long timestamp, const char *sig,
                  const char *body, int *status, char *why, size_t why_size)
{
	struct curl_slist *h = NULL;
	char line[256];

	snprintf(line, sizeof(line), "webhook-id: %s", id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Idempotency-Key: %s", id);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "webhook-timestamp: %lld", timestamp);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "webhook-signature: %s", sig);
	h = curl_slist_append(h, line);
	return perform(t, t->url, "POST", h, body, NULL, NULL, status, why, why_size);
}

int srv_xapi_put(const srv_sync_target *t, const char *user, const char *password,
                 const char *statement_id, const char *body, int *status, char *why,
                 size_t why_size)
{
	char url[1024];
	int n;

	*status = 0;
	n = snprintf(url, sizeof(url), "%s%sstatements?statementId=%s", t->url,
	             t->url[0] && t->url[strlen(t->url) - 1] == '/' ? "" : "/", statement_id);
	if (n < 0 || (size_t)n >= sizeof(url)) {
		snprintf(why, why_size, "the LRS address is too long");
		return -1;
	}
	return perform(t, url, "PUT", curl_slist_append(NULL, "X-Experience-API-Version: 1.0.3"),
	               body, user ? user : "", password, status, why, why_size);
}
