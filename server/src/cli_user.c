/* cli_user.c — `parlearn user create|add-role|passwd`: accounts from the command line.
 * Passwords come from standard input only (--password-stdin), never from argv. */
#include "cli.h"

#include "lms/auth.h"
#include "lms/validate.h"
#include "store_pg.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int check_role_scope(cli_ctx *c, const char *role, const char *scope,
                            lms_role_kind *kind)
{
	if (lms_role_parse(role, kind) < 0)
		return lms_err_set(&c->err, LMS_EINVAL, "invalid_field", "role",
		                   "--role must be learner, trainer, hr_officer or admin");
	if ((*kind == LMS_ROLE_TRAINER || *kind == LMS_ROLE_HR_OFFICER) && !scope)
		return lms_err_set(&c->err, LMS_EINVAL, "invalid_field", "scope",
		                   "a %s needs --scope UNIT: the root of the units they reach", role);
	if ((*kind == LMS_ROLE_LEARNER || *kind == LMS_ROLE_ADMIN) && scope)
		return lms_err_set(&c->err, LMS_EINVAL, "invalid_field", "scope",
		                   "a %s has no --scope (an admin reaches every unit)", role);
	if (scope)
		return lms_check_code("scope", scope, &c->err);
	return LMS_OK;
}

static void lower(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i < size - 1; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static int read_new_password(cli_ctx *c, bool from_stdin, char *pw, size_t size)
{
	int rc;

	if (!from_stdin)
		return lms_err_set(&c->err, LMS_EINVAL, "usage", NULL,
		                   "give the password on standard input with --password-stdin");
	if ((rc = cli_read_secret("password", pw, size, &c->err)) < 0)
		return rc;
	return lms_check_password("password", pw, LMS_PASSWORD_MIN_CHARS, &c->err);
}

static int user_create(int argc, char **argv)
{
	const char *username = NULL, *role = NULL, *scope = NULL, *name = NULL, *person = NULL;
	bool pw_stdin = false;
	const srv_opt own[] = {
		{ "username", NULL, &username, NULL, NULL, "login name (a-z 0-9 . _ - @)" },
		{ "role", NULL, &role, NULL, NULL, "learner, trainer, hr_officer or admin" },
		{ "scope", NULL, &scope, NULL, NULL, "unit code whose subtree a trainer or HR officer reaches" },
		{ "name", NULL, &name, NULL, NULL, "display name (default: the username)" },
		{ "person", NULL, &person, NULL, NULL, "employee code of the person this account is" },
		{ "password-stdin", NULL, NULL, &pw_stdin, NULL, "read the password from standard input" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char uname[72], pw[1100], hash[LMS_PASSWORD_HASH_MAX];
	lms_auth_policy pol;
	lms_role_kind kind;
	lms_user_input in;
	cli_ctx c;
	int64_t id;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn user create --username U --role R [--scope UNIT] [--name N] "
	                    "[--person CODE] --password-stdin",
	                    "Creates an account with one role; the password (at least 10 "
	                    "characters) is read from standard input.")) != 0)
		return rc == 1 ? 0 : rc;
	lower(uname, sizeof(uname), username);
	if ((rc = lms_check_username("username", uname, &c.err)) < 0 ||
	    (rc = check_role_scope(&c, role, scope, &kind)) < 0 ||
	    (name && (rc = lms_check_text("name", name, 200, &c.err)) < 0) ||
	    (person && (rc = lms_check_code("person", person, &c.err)) < 0) ||
	    (rc = read_new_password(&c, pw_stdin, pw, sizeof(pw))) < 0)
		goto done;
	lms_auth_policy_default(&pol);
	rc = lms_password_hash(&pol, pw, hash, sizeof(hash), &c.err);
	memset(pw, 0, sizeof(pw));
	if (rc < 0)
		goto done;
	in = (lms_user_input){ uname, name ? name : uname, hash, person };
	if ((rc = store_pg_begin(c.store, &c.err)) < 0)
		goto done;
	if ((rc = c.store->ops->user_create(c.store, &in, &id, &c.err)) < 0 ||
	    (rc = c.store->ops->user_add_role(c.store, id, kind, scope, &c.err)) < 0 ||
	    (rc = store_pg_commit(c.store, &c.err)) < 0) {
		store_pg_rollback(c.store);
		goto done;
	}
	printf("user %s created (%s%s%s)\n", uname, role, scope ? " of " : "", scope ? scope : "");
done:
	return cli_end(&c, rc);
}

