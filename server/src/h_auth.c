/* h_auth.c — login, logout, and who am I. */
#include "http.h"

#include "lms/validate.h"

#include <civetweb.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int h_auth_login(srv_req *r)
{
	const srv_app *app = r->app;
	const char *username, *password, *ua;
	char name[72], cookie[256];
	lms_login_result res;
	cJSON *body = NULL;
	size_t i;
	int status;

	if ((status = srv_read_json(r, &body)) != 0)
		return status;
	if (srv_json_string(r, body, "username", true, 64, &username) < 0 ||
	    srv_json_string(r, body, "password", true, 1024, &password) < 0) {
		status = srv_reply_error(r);
		goto cleanup;
	}
	/* Usernames are case-insensitive: compare lowercased. Anything that could not be a
	 * username is simply a failed login, so it is throttled and counted like the others. */
	for (i = 0; username[i] && i < sizeof(name) - 1; i++)
		name[i] = (char)tolower((unsigned char)username[i]);
	name[i] = '\0';
	ua = mg_get_header(r->conn, "User-Agent");
	if (lms_auth_login(r->store, app->clock, &app->policy, name, password, r->client_addr,
	                   ua && strlen(ua) < 256 && lms_utf8_valid(ua, strlen(ua)) ? ua : "",
	                   r->arena, &res, &r->err) < 0) {
		status = srv_reply_error(r);
		goto cleanup;
	}
	snprintf(cookie, sizeof(cookie),
	         "Set-Cookie: parlearn_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s\r\n",
	         res.token, (long long)(app->policy.session_max_us / LMS_SECOND_US),
	         r->via_tls ? "; Secure" : "");
	r->authenticated = true;
	r->who.user = res.user;
	status = srv_reply_json(r, 200, srv_json_me(&res.user, res.session.csrf_token), cookie);
	memset(cookie, 0, sizeof(cookie));
	memset(res.token, 0, sizeof(res.token));
cleanup:
	cJSON_Delete(body);
	return status;
}

int h_auth_logout(srv_req *r)
{
	char cookie[160];

	if (lms_auth_logout(r->store, r->app->clock, &r->who, &r->err) < 0)
		return srv_reply_error(r);
	snprintf(cookie, sizeof(cookie),
	         "Set-Cookie: parlearn_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s\r\n",
	         r->via_tls ? "; Secure" : "");
	return srv_reply_empty(r, 204, cookie);
}

int h_me_get(srv_req *r)
{
	return srv_reply_json(r, 200, srv_json_me(&r->who.user, r->who.session.csrf_token), NULL);
}
