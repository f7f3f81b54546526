/* cli_sync.c — `parlearn sync run` (deliver due training-record events to the personnel
 * system; `parlearn serve` does the same in a thread when PARLEARN_SYNC_URL is set) and
 * `parlearn sync retry-dead` (an operator sends dead letters again). The shared secret comes
 * only from the environment (PARLEARN_SYNC_SECRET) or a file (--secret-file), never from
 * the command line, which other users of the machine can read. docs/personnel-sync.md. */
#include "cli.h"
#include "sync_worker.h"
#include "client_cert.h"
#include "xapi_worker.h"

#include "lms/auth.h"
#include "lms/log.h"
#include "lms/sync.h"
#include "lms/validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int sync_run(int argc, char **argv)
{
	const char *url = NULL, *secret_file = NULL;
	bool once = false;
	const srv_opt own[] = {
		{ "url", NULL, &url, NULL, NULL, "the personnel system's endpoint (else PARLEARN_SYNC_URL)" },
		{ "secret-file", NULL, &secret_file, NULL, NULL,
		  "file holding the shared secret (else PARLEARN_SYNC_SECRET)" },
		{ "once", NULL, NULL, &once, NULL, "deliver what is due now, then exit (default: keep going)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	srv_sync_config cfg;
	srv_sync_counts counts = { 0, 0, 0 };
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn sync run [--url URL] [--secret-file F] [--once]",
	                    "Delivers pending training-record events to the personnel system, "
	                    "signed as Standard Webhooks (docs/personnel-sync.md). Settings from the "
	                    "environment: PARLEARN_SYNC_URL, PARLEARN_SYNC_SECRET, "
	                    "PARLEARN_SYNC_TIMEOUT_MS (15000), PARLEARN_SYNC_BACKOFF_MS (30000), "
	                    "PARLEARN_SYNC_ALERT_DAYS (2 working days), PARLEARN_SYNC_CLIENT_CERT / _KEY / "
	                    "PARLEARN_SYNC_CA_FILE (mutual TLS).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = srv_sync_config_load(&cfg, url, secret_file, &c.err)) < 0) {
		if (rc == LMS_ENOTFOUND)
			rc = LMS_EINVAL;
		goto done;
	}
	srv_sync_http_init();
	for (;;) {
		if ((rc = srv_sync_pass(c.store, &cfg, NULL, &counts, &c.err)) < 0 || once)
			break;
		srv_sync_check_age(c.store, &cfg);
		usleep((useconds_t)srv_sync_poll_ms() * 1000);
	}
	srv_sync_http_thread_done();
	if (rc == 0)
		printf("delivered %lld, to retry %lld, dead %lld\n", counts.delivered, counts.retried,
		       counts.dead);
done:
	memset(&cfg, 0, sizeof(cfg));
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

/* "YYYY-MM-DD" at 00:00 Ho Chi Minh City time (UTC+7, no daylight saving), in µs. */
static int day_us(const char *d, int64_t *out, lms_err *err, const char *field)
{
	struct tm tm;

	if (lms_check_date(field, d, err) < 0)
		return err->rc;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)strtol(d, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(d + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(d + 8, NULL, 10);
	*out = ((int64_t)timegm(&tm) - 7 * 3600) * 1000000;
	return LMS_OK;
}

static int sync_status(int argc, char **argv)
{
	const char *unit = NULL, *from = NULL, *to = NULL;
	const srv_opt own[] = {
		{ "unit", NULL, &unit, NULL, NULL, "a unit code: its subtree only (default: all)" },
		{ "from", NULL, &from, NULL, "2000-01-01", "first day (YYYY-MM-DD, Ho Chi Minh City time)" },
		{ "to", NULL, &to, NULL, "2100-01-01", "the day after the last (YYYY-MM-DD)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_sync_report_row *rows;
	int64_t f_us, t_us, now = (int64_t)time(NULL) * 1000000;
	lms_sync_report_row sum;
	size_t n, i;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn sync status [--unit CODE] [--from DATE] [--to DATE]",
	                    "Reconciliation: per unit, the training records produced in the period and "
	                    "how many were delivered, are pending, dead, or unroutable (no roster "
	                    "person), with the age of the oldest pending one.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = day_us(from, &f_us, &c.err, "from")) < 0 || (rc = day_us(to, &t_us, &c.err, "to")) < 0)
		goto done;
	if (t_us <= f_us) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "to", "--to must come after --from");
		goto done;
	}
	if ((rc = c.store->ops->sync_report(c.store, unit, f_us, t_us, c.arena, &rows, &n, &c.err)) < 0)
		goto done;
	memset(&sum, 0, sizeof(sum));
	printf("%-24s %9s %9s %9s %6s %10s %s\n", "unit", "produced", "delivered", "pending", "dead",
	       "unroutable", "oldest pending");
	for (i = 0; i < n; i++) {
		const lms_sync_report_row *r = &rows[i];
		char age[32] = "-";
		if (r->oldest_pending_us)
			snprintf(age, sizeof(age), "%lld h", (long long)((now - r->oldest_pending_us) / 3600000000LL));
		printf("%-24s %9lld %9lld %9lld %6lld %10lld %s\n", r->unit_code ? r->unit_code : "(none)",
		       (long long)r->produced, (long long)r->delivered, (long long)r->pending,
		       (long long)r->dead, (long long)r->unroutable, age);
		sum.produced += r->produced;
		sum.delivered += r->delivered;
		sum.pending += r->pending;
		sum.dead += r->dead;
		sum.unroutable += r->unroutable;
	}
	printf("%-24s %9lld %9lld %9lld %6lld %10lld\n", "total", (long long)sum.produced,
	       (long long)sum.delivered, (long long)sum.pending, (long long)sum.dead,
	       (long long)sum.unroutable);
done:
	return cli_end(&c, rc);
}

static int sync_resend(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	const srv_opt own[] = {
		{ "from", NULL, &from, NULL, NULL, "first event seq" },
		{ "to", NULL, &to, NULL, NULL, "last event seq" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	int64_t n = 0, f, t;
	char *end1 = NULL, *end2 = NULL;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn sync resend --from SEQ --to SEQ",
	                    "Sends a range of events again, delivered or dead (the receiver "
	                    "deduplicates them by event id).")) != 0)
		return rc == 1 ? 0 : rc;
	f = from ? strtoll(from, &end1, 10) : 0;
	t = to ? strtoll(to, &end2, 10) : 0;
	if (!from || !to || *end1 || *end2 || f < 1 || t < f)
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "from", "--from and --to: event seqs, from <= to");
	else if ((rc = c.store->ops->sync_resend(c.store, f, t, &n, &c.err)) == 0)
		printf("%lld event(s) to send again\n", (long long)n);
	return cli_end(&c, rc);
}

/* Reads a PEM file (at most 64 KiB) and gives its certificate's SHA-256. */
static int cert_file_hash(const char *path, unsigned char hash[32], lms_err *err)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "client-cert", "cannot open %s: %s",
		                   path, strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return srv_cert_pem_sha256(buf, n, hash, err);
}

