/* support_fake_store.c — an in-memory lms_store for unit tests (see support.h).
 *
 * It keeps the semantics the core relies on from the PostgreSQL store: login_counts counts
 * failures at or after since_us (successes do not reset them), lookups copy strings into the
 * caller's arena, user_by_username alone fills password_hash, a missing row is LMS_ENOTFOUND.
 * Every call is counted per op; fake_store_fail_nth makes one call fail, whatever its op.
 * Operations the core does not use answer LMS_EUNSUPPORTED.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fake_store *fs(lms_store *s)
{
	return s->impl;
}

/* Counts the call; answers the injected fault when this is the call to fail. */
static int enter(lms_store *s, fake_op op, lms_err *err)
{
	fake_store *f = fs(s);

	f->calls[op]++;
	f->total_calls++;
	if (f->fail_at != 0 && f->total_calls == f->fail_at) {
		f->fail_at = 0;
		f->injected++;
		return lms_err_set(err, f->fail_rc, NULL, NULL, "injected fault");
	}
	return LMS_OK;
}

static int unsupported(lms_err *err)
{
	return lms_err_set(err, LMS_EUNSUPPORTED, NULL, NULL, "not in the fake store");
}

static int op_ping(lms_store *s, lms_err *err)
{
	return enter(s, FAKE_PING, err);
}

static int op_unit_create(lms_store *s, const lms_unit_input *in, int64_t *id, lms_err *err)
{
	int rc = enter(s, FAKE_UNIT_CREATE, err);
	(void)in, (void)id;
	return rc < 0 ? rc : unsupported(err);
}

static int op_unit_add_successor(lms_store *s, const char *code, const char *successor,
                                 lms_err *err)
{
	int rc = enter(s, FAKE_UNIT_ADD_SUCCESSOR, err);
	(void)code, (void)successor;
	return rc < 0 ? rc : unsupported(err);
}

static int op_unit_find(lms_store *s, const char *code, lms_arena *a, lms_unit *out,
                        lms_err *err)
{
	int rc = enter(s, FAKE_UNIT_FIND, err);
	(void)code, (void)a, (void)out;
	return rc < 0 ? rc : unsupported(err);
}

static int op_unit_list(lms_store *s, const lms_scope *scope, lms_arena *a, lms_unit **out,
                        size_t *n, lms_err *err)
{
	int rc = enter(s, FAKE_UNIT_LIST, err);
	(void)scope, (void)a, (void)out, (void)n;
	return rc < 0 ? rc : unsupported(err);
}

static int op_unit_within(lms_store *s, int64_t unit_id, const lms_scope *scope, bool *out,
                          lms_err *err)
{
	int rc = enter(s, FAKE_UNIT_WITHIN, err);
	(void)unit_id, (void)scope, (void)out;
	return rc < 0 ? rc : unsupported(err);
}

static int op_person_create(lms_store *s, const lms_person_input *in, int64_t *id,
                            lms_err *err)
{
	int rc = enter(s, FAKE_PERSON_CREATE, err);
	(void)in, (void)id;
	return rc < 0 ? rc : unsupported(err);
}

static int op_person_list(lms_store *s, const lms_scope *scope, int64_t unit_id, int limit,
                          int offset, lms_arena *a, lms_person **out, size_t *n,
                          int64_t *total, lms_err *err)
{
	int rc = enter(s, FAKE_PERSON_LIST, err);
	(void)scope, (void)unit_id, (void)limit, (void)offset, (void)a, (void)out, (void)n,
		(void)total;
	return rc < 0 ? rc : unsupported(err);
}

static int op_user_create(lms_store *s, const lms_user_input *in, int64_t *id, lms_err *err)
{
	int rc = enter(s, FAKE_USER_CREATE, err);
	(void)in, (void)id;
	return rc < 0 ? rc : unsupported(err);
}

static int op_user_add_role(lms_store *s, int64_t user_id, lms_role_kind role,
                            const char *unit_code, lms_err *err)
{
	int rc = enter(s, FAKE_USER_ADD_ROLE, err);
	(void)user_id, (void)role, (void)unit_code;
	return rc < 0 ? rc : unsupported(err);
}

static int op_user_set_password(lms_store *s, int64_t user_id, const char *password_hash,
                                lms_err *err)
{
	int rc = enter(s, FAKE_USER_SET_PASSWORD, err);
	(void)user_id, (void)password_hash;
	return rc < 0 ? rc : unsupported(err);
}

/* Copies a fake account into out, strings in a. */
static void load_user(const fake_user *u, bool with_hash, lms_arena *a, lms_user *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->id = u->id;
	out->username = lms_arena_strdup(a, u->username);
	out->display_name = lms_arena_strdup(a, u->display_name);
	out->password_hash =
		with_hash && u->password_hash[0] ? lms_arena_strdup(a, u->password_hash) : NULL;
	out->active = u->active;
	out->n_roles = u->n_roles;
	out->roles = lms_arena_alloc(a, (u->n_roles + 1) * sizeof(lms_role));
	for (i = 0; i < u->n_roles; i++) {
		out->roles[i].kind = u->roles[i].kind;
		out->roles[i].unit_id = u->roles[i].unit_id;
		out->roles[i].unit_code = lms_arena_strdup(a, u->roles[i].unit_code);
		out->roles[i].unit_name = lms_arena_strdup(a, u->roles[i].unit_name);
	}
	out->person = NULL;
}

