/* cli_learn.c — `parlearn enrol` (assign a course to a learner, with a deadline) and
 * `parlearn time` (the learning sessions and heartbeats behind a learner's active time in a
 * course: every figure of the time report, explained). */
#include "cli.h"

#include "lms/player.h"
#include "lms/validate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *stamp(int64_t us, char *buf, size_t size)
{
	time_t t = (time_t)(us / LMS_SECOND_US);
	struct tm tm;

	if (!us || !gmtime_r(&t, &tm))
		return "-";
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static int cmd_enrol_run(int argc, char **argv)
{
	const char *username = NULL, *course = NULL, *due = NULL;
	const srv_opt own[] = {
		{ "username", NULL, &username, NULL, NULL, "the learner's account" },
		{ "course", NULL, &course, NULL, NULL, "course code" },
		{ "due", NULL, &due, NULL, NULL, "deadline, YYYY-MM-DD" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_user u;
	lms_enrolment e;
	bool created;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 1, own,
	                    "parlearn enrol --username NAME --course CODE [--due YYYY-MM-DD]",
	                    "Assigns a course to a learner (on its latest version), with an optional "
	                    "deadline. An existing enrolment becomes assigned and takes the deadline.")) != 0)
		return rc == 1 ? 0 : rc;
	if (!username || !*username) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "username", "--username is required");
		goto done;
	}
	if ((rc = lms_check_code("course", course, &c.err)) < 0 ||
	    (due && (rc = lms_check_date("due", due, &c.err)) < 0) ||
	    (rc = c.store->ops->user_by_username(c.store, username, c.arena, &u, &c.err)) < 0 ||
	    (rc = c.store->ops->enrol(c.store, u.id, course, "assigned", "cli", due,
	                              (int64_t)time(NULL) * LMS_SECOND_US, c.arena, &e, &created,
	                              &c.err)) < 0)
		goto done;
	printf("%s %s on %s version %d%s%s\n", username, created ? "enrolled" : "assigned", course,
	       e.version_no, due ? ", due " : "", due ? due : "");
done:
	return cli_end(&c, rc);
}

static int cmd_time_run(int argc, char **argv)
{
	const char *username = NULL, *course = NULL;
	const srv_opt own[] = {
		{ "username", NULL, &username, NULL, NULL, "the learner's account" },
		{ "course", NULL, &course, NULL, NULL, "course code" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_user u;
	lms_time_session *s;
	lms_time_beat *b;
	size_t n, nb, i, k = 0;
	int64_t active = 0, reported = 0;
	char t1[32], t2[32];
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 1, own, "parlearn time --username NAME --course CODE",
	                    "Prints the learning sessions behind a learner's time in a course: each "
	                    "launch with its active time (counted by the server from heartbeats), "
	                    "the time the content reported, and every heartbeat with what it was "
	                    "credited and why (docs/time-on-task.md).")) != 0)
		return rc == 1 ? 0 : rc;
	if (!username || !*username) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", "username", "--username is required");
		goto done;
	}
	if ((rc = lms_check_code("course", course, &c.err)) < 0 ||
	    (rc = c.store->ops->user_by_username(c.store, username, c.arena, &u, &c.err)) < 0 ||
	    (rc = c.store->ops->time_sessions(c.store, u.id, course, c.arena, &s, &n, &b, &nb,
	                                      &c.err)) < 0)
		goto done;
	printf("learner %s, course %s: %zu session(s)\n", username, course, n);
	for (i = 0; i < n; i++) {
		int64_t end = s[i].closed_us ? s[i].closed_us : s[i].last_seen_us;
		printf("\nsession %lld  %s (attempt %d)\n  opened %s  closed %s (%s)\n"
		       "  wall %llds  active %llds  reported by the content %s%llds%s\n",
		       (long long)s[i].id, s[i].item_identifier, s[i].attempt_no,
		       stamp(s[i].opened_us, t1, sizeof(t1)), stamp(s[i].closed_us, t2, sizeof(t2)),
		       s[i].closed_reason ? s[i].closed_reason : "open",
		       (long long)((end - s[i].opened_us) / LMS_SECOND_US),
		       (long long)(s[i].active_us / LMS_SECOND_US), s[i].reported_cs < 0 ? "(none) " : "",
		       (long long)(s[i].reported_cs < 0 ? 0 : s[i].reported_cs / 100),
		       s[i].flagged ? "  FLAGGED: far from the active time" : "");
		for (; k < nb && b[k].launch_id == s[i].id; k++)
			printf("  beat %3d  %s  %s idle %6lldms hidden %6lldms  +%7.1fs  %s\n", b[k].n,
			       stamp(b[k].at_us, t1, sizeof(t1)), b[k].visible ? "visible" : "hidden ",
			       (long long)b[k].idle_ms, (long long)b[k].hidden_ms,
			       (double)b[k].credited_us / 1e6, b[k].reason);
		active += s[i].active_us;
		if (s[i].reported_cs > 0)
			reported += s[i].reported_cs;
	}
	printf("\ntotal: active %llds (server), reported %llds (content)\n",
	       (long long)(active / LMS_SECOND_US), (long long)(reported / 100));
done:
	return cli_end(&c, rc);
}

int cmd_enrol(int argc, char **argv)
{
	return cmd_enrol_run(argc, argv);
}

int cmd_time(int argc, char **argv)
{
	return cmd_time_run(argc, argv);
}
