/* cli_assign.c — `parlearn assign create|list|end|apply`: assignment rules on the command line
 * (assign.h, docs/assignments.md), city-wide (the CLI runs as the service's operator). */
#include "cli.h"

#include "lms/assign.h"
#include "lms/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const lms_scope everywhere = { true, NULL, 0 };

static void actor_of(char *buf, size_t size)
{
	snprintf(buf, size, "cli:uid %u", (unsigned)getuid());
}

static void print_counts(const lms_assign_counts *c)
{
	printf("people selected: %lld (without an account: %lld)\n", (long long)c->matched,
	       (long long)c->no_account);
	printf("enrolled: %lld, self-enrolments now assigned: %lld, enrolled already: %lld\n",
	       (long long)c->enrolled, (long long)c->converted, (long long)c->untouched);
}

static int assign_create(int argc, char **argv)
{
	const char *course = NULL, *unit = NULL, *position = NULL, *audience = NULL, *par = NULL;
	const char *due = NULL, *days = NULL, *note = NULL;
	bool dry = false;
	const srv_opt own[] = {
		{ "course", NULL, &course, NULL, NULL, "the course's code" },
		{ "unit", NULL, &unit, NULL, NULL, "the unit whose subtree is assigned" },
		{ "position", NULL, &position, NULL, NULL, "only people of this position (as written)" },
		{ "audience", NULL, &audience, NULL, NULL, "all (default), leader or staff" },
		{ "par-role", NULL, &par, NULL, NULL, "par (any PAR role), dedicated, concurrent or none" },
		{ "due", NULL, &due, NULL, NULL, "the deadline, YYYY-MM-DD" },
		{ "due-days", NULL, &days, NULL, NULL, "or: the deadline, days after each enrolment" },
		{ "note", NULL, &note, NULL, NULL, "why (for the record)" },
		{ "dry-run", NULL, NULL, &dry, NULL, "say what it would do; keep nothing" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_assign_counts counts;
	lms_assign_in in;
	char actor[64], *end;
	int64_t id = 0;
	cli_ctx c;
	long v = 0;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn assign create --course C --unit U (--due DATE | --due-days N) "
	                    "[--position P] [--audience leader|staff] [--par-role R] [--note T] "
	                    "[--dry-run]",
	                    "Assigns a course to the people of a unit's subtree, now and to those who "
	                    "join it later, with a deadline.")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&in, 0, sizeof(in));
	in.course_code = course;
	in.unit_code = unit;
	in.position = position;
	in.audience = audience;
	in.par_role = par;
	in.due_on = due;
	in.note = note;
	if (days) {
		v = strtol(days, &end, 10);
		if (!*days || *end || v < 1 || v > LMS_ASG_DUE_DAYS_MAX) {
			rc = lms_err_set(&c.err, LMS_EINVAL, "invalid_field", "due_days",
			                 "--due-days: 1 to %d days", LMS_ASG_DUE_DAYS_MAX);
			goto out;
		}
		in.due_days = (int)v;
	}
	actor_of(actor, sizeof(actor));
	if ((rc = lms_assign_create(c.store, &in, &everywhere, actor, lms_now(lms_clock_system()), dry,
	                            &id, &counts, &c.err)) < 0)
		goto out;
	if (dry)
		printf("dry run: nothing was kept\n");
	else
		printf("assignment rule %lld made\n", (long long)id);
	print_counts(&counts);
out:
	return cli_end(&c, rc);
}

static int assign_list(int argc, char **argv)
{
	const char *unit = NULL;
	bool ended = false;
	const srv_opt own[] = {
		{ "unit", NULL, &unit, NULL, NULL, "only rules within this unit's subtree" },
		{ "ended", NULL, NULL, &ended, NULL, "ended rules too" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_assign_rule *rules = NULL;
	int64_t total = 0;
	size_t n = 0, i;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn assign list [--unit U] [--ended]",
	                    "Lists assignment rules, newest first, with what each has made.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = c.store->ops->assign->list(c.store, &everywhere, unit, ended, LMS_ASG_PAGE_MAX, 0,
	                                     c.arena, &rules, &n, &total, &c.err)) < 0)
		goto out;
	printf("id\tcourse\tunit\tposition\taudience\tpar_role\tdue\tenrolments\tcompleted\t"
	       "overdue\tmade by\tended\n");
	for (i = 0; i < n; i++) {
		const lms_assign_rule *g = &rules[i];
		char due[32];
		if (g->due_on)
			snprintf(due, sizeof(due), "%s", g->due_on);
		else
			snprintf(due, sizeof(due), "+%d days", g->due_days);
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%lld\t%lld\t%s\t%s\n", (long long)g->id,
		       g->course_code, g->unit_code, g->position ? g->position : "*", g->audience,
		       g->par_role ? g->par_role : "*", due, (long long)g->enrolments,
		       (long long)g->completed, (long long)g->overdue, g->created_by,
		       g->ended_at ? g->ended_at : "-");
	}
	if ((int64_t)n < total)
		printf("(%lld more)\n", (long long)(total - (int64_t)n));
out:
	return cli_end(&c, rc);
}

static int assign_end(int argc, char **argv)
{
	const char *id_text = NULL;
	const srv_opt own[] = {
		{ "id", NULL, &id_text, NULL, NULL, "the rule's number" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char actor[64], *end;
	cli_ctx c;
	long long id = 0;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn assign end --id N",
	                    "Ends an assignment rule: nobody new gets it; its enrolments stay.")) != 0)
		return rc == 1 ? 0 : rc;
	if (id_text)
		id = strtoll(id_text, &end, 10);
	if (!id_text || !*id_text || *end || id < 1) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "id", "--id: a rule's number");
		goto out;
	}
	actor_of(actor, sizeof(actor));
	if ((rc = c.store->ops->assign->end(c.store, id, &everywhere, actor,
	                                    lms_now(lms_clock_system()), &c.err)) == 0)
		printf("assignment rule %lld ended\n", id);
out:
	return cli_end(&c, rc);
}

static int assign_apply(int argc, char **argv)
{
	const srv_opt own[] = { { NULL, NULL, NULL, NULL, NULL, NULL } };
	lms_assign_counts counts;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn assign apply",
	                    "Applies every rule in force now (serve does it every 5 minutes).")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = c.store->ops->assign->apply(c.store, lms_now(lms_clock_system()), &counts,
	                                      &c.err)) == 0)
		printf("enrolled: %lld, self-enrolments now assigned: %lld\n",
		       (long long)counts.enrolled, (long long)counts.converted);
	return cli_end(&c, rc);
}

int cmd_assign(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "create") == 0)
		return assign_create(argc, argv);
	if (strcmp(sub, "list") == 0)
		return assign_list(argc, argv);
	if (strcmp(sub, "end") == 0)
		return assign_end(argc, argv);
	if (strcmp(sub, "apply") == 0)
		return assign_apply(argc, argv);
	printf("usage: parlearn assign create|list|end|apply [options]  (each takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