static int find_user(cli_ctx *c, const char *username, lms_user *u)
{
	char uname[72];
	int rc;

	lower(uname, sizeof(uname), username);
	if ((rc = lms_check_username("username", uname, &c->err)) < 0)
		return rc;
	rc = c->store->ops->user_by_username(c->store, uname, c->arena, u, &c->err);
	if (rc == LMS_ENOTFOUND)
		lms_err_set(&c->err, rc, "not_found", "username", "no account named %s", uname);
	return rc;
}

static int user_add_role(int argc, char **argv)
{
	const char *username = NULL, *role = NULL, *scope = NULL;
	const srv_opt own[] = {
		{ "username", NULL, &username, NULL, NULL, "the account" },
		{ "role", NULL, &role, NULL, NULL, "learner, trainer, hr_officer or admin" },
		{ "scope", NULL, &scope, NULL, NULL, "unit code for a trainer or HR officer" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_role_kind kind;
	lms_user u;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    "parlearn user add-role --username U --role R [--scope UNIT]",
	                    "Gives an account one more role.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = check_role_scope(&c, role, scope, &kind)) < 0 ||
	    (rc = find_user(&c, username, &u)) < 0 ||
	    (rc = c.store->ops->user_add_role(c.store, u.id, kind, scope, &c.err)) < 0)
		goto done;
	printf("user %s has role %s%s%s\n", u.username, role, scope ? " of " : "", scope ? scope : "");
done:
	return cli_end(&c, rc);
}

static int user_passwd(int argc, char **argv)
{
	const char *username = NULL;
	bool pw_stdin = false;
	const srv_opt own[] = {
		{ "username", NULL, &username, NULL, NULL, "the account" },
		{ "password-stdin", NULL, NULL, &pw_stdin, NULL, "read the password from standard input" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char pw[1100], hash[LMS_PASSWORD_HASH_MAX];
	lms_auth_policy pol;
	lms_user u;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn user passwd --username U --password-stdin",
	                    "Sets a new password and ends the account's sessions.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = find_user(&c, username, &u)) < 0 ||
	    (rc = read_new_password(&c, pw_stdin, pw, sizeof(pw))) < 0)
		goto done;
	lms_auth_policy_default(&pol);
	rc = lms_password_hash(&pol, pw, hash, sizeof(hash), &c.err);
	memset(pw, 0, sizeof(pw));
	if (rc < 0 || (rc = c.store->ops->user_set_password(c.store, u.id, hash, &c.err)) < 0)
		goto done;
	printf("password of %s changed; its sessions ended\n", u.username);
done:
	return cli_end(&c, rc);
}

static int user_set_active(int argc, char **argv, bool active)
{
	const char *username = NULL;
	const srv_opt own[] = {
		{ "username", NULL, &username, NULL, NULL, "the account" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_user u;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own,
	                    active ? "parlearn user enable --username U"
	                           : "parlearn user disable --username U",
	                    active ? "Lets a disabled account log in again."
	                           : "Stops an account from logging in and ends its sessions; "
	                             "nothing of it is deleted.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = find_user(&c, username, &u)) < 0 ||
	    (rc = c.store->ops->user_set_active(c.store, u.id, active, &c.err)) < 0)
		goto done;
	printf(active ? "account %s enabled\n" : "account %s disabled; its sessions ended\n",
	       u.username);
done:
	return cli_end(&c, rc);
}

int cmd_user(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "create") == 0)
		return user_create(argc, argv);
	if (strcmp(sub, "add-role") == 0)
		return user_add_role(argc, argv);
	if (strcmp(sub, "passwd") == 0)
		return user_passwd(argc, argv);
	if (strcmp(sub, "disable") == 0)
		return user_set_active(argc, argv, false);
	if (strcmp(sub, "enable") == 0)
		return user_set_active(argc, argv, true);
	printf("usage: parlearn user create|add-role|passwd|disable|enable [options]  (each takes "
	       "--help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
