/* sync_http.h — the HTTP client of the personnel sync (libcurl stays in sync_http.c). */
#ifndef SRV_SYNC_HTTP_H
#define SRV_SYNC_HTTP_H

#include <stddef.h>

typedef struct srv_sync_target {
	const char *url;           /* PARLEARN_SYNC_URL */
	long timeout_ms;           /* the whole request */
	const char *client_cert;   /* mutual TLS, or NULL */
	const char *client_key;
	const char *ca_file;       /* a CA bundle other than the system's, or NULL */
} srv_sync_target;

void srv_sync_http_init(void);

/* Frees this thread's HTTP client (its kept-alive connections); call when a thread that sent
 * events ends. */
void srv_sync_http_thread_done(void);

/* POSTs body with the webhook headers. 0 with *status the HTTP status when an answer came;
 * -1 with why filled when none did (refused, timed out, dropped). */
int srv_sync_post(const srv_sync_target *t, const char *id, long long timestamp, const char *sig,
                  const char *body, int *status, char *why, size_t why_size);

/* PUTs one xAPI statement (body) to <t->url>/statements?statementId=<id> with HTTP Basic
 * auth and X-Experience-API-Version: 1.0.3. Same answer convention as srv_sync_post. */
int srv_xapi_put(const srv_sync_target *t, const char *user, const char *password,
                 const char *statement_id, const char *body, int *status, char *why,
                 size_t why_size);

#endif
