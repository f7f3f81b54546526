/* cli_unit.c — `parlearn unit create|succeed|list`: the unit tree from the command line. */
#include "cli.h"

#include "lms/auth.h"
#include "lms/validate.h"

#include <stdio.h>
#include <string.h>

static int unit_create(int argc, char **argv)
{
	const char *code = NULL, *name = NULL, *kind = NULL, *parent = NULL, *from = NULL,
		   *to = NULL;
	const srv_opt own[] = {
		{ "code", NULL, &code, NULL, NULL, "stable code of the unit (A-Z a-z 0-9 . _ -)" },
		{ "name", NULL, &name, NULL, NULL, "name, e.g. \"Sở Nội vụ\"" },
		{ "kind", NULL, &kind, NULL, NULL,
		  "city, department, office, district, ward, commune, special_zone or other" },
		{ "parent", NULL, &parent, NULL, NULL, "code of the parent unit" },
		{ "valid-from", NULL, &from, NULL, NULL, "first day the unit exists (YYYY-MM-DD)" },
		{ "valid-to", NULL, &to, NULL, NULL, "last day the unit exists (YYYY-MM-DD)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_unit_input in;
	cli_ctx c;
	int64_t id;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn unit create --code CODE --name NAME --kind KIND [--parent CODE] "
	                    "[--valid-from DATE] [--valid-to DATE]",
	                    "Creates an organisational unit.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = lms_check_code("code", code, &c.err)) < 0 ||
	    (rc = lms_check_text("name", name, 200, &c.err)) < 0)
		goto done;
	if (!lms_unit_kind_valid(kind)) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "kind",
		                 "--kind must be city, department, office, district, ward, commune, "
		                 "special_zone or other");
		goto done;
	}
	if ((parent && (rc = lms_check_code("parent", parent, &c.err)) < 0) ||
	    (from && (rc = lms_check_date("valid-from", from, &c.err)) < 0) ||
	    (to && (rc = lms_check_date("valid-to", to, &c.err)) < 0))
		goto done;
	if (from && to && strcmp(to, from) < 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "valid-to",
		                 "--valid-to is before --valid-from");
		goto done;
	}
	in = (lms_unit_input){ code, name, kind, parent, from, to };
	if ((rc = c.store->ops->unit_create(c.store, &in, &id, &c.err)) < 0)
		goto done;
	printf("unit %s created\n", code);
done:
	return cli_end(&c, rc);
}

static int unit_succeed(int argc, char **argv)
{
	const char *code = NULL, *succ = NULL;
	const srv_opt own[] = {
		{ "code", NULL, &code, NULL, NULL, "the unit that was dissolved or merged" },
		{ "successor", NULL, &succ, NULL, NULL, "a unit that took over (repeat the command for several)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn unit succeed --code OLD --successor NEW",
	                    "Records that unit NEW took over (part of) unit OLD.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = lms_check_code("code", code, &c.err)) < 0 ||
	    (rc = lms_check_code("successor", succ, &c.err)) < 0)
		goto done;
	if ((rc = c.store->ops->unit_add_successor(c.store, code, succ, &c.err)) < 0)
		goto done;
	printf("unit %s is succeeded by %s\n", code, succ);
done:
	return cli_end(&c, rc);
}

static int unit_list(int argc, char **argv)
{
	const srv_opt own[] = { { NULL, NULL, NULL, NULL, NULL, NULL } };
	lms_scope all = { true, NULL, 0 };
	lms_unit *units;
	size_t n, i, k;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn unit list",
	                    "Lists every unit in Vietnamese order: code, kind, parent, validity, "
	                    "successors, name.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = c.store->ops->unit_list(c.store, &all, c.arena, &units, &n, &c.err)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		printf("%s\t%s\t%s\t%s..%s\t", units[i].code, units[i].kind,
		       units[i].parent_code ? units[i].parent_code : "-", units[i].valid_from,
		       units[i].valid_to[0] ? units[i].valid_to : "");
		for (k = 0; k < units[i].n_successors; k++)
			printf("%s%s", k ? "," : "", units[i].successor_codes[k]);
		printf("\t%s\n", units[i].name);
	}
done:
	return cli_end(&c, rc);
}

int cmd_unit(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "create") == 0)
		return unit_create(argc, argv);
	if (strcmp(sub, "succeed") == 0)
		return unit_succeed(argc, argv);
	if (strcmp(sub, "list") == 0)
		return unit_list(argc, argv);
	printf("usage: parlearn unit create|succeed|list [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