static int op_user_by_username(lms_store *s, const char *username, lms_arena *a,
                               lms_user *out, lms_err *err)
{
	fake_store *f = fs(s);
	size_t i;
	int rc;

	if ((rc = enter(s, FAKE_USER_BY_USERNAME, err)) < 0)
		return rc;
	for (i = 0; i < f->n_users; i++)
		if (!f->users[i].deleted && strcmp(f->users[i].username, username) == 0) {
			load_user(&f->users[i], true, a, out);
			return LMS_OK;
		}
	return lms_err_set(err, LMS_ENOTFOUND, NULL, "username", "no such account");
}

static int op_user_by_id(lms_store *s, int64_t id, lms_arena *a, lms_user *out, lms_err *err)
{
	fake_store *f = fs(s);
	size_t i;
	int rc;

	if ((rc = enter(s, FAKE_USER_BY_ID, err)) < 0)
		return rc;
	for (i = 0; i < f->n_users; i++)
		if (!f->users[i].deleted && f->users[i].id == id) {
			load_user(&f->users[i], false, a, out);
			return LMS_OK;
		}
	return lms_err_set(err, LMS_ENOTFOUND, NULL, "id", "no such account");
}

static int op_login_begin(lms_store *s, const char *username, const char *addr, int64_t at_us,
                          int64_t since_us, int64_t *attempt_id, lms_login_counts *out,
                          lms_err *err)
{
	fake_store *f = fs(s);
	fake_attempt *t;
	lms_login_counts c;
	size_t i;
	int rc;

	if ((rc = enter(s, FAKE_LOGIN_BEGIN, err)) < 0)
		return rc;
	assert_true(f->n_attempts < FAKE_MAX_ATTEMPTS);
	t = &f->attempts[f->n_attempts++];
	t->id = (int64_t)f->n_attempts;
	snprintf(t->username, sizeof(t->username), "%s", username);
	snprintf(t->addr, sizeof(t->addr), "%s", addr ? addr : "");
	t->outcome = 0;
	t->success = false;
	t->at_us = at_us;
	/* like the PostgreSQL store: failed or pending attempts since since_us, but this one */
	memset(&c, 0, sizeof(c));
	for (i = 0; i + 1 < f->n_attempts; i++) {
		const fake_attempt *o = &f->attempts[i];
		if ((o->outcome != 0 && o->outcome != LMS_LOGIN_FAILURE) || o->at_us < since_us)
			continue;
		if (strcmp(o->username, username) == 0) {
			if (c.user_failures == 0 || o->at_us < c.user_oldest_us)
				c.user_oldest_us = o->at_us;
			c.user_failures++;
		}
		if (addr && strcmp(o->addr, addr) == 0) {
			if (c.addr_failures == 0 || o->at_us < c.addr_oldest_us)
				c.addr_oldest_us = o->at_us;
			c.addr_failures++;
		}
	}
	*attempt_id = t->id;
	*out = c;
	return LMS_OK;
}

static int op_login_end(lms_store *s, int64_t attempt_id, lms_login_outcome outcome,
                        lms_err *err)
{
	fake_store *f = fs(s);
	int rc;

	if ((rc = enter(s, FAKE_LOGIN_END, err)) < 0)
		return rc;
	assert_true(attempt_id >= 1 && (size_t)attempt_id <= f->n_attempts);
	f->attempts[attempt_id - 1].outcome = (int)outcome;
	f->attempts[attempt_id - 1].success = outcome == LMS_LOGIN_SUCCESS;
	return LMS_OK;
}

static int op_session_create(lms_store *s, const unsigned char token_hash[32],
                             lms_session *sess, const char *addr, const char *user_agent,
                             lms_err *err)
{
	fake_store *f = fs(s);
	fake_session *row;
	size_t i;
	int rc;

	if ((rc = enter(s, FAKE_SESSION_CREATE, err)) < 0)
		return rc;
	for (i = 0; i < f->n_sessions; i++)
		if (f->sessions[i].live && memcmp(f->sessions[i].token_hash, token_hash, 32) == 0)
			return lms_err_set(err, LMS_ECONFLICT, NULL, NULL, "token hash taken");
	assert_true(f->n_sessions < FAKE_MAX_SESSIONS);
	row = &f->sessions[f->n_sessions++];
	row->live = true;
	memcpy(row->token_hash, token_hash, 32);
	sess->id = f->next_session_id++;
	row->sess = *sess;
	snprintf(row->addr, sizeof(row->addr), "%s", addr ? addr : "");
	snprintf(row->user_agent, sizeof(row->user_agent), "%s", user_agent ? user_agent : "");
	return LMS_OK;
}

/* Like the PostgreSQL store: the session (ended ones too) and its account in one call
 * (sessions of a deleted account are gone, as with ON DELETE CASCADE). */
