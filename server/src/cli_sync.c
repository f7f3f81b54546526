/* cli_sync.c — `parlearn sync run` (deliver due training-record events to the personnel
 * system) and `parlearn sync retry-dead` (an operator sends dead letters again). The URL
 * comes from --url or PARLEARN_SYNC_URL; the shared secret only from the environment
 * (PARLEARN_SYNC_SECRET) or a file (--secret-file), never from the command line, which other
 * users of the machine can read. docs/personnel-sync.md. */
#include "cli.h"
#include "sync_http.h"

#include "lms/log.h"
#include "lms/sync.h"

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

static int read_secret(const char *file, char *out, size_t size, lms_err *err)
{
	const char *env = getenv("PARLEARN_SYNC_SECRET");
	FILE *f;
	size_t n;

	if (!file) {
		if (!env || !*env)
			return lms_err_set(err, LMS_EINVAL, "usage", "secret",
			                   "set PARLEARN_SYNC_SECRET or give --secret-file");
		snprintf(out, size, "%s", env);
		return LMS_OK;
	}
	if (!(f = fopen(file, "r")))
		return lms_err_set(err, LMS_EINVAL, "usage", "secret-file", "--secret-file %s: %s", file,
		                   strerror(errno));
	n = fread(out, 1, size - 1, f);
	fclose(f);
	out[n] = '\0';
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
		out[--n] = '\0';
	return LMS_OK;
}

static int sync_run(int argc, char **argv)
{
	const char *url = NULL, *secret_file = NULL, *timeout = NULL, *cert = NULL, *key_file = NULL,
		   *ca = NULL, *backoff = NULL;
	bool once = false;
	const srv_opt own[] = {
		{ "url", "PARLEARN_SYNC_URL", &url, NULL, NULL, "the personnel system's endpoint" },
		{ "secret-file", NULL, &secret_file, NULL, NULL,
		  "file holding the shared secret (else PARLEARN_SYNC_SECRET)" },
		{ "timeout-ms", NULL, &timeout, NULL, "15000", "time allowed for one request" },
		{ "backoff-ms", "PARLEARN_SYNC_BACKOFF_MS", &backoff, NULL, "30000",
		  "wait before the first retry (doubling up to 6 hours)" },
		{ "client-cert", "PARLEARN_SYNC_CLIENT_CERT", &cert, NULL, NULL, "mutual TLS certificate" },
		{ "client-key", "PARLEARN_SYNC_CLIENT_KEY", &key_file, NULL, NULL, "its private key" },
		{ "ca-file", "PARLEARN_SYNC_CA_FILE", &ca, NULL, NULL, "CA bundle for the endpoint" },
		{ "once", NULL, NULL, &once, NULL, "deliver what is due now, then exit (default: keep going)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char secret[256];
	unsigned char key[LMS_SYNC_KEY_MAX];
	size_t key_len = 0;
	srv_sync_target t;
	long long delivered = 0, retried = 0, dead = 0;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn sync run [--url URL] [--secret-file F] [--once]",
	                    "Delivers pending training-record events to the personnel system, "
	                    "signed as Standard Webhooks (docs/personnel-sync.md).")) != 0)
		return rc == 1 ? 0 : rc;
	memset(secret, 0, sizeof(secret));
	if (!url || !*url) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "url", "set PARLEARN_SYNC_URL or give --url");
		goto done;
	}
	if ((rc = read_secret(secret_file, secret, sizeof(secret), &c.err)) < 0 ||
	    (rc = lms_sync_secret_parse(secret, key, &key_len, &c.err)) < 0)
		goto done;
	memset(&t, 0, sizeof(t));
	t.url = url;
	t.timeout_ms = strtol(timeout, NULL, 10) > 0 ? strtol(timeout, NULL, 10) : 15000;
	t.client_cert = cert;
	t.client_key = key_file;
	t.ca_file = ca;
	srv_sync_http_init();
	for (;;) {
		lms_sync_event *ev;
		size_t n, i;
		if ((rc = c.store->ops->sync_claim(c.store, now_us(), LEASE_US, BATCH, c.arena, &ev, &n,
		                                   &c.err)) < 0)
			goto done;
		if (n == 0) {
			if (once)
				break;
			sleep(5);
			continue;
		}
		for (i = 0; i < n; i++) {
			char sig[LMS_SYNC_SIG_MAX], why[256];
			long long ts = (long long)time(NULL);
			int status = 0;
			lms_sync_outcome o;
			int64_t next = 0;
			if ((rc = lms_sync_sign(key, key_len, ev[i].event_id, ts, ev[i].payload,
			                        strlen(ev[i].payload), sig, &c.err)) < 0)
				goto done;
			(void)srv_sync_post(&t, ev[i].event_id, ts, sig, ev[i].payload, &status, why,
			                    sizeof(why));
			o = lms_sync_classify(status, ev[i].attempts);
			if (o == LMS_SYNC_RETRY)
				next = now_us() + lms_sync_backoff_us(ev[i].attempts, strtoll(backoff, NULL, 10) * 1000,
				                                      (double)rand_r(&seed) / ((double)RAND_MAX + 1));
			rc = c.store->ops->sync_done(c.store, ev[i].seq,
			                             o == LMS_SYNC_DELIVERED ? "delivered"
			                             : o == LMS_SYNC_RETRY   ? "pending"
			                                                     : "dead",
			                             now_us(), next, o == LMS_SYNC_DELIVERED ? NULL : why,
			                             &c.err);
			if (rc < 0)
				goto done;
			if (o == LMS_SYNC_DELIVERED)
				delivered++;
			else if (o == LMS_SYNC_RETRY)
				retried++;
			else
				dead++;
			LMS_INFO("sync: %s %s (%s, attempt %d)", ev[i].event_id,
			         o == LMS_SYNC_DELIVERED ? "delivered" : o == LMS_SYNC_RETRY ? "to retry" : "dead",
			         why, ev[i].attempts);
		}
	}
	printf("delivered %lld, to retry %lld, dead %lld\n", delivered, retried, dead);
done:
	memset(secret, 0, sizeof(secret));
	memset(key, 0, sizeof(key));
	return cli_end(&c, rc);
}

static int sync_retry_dead(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const srv_opt own[] = {
		{ "from", NULL, &from, NULL, "0", "first event seq (0: from the first)" },
		{ "to", NULL, &to, NULL, "0", "last event seq (0: to the last)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	int64_t n = 0;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn sync retry-dead [--from SEQ] [--to SEQ]",
	                    "Makes dead-letter events pending again, to be sent by the next "
	                    "`parlearn sync run`.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = c.store->ops->sync_retry_dead(c.store, strtoll(from, NULL, 10), strtoll(to, NULL, 10),
	                                        &n, &c.err)) == 0)
		printf("%lld dead event(s) pending again\n", (long long)n);
	return cli_end(&c, rc);
}

int cmd_sync(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "run") == 0)
		return sync_run(argc, argv);
	if (strcmp(sub, "retry-dead") == 0)
		return sync_retry_dead(argc, argv);
	printf("usage: parlearn sync run|retry-dead [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
