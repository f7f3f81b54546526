/* json.c — JSON shapes shared by handlers. The personal identification number has no
 * field here, by design. */
#include "http.h"
#include "json_out.h"

#include <stdio.h>
#include <time.h>

void srv_json_str(cJSON *o, const char *name, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

/* us as ISO 8601 UTC with the given fraction ("" or ".mmm"), or null for 0. */
static void add_stamp(cJSON *o, const char *name, int64_t us, bool ms)
{
	char buf[40];
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	size_t n;

	if (!us || !gmtime_r(&t, &tm)) {
		cJSON_AddNullToObject(o, name);
		return;
	}
	n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	if (ms)
		snprintf(buf + n, sizeof(buf) - n, ".%03dZ", (int)((us / 1000) % 1000));
	else
		snprintf(buf + n, sizeof(buf) - n, "Z");
	cJSON_AddStringToObject(o, name, buf);
}

void srv_json_time(cJSON *o, const char *name, int64_t us)
{
	add_stamp(o, name, us, false);
}

void srv_json_time_ms(cJSON *o, const char *name, int64_t us)
{
	add_stamp(o, name, us, true);
}

static cJSON *unit_ref(const char *code, const char *name)
{
	cJSON *u;

	if (!code)
		return cJSON_CreateNull();
	u = cJSON_CreateObject();
	cJSON_AddStringToObject(u, "code", code);
	cJSON_AddStringToObject(u, "name", name ? name : "");
	return u;
}

cJSON *srv_json_me(const lms_user *u, const char *csrf_token)
{
	cJSON *o = cJSON_CreateObject(), *roles = cJSON_CreateArray();
	size_t i;

	cJSON_AddNumberToObject(o, "id", (double)u->id);
	cJSON_AddStringToObject(o, "username", u->username);
	cJSON_AddStringToObject(o, "display_name", u->display_name);
	for (i = 0; i < u->n_roles; i++) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "role", lms_role_name(u->roles[i].kind));
		cJSON_AddItemToObject(r, "unit", unit_ref(u->roles[i].unit_code, u->roles[i].unit_name));
		cJSON_AddItemToArray(roles, r);
	}
	cJSON_AddItemToObject(o, "roles", roles);
	if (u->person) {
		const lms_person *p = u->person;
		cJSON *po = cJSON_CreateObject();
		cJSON_AddStringToObject(po, "employee_code", p->employee_code);
		cJSON_AddStringToObject(po, "full_name", p->full_name);
		cJSON_AddStringToObject(po, "position", p->position ? p->position : "");
		cJSON_AddBoolToObject(po, "is_leader", p->is_leader);
		cJSON_AddStringToObject(po, "par_role", lms_par_role_name(p->par_role));
		cJSON_AddItemToObject(po, "unit", unit_ref(p->unit_code, p->unit_name));
		cJSON_AddItemToObject(o, "person", po);
	} else {
		cJSON_AddNullToObject(o, "person");
	}
	cJSON_AddStringToObject(o, "csrf_token", csrf_token);
	return o;
}
