/* cli_person.c — `parlearn person create`: one person of the roster. The personal
 * identification number is read from standard input, never from the command line (which
 * other users of the machine can read in /proc). */
#include "cli.h"

#include "lms/validate.h"

#include <stdio.h>
#include <string.h>

static int person_create(int argc, char **argv)
{
	const char *code = NULL, *name = NULL, *unit = NULL, *position = NULL, *par = NULL,
		   *since = NULL;
	bool leader = false;
	const srv_opt own[] = {
		{ "employee-code", NULL, &code, NULL, NULL, "the person's employee code" },
		{ "name", NULL, &name, NULL, NULL, "full name" },
		{ "unit", NULL, &unit, NULL, NULL, "code of the unit the person belongs to" },
		{ "position", NULL, &position, NULL, "", "position (chức vụ / chức danh)" },
		{ "leader", NULL, NULL, &leader, NULL, "the person is a leader (lãnh đạo)" },
		{ "par-role", NULL, &par, NULL, "none", "PAR role: dedicated, concurrent or none" },
		{ "since", NULL, &since, NULL, NULL, "date the unit and position began (default today)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_person_input in;
	char pin[32];
	cli_ctx c;
	int64_t id;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn person create --employee-code CODE --name NAME --unit CODE "
	                    "[--position P] [--leader] [--par-role R] [--since DATE] < pin",
	                    "Creates a person. The 12-digit personal identification number is read "
	                    "from standard input.")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&in, 0, sizeof(in));
	if ((rc = lms_check_code("employee-code", code, &c.err)) < 0 ||
	    (rc = lms_check_text("name", name, 200, &c.err)) < 0 ||
	    (rc = lms_check_code("unit", unit, &c.err)) < 0 ||
	    (*position && (rc = lms_check_text("position", position, 200, &c.err)) < 0) ||
	    (since && (rc = lms_check_date("since", since, &c.err)) < 0))
		goto done;
	if (lms_par_role_parse(par, &in.par_role) < 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "par-role",
		                 "--par-role must be dedicated, concurrent or none");
		goto done;
	}
	if ((rc = cli_read_secret("identification number", pin, sizeof(pin), &c.err)) < 0 ||
	    (rc = lms_check_pin("identification number", pin, &c.err)) < 0)
		goto done;
	in.employee_code = code;
	in.pin = pin;
	in.full_name = name;
	in.unit_code = unit;
	in.position = position;
	in.is_leader = leader;
	in.since = since;
	rc = c.store->ops->person_create(c.store, &in, &id, &c.err);
	memset(pin, 0, sizeof(pin));
	if (rc < 0)
		goto done;
	printf("person %s created\n", code);
done:
	return cli_end(&c, rc);
}

int cmd_person(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "create") == 0)
		return person_create(argc, argv);
	printf("usage: parlearn person create [options]  (takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
