/* cli_cert.c — `parlearn certificate issue|revoke`: issuing the certificates still missing
 * (as `serve` does every minute), and revoking one with its reason (the personnel system gets
 * a certificate_revoked event) (docs/certificates.md). */
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

int cmd_certificate(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "issue") == 0)
		return cert_issue(argc, argv);
	if (strcmp(sub, "revoke") == 0)
		return cert_revoke(argc, argv);
	printf("usage: parlearn certificate issue|revoke [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