static int apikey_create(int argc, char **argv)
{
	const char *name = NULL, *scope = NULL, *cert = NULL;
	const srv_opt own[] = {
		{ "name", NULL, &name, NULL, NULL, "a name for the key (letters, digits, . _ -)" },
		{ "scope", NULL, &scope, NULL, NULL, "unit code whose subtree the key reaches (default: all)" },
		{ "client-cert", NULL, &cert, NULL, NULL,
		  "register this client certificate (PEM) instead of making a key" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char token[48], key[64];
	unsigned char hash[32];
	cli_ctx c;
	int rc, i;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn apikey create --name NAME [--scope UNIT] [--client-cert FILE]",
	                    "Creates an API key for the personnel system's pull API and prints it "
	                    "once: only its hash is kept. With --client-cert, registers that "
	                    "certificate instead (mutual TLS through nginx's hr-api server) and "
	                    "prints its SHA-256 fingerprint.")) != 0)
		return rc == 1 ? 0 : rc;
	if (!name || !*name) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "name", "--name is required");
		goto done;
	}
	if (cert) {
		if ((rc = cert_file_hash(cert, hash, &c.err)) < 0 ||
		    (rc = c.store->ops->apikey_create(c.store, name, scope, hash, &c.err)) < 0)
			goto done;
		printf("client certificate registered as %s, SHA-256 ", name);
		for (i = 0; i < 32; i++)
			printf("%02X%s", hash[i], i < 31 ? ":" : "\n");
		goto done;
	}
	if (lms_random_token(32, token, sizeof(token)) < 0) {
		rc = lms_err_set(&c.err, LMS_EINTERNAL, NULL, NULL, "no random bytes");
		goto done;
	}
	snprintf(key, sizeof(key), "plk_%s", token);
	lms_token_hash(key, hash);
	if ((rc = c.store->ops->apikey_create(c.store, name, scope, hash, &c.err)) == 0)
		printf("%s\n", key);
	memset(key, 0, sizeof(key));
	memset(token, 0, sizeof(token));
