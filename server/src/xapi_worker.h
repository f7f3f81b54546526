/* xapi_worker.h — delivering the outbox's events as xAPI statements to a Learning Record
 * Store (docs/personnel-sync.md, "xAPI"): one pass, shared by `parlearn sync xapi` and the
 * worker thread of `parlearn serve` when PARLEARN_XAPI_URL is set. */
#ifndef SRV_XAPI_WORKER_H
#define SRV_XAPI_WORKER_H

#include "sync_http.h"
#include "sync_worker.h"

#include "lms/store.h"
#include "lms/xapi.h"

#include <stdatomic.h>

typedef struct srv_xapi_worker_config {
	srv_sync_target target;    /* url: the LRS's xAPI endpoint (PARLEARN_XAPI_URL) */
	char user[128], password[256];
	char home_page[512];       /* PARLEARN_XAPI_ACTOR_HOMEPAGE: the personnel system's URL */
	char public_url[512];      /* parlearn's PUBLIC_URL, for the activity ids */
	int64_t backoff_us;
} srv_xapi_worker_config;

/* Reads PARLEARN_XAPI_URL, PARLEARN_XAPI_USER, PARLEARN_XAPI_PASSWORD,
 * PARLEARN_XAPI_ACTOR_HOMEPAGE (and PARLEARN_SYNC_TIMEOUT_MS, PARLEARN_SYNC_BACKOFF_MS,
 * the client certificate settings); public_url (or PARLEARN_PUBLIC_URL) names parlearn.
 * LMS_ENOTFOUND when PARLEARN_XAPI_URL is not set; LMS_EINVAL naming what is missing. */
int srv_xapi_config_load(srv_xapi_worker_config *c, const char *public_url, lms_err *err);

/* Claims and sends the statements due now, until none is left or *stop becomes true. */
int srv_xapi_pass(lms_store *s, const srv_xapi_worker_config *c, const _Atomic int *stop,
                  srv_sync_counts *counts, lms_err *err);

#endif
