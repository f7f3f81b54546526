/* sync_worker.h — delivering due outbox events (one pass), shared by `parlearn sync run` and
 * the worker thread of `parlearn serve` (docs/personnel-sync.md). */
#ifndef SRV_SYNC_WORKER_H
#define SRV_SYNC_WORKER_H

#include "sync_http.h"

#include "lms/error.h"
#include "lms/store.h"
#include "lms/sync.h"

#include <stdatomic.h>
#include <stdint.h>

typedef struct srv_sync_config {
	srv_sync_target target;
	unsigned char key[LMS_SYNC_KEY_MAX];
	size_t key_len;
	int64_t backoff_us;        /* first retry wait, 0: the default 30 s */
	int alert_days;            /* warn about events undelivered for longer than this many
	                              working days (PARLEARN_SYNC_ALERT_DAYS, default 2) */
} srv_sync_config;

typedef struct srv_sync_counts {
	long long delivered, retried, dead;
} srv_sync_counts;

/* Reads the configuration: url (or PARLEARN_SYNC_URL), the secret from secret_file or else
 * PARLEARN_SYNC_SECRET, and the PARLEARN_SYNC_* settings. LMS_ENOTFOUND when no URL is set
 * (sync is off); LMS_EINVAL for a bad secret. */
int srv_sync_config_load(srv_sync_config *c, const char *url, const char *secret_file,
                         lms_err *err);

/* Claims and sends what is due now, until nothing due is left or *stop becomes true. */
int srv_sync_pass(lms_store *s, const srv_sync_config *c, const _Atomic int *stop,
                  srv_sync_counts *counts, lms_err *err);

/* How long a worker waits between passes: PARLEARN_SYNC_POLL_MS (100 to 60000), default 1000. */
long srv_sync_poll_ms(void);

/* Logs a warning when the oldest undelivered routable event is older than the alert age
 * (working days, Monday to Friday in Ho Chi Minh City: lms/working_days.h). */
void srv_sync_check_age(lms_store *s, const srv_sync_config *c);

#endif