done:
	return cli_end(&c, rc);
}

static int apikey_revoke(int argc, char **argv)
{
	const char *name = NULL;
	const srv_opt own[] = {
		{ "name", NULL, &name, NULL, NULL, "the key's name" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn apikey revoke --name NAME",
	                    "Revokes an API key at once (it is kept, marked revoked).")) != 0)
		return rc == 1 ? 0 : rc;
	if (!name || !*name)
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "name", "--name is required");
	else if ((rc = c.store->ops->apikey_revoke(c.store, name, &c.err)) == 0)
		printf("key %s revoked\n", name);
	return cli_end(&c, rc);
}

int cmd_apikey(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "create") == 0)
		return apikey_create(argc, argv);
	if (strcmp(sub, "revoke") == 0)
		return apikey_revoke(argc, argv);
	printf("usage: parlearn apikey create|revoke [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}

static int sync_xapi(int argc, char **argv)
{
	const char *public_url = NULL;
	bool once = false;
	const srv_opt own[] = {
		{ "public-url", "PARLEARN_PUBLIC_URL", &public_url, NULL, NULL,
		  "parlearn's public address, for the statements' activity ids" },
		{ "once", NULL, NULL, &once, NULL, "send what is due now, then exit (default: keep going)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	srv_xapi_worker_config cfg;
	srv_sync_counts counts = { 0, 0, 0 };
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn sync xapi [--public-url URL] [--once]",
	                    "Sends training records as xAPI 1.0.3 statements to a Learning Record "
	                    "Store (docs/personnel-sync.md, \"xAPI\"). Settings from the environment: "
	                    "PARLEARN_XAPI_URL (the LRS's xAPI endpoint), PARLEARN_XAPI_USER, "
	                    "PARLEARN_XAPI_PASSWORD (HTTP Basic), PARLEARN_XAPI_ACTOR_HOMEPAGE (the "
	                    "personnel system's address, for the actor's account), "
	                    "PARLEARN_SYNC_TIMEOUT_MS, PARLEARN_SYNC_BACKOFF_MS.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = srv_xapi_config_load(&cfg, public_url, &c.err)) < 0) {
		if (rc == LMS_ENOTFOUND)
			rc = LMS_EINVAL;
		goto done;
	}
	srv_sync_http_init();
	for (;;) {
		if ((rc = srv_xapi_pass(c.store, &cfg, NULL, &counts, &c.err)) < 0 || once)
			break;
		usleep((useconds_t)srv_sync_poll_ms() * 1000);
	}
	srv_sync_http_thread_done();
	if (rc == 0)
		printf("xapi: sent or skipped %lld, to retry %lld, dead %lld\n", counts.delivered,
		       counts.retried, counts.dead);
	memset(&cfg, 0, sizeof(cfg));
done:
	return cli_end(&c, rc);
}

int cmd_sync(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "run") == 0)
		return sync_run(argc, argv);
	if (strcmp(sub, "retry-dead") == 0)
		return sync_retry_dead(argc, argv);
	if (strcmp(sub, "status") == 0)
		return sync_status(argc, argv);
	if (strcmp(sub, "resend") == 0)
		return sync_resend(argc, argv);
	if (strcmp(sub, "xapi") == 0)
		return sync_xapi(argc, argv);
	printf("usage: parlearn sync run|status|resend|retry-dead|xapi [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
