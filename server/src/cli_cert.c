/* cli_cert.c — `parlearn certificate issue|revoke|key`: issuing the certificates still
 * missing (as `serve` does every minute), revoking one with its reason (the personnel system
 * gets a certificate_revoked event), and the signing keys: list, rotate, retire
 * (docs/certificates.md). */
#include "cli.h"

#include "lms/certs.h"
#include "lms/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cert_issue(int argc, char **argv)
{
	const char *issuer = NULL, *public_url = NULL;
	const srv_opt own[] = {
		{ "issuer", "PARLEARN_CERT_ISSUER", &issuer, NULL, NULL,
		  "code of the issuing unit (default: the root of the unit tree)" },
		{ "public-url", "PARLEARN_PUBLIC_URL", &public_url, NULL, "", "parlearn's public address" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	cli_ctx c;
	int rc, issued = 0;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn certificate issue [--issuer UNIT]",
	                    "Issues the certificates still missing for completions that were not "
	                    "failed (serve does this every minute).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = lms_certs_issue_pending(c.store, 0, 100000, issuer, public_url,
	                                  lms_now(lms_clock_system()), &issued, &c.err)) == 0)
		printf("%d certificate(s) issued\n", issued);
	return cli_end(&c, rc);
}

static int cert_revoke(int argc, char **argv)
{
	const char *serial = NULL, *reason = NULL, *public_url = NULL;
	const srv_opt own[] = {
		{ "serial", NULL, &serial, NULL, NULL, "the certificate's serial, PAR-YYYY-NNNNNN" },
		{ "reason", NULL, &reason, NULL, NULL, "why (shown on its verification page)" },
		{ "public-url", "PARLEARN_PUBLIC_URL", &public_url, NULL, "", "parlearn's public address" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char by[64];
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn certificate revoke --serial S --reason TEXT",
	                    "Revokes a certificate (once; it is kept, marked revoked) and tells the "
	                    "personnel system.")) != 0)
		return rc == 1 ? 0 : rc;
	snprintf(by, sizeof(by), "cli:uid %u", (unsigned)getuid());
	if (!serial || !reason || !*reason || strlen(reason) > 500)
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", !serial ? "serial" : "reason",
		                 "--serial and --reason (1 to 500 characters) are required");
	else if ((rc = c.store->ops->cert_revoke(c.store, serial, by, reason, public_url, &c.err)) == 0)
		printf("certificate %s revoked\n", serial);
	return cli_end(&c, rc);
}

/* `certificate key list|rotate|retire`: the signing keys of verification codes. */
static int cert_key(int argc, char **argv)
{
	const char *sub = argc > 2 ? argv[2] : "--help", *id_text = NULL;
	const srv_opt own[] = {
		{ "id", NULL, &id_text, NULL, NULL, "the key id to retire" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_cert_key_row *keys = NULL;
	size_t n = 0, i;
	unsigned id = 0;
	cli_ctx c;
	char *end;
	long v;
	int rc;

	if (strcmp(sub, "list") != 0 && strcmp(sub, "rotate") != 0 && strcmp(sub, "retire") != 0) {
		printf("usage: parlearn certificate key list|rotate|retire [--id N]  (each takes --help)\n");
		return strcmp(sub, "--help") == 0 ? 0 : 2;
	}
	if ((rc = cli_begin(&c, argc, argv, 3, own, "parlearn certificate key list|rotate|retire --id N",
	                    "Lists the keys that sign certificate verification codes, makes a new "
	                    "current key (the old ones keep verifying), or retires an old key (its "
	                    "certificates no longer verify).")) != 0)
		return rc == 1 ? 0 : rc;
	if (strcmp(sub, "list") == 0) {
		if ((rc = c.store->ops->cert_key_list(c.store, c.arena, &keys, &n, &c.err)) < 0)
			goto out;
		printf("id\tmade (UTC)\tstate\tcertificates\n");
		for (i = 0; i < n; i++) {
			bool current = !keys[i].retired;
			size_t j;
			for (j = i + 1; j < n && current; j++)
				current = keys[j].retired;
			printf("%u\t%s\t%s\t%lld\n", keys[i].id, keys[i].created_at,
			       keys[i].retired ? "retired" : current ? "current" : "verifies only",
			       (long long)keys[i].certificates);
		}
		if (n == 0)
			printf("(none yet: key 1 is made when the first certificate is issued)\n");
	} else if (strcmp(sub, "rotate") == 0) {
		if ((rc = lms_certs_rotate(c.store, &id, &c.err)) == 0)
			printf("certificate key %u made; it signs new certificates from now on\n", id);
	} else {
		v = id_text ? strtol(id_text, &end, 10) : 0;
		if (!id_text || *end || v < 1 || v > 1023)
			rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "id", "--id: a key id from 1 to 1023");
		else if ((rc = lms_certs_retire(c.store, (unsigned)v, &c.err)) == 0)
			printf("certificate key %ld retired: certificates it signed no longer verify\n", v);
	}
out:
	return cli_end(&c, rc);
}

int cmd_certificate(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "issue") == 0)
		return cert_issue(argc, argv);
	if (strcmp(sub, "revoke") == 0)
		return cert_revoke(argc, argv);
	if (strcmp(sub, "key") == 0)
		return cert_key(argc, argv);
	printf("usage: parlearn certificate issue|revoke|key [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