static int op_session_lookup(lms_store *s, const unsigned char token_hash[32], lms_arena *a,
                             lms_session *out, lms_user *user, lms_err *err)
{
	fake_store *f = fs(s);
	size_t i, k;
	int rc;

	if ((rc = enter(s, FAKE_SESSION_LOOKUP, err)) < 0)
		return rc;
	for (i = 0; i < f->n_sessions; i++)
		if (memcmp(f->sessions[i].token_hash, token_hash, 32) == 0) {
			for (k = 0; k < f->n_users; k++)
				if (!f->users[k].deleted && f->users[k].id == f->sessions[i].sess.user_id) {
					*out = f->sessions[i].sess;
					out->ended = !f->sessions[i].live; /* ended rows are kept a day */
					load_user(&f->users[k], false, a, user);
					return LMS_OK;
				}
			break;
		}
	return lms_err_set(err, LMS_ENOTFOUND, NULL, NULL, "no such session");
}

static int op_session_touch(lms_store *s, int64_t session_id, int64_t at_us, lms_err *err)
{
	fake_session *row;
	int rc;

	if ((rc = enter(s, FAKE_SESSION_TOUCH, err)) < 0)
		return rc;
	row = fake_store_session(fs(s), session_id);
	if (row && row->live)
		row->sess.last_seen_us = at_us;
	return LMS_OK; /* like an UPDATE of no row */
}

static int op_session_end(lms_store *s, int64_t session_id, int64_t at_us, lms_err *err)
{
	fake_session *row;
	int rc;

	(void)at_us;
	if ((rc = enter(s, FAKE_SESSION_END, err)) < 0)
		return rc;
	row = fake_store_session(fs(s), session_id);
	if (row)
		row->live = false;
	return LMS_OK;
}

static const lms_store_ops fake_ops = {
	.ping = op_ping,
	.unit_create = op_unit_create,
	.unit_add_successor = op_unit_add_successor,
	.unit_find = op_unit_find,
	.unit_list = op_unit_list,
	.unit_within = op_unit_within,
	.person_create = op_person_create,
	.person_list = op_person_list,
	.user_create = op_user_create,
	.user_add_role = op_user_add_role,
	.user_set_password = op_user_set_password,
	.user_by_username = op_user_by_username,
	.user_by_id = op_user_by_id,
	.login_begin = op_login_begin,
	.login_end = op_login_end,
	.session_create = op_session_create,
	.session_lookup = op_session_lookup,
	.session_touch = op_session_touch,
	.session_end = op_session_end,
};

fake_store *fake_store_new(void)
{
	fake_store *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->store.ops = &fake_ops;
	f->store.impl = f;
	f->next_session_id = 1;
	return f;
}

void fake_store_free(fake_store *f)
{
	free(f);
}

fake_user *fake_store_add_user(fake_store *f, const char *username, const char *password_hash,
                               bool active)
{
	fake_user *u;

	assert_true(f->n_users < FAKE_MAX_USERS);
	u = &f->users[f->n_users++];
	memset(u, 0, sizeof(*u));
	u->id = (int64_t)f->n_users;
	snprintf(u->username, sizeof(u->username), "%s", username);
	snprintf(u->display_name, sizeof(u->display_name), "Người dùng %s", username);
	if (password_hash)
		snprintf(u->password_hash, sizeof(u->password_hash), "%s", password_hash);
	u->active = active;
	return u;
}

void fake_user_add_role(fake_user *u, lms_role_kind k, int64_t unit_id, const char *unit_code)
{
	lms_role *r;

	assert_true(u->n_roles < FAKE_MAX_ROLES);
	r = &u->roles[u->n_roles++];
	r->kind = k;
	r->unit_id = unit_id;
	r->unit_code = unit_code;
	r->unit_name = unit_code;
}

void fake_store_fail_nth(fake_store *f, unsigned long n, int rc)
{
	assert_true(n >= 1);
	f->fail_at = f->total_calls + n;
	f->fail_rc = rc;
}

void fake_store_reset_calls(fake_store *f)
{
	memset(f->calls, 0, sizeof(f->calls));
	f->total_calls = 0;
	f->fail_at = 0;
	f->injected = 0;
}

size_t fake_store_live_sessions(const fake_store *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->n_sessions; i++)
		n += f->sessions[i].live;
	return n;
}

fake_session *fake_store_session(fake_store *f, int64_t id)
{
	size_t i;

	for (i = 0; i < f->n_sessions; i++)
		if (f->sessions[i].sess.id == id)
			return &f->sessions[i];
	return NULL;
}

size_t fake_store_attempts(const fake_store *f, bool success)
{
	size_t i, n = 0;

	for (i = 0; i < f->n_attempts; i++) {
		int o = f->attempts[i].outcome;
		n += success ? o == LMS_LOGIN_SUCCESS : (o == 0 || o == LMS_LOGIN_FAILURE);
	}
	return n;
}

size_t fake_store_throttled(const fake_store *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->n_attempts; i++)
		n += f->attempts[i].outcome == LMS_LOGIN_THROTTLED;
	return n;
}
