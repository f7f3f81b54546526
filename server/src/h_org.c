/* h_org.c — the units and people a caller may see: their unit subtree, or all for an
 * admin. Lists come in Vietnamese order from the store. */
#include "http.h"

#include "lms/validate.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLE(k) (1u << (k))

int h_units_list(srv_req *r)
{
	lms_scope scope;
	lms_unit *units;
	size_t n, i, k;
	cJSON *o, *arr;

	if (lms_user_scope(&r->who.user,
	                   ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER) | ROLE(LMS_ROLE_TRAINER),
	                   r->arena, &scope, &r->err) < 0 ||
	    r->store->ops->unit_list(r->store, &scope, r->arena, &units, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "units");
	for (i = 0; i < n; i++) {
		const lms_unit *u = &units[i];
		cJSON *j = cJSON_CreateObject(), *succ;
		cJSON_AddStringToObject(j, "code", u->code);
		cJSON_AddStringToObject(j, "name", u->name);
		cJSON_AddStringToObject(j, "kind", u->kind);
		if (u->parent_code) {
			cJSON_AddStringToObject(j, "parent_code", u->parent_code);
			cJSON_AddStringToObject(j, "parent_name", u->parent_name ? u->parent_name : "");
		} else {
			cJSON_AddNullToObject(j, "parent_code");
			cJSON_AddNullToObject(j, "parent_name");
		}
		if (u->valid_from[0])
			cJSON_AddStringToObject(j, "valid_from", u->valid_from);
		else
			cJSON_AddNullToObject(j, "valid_from");
		if (u->valid_to[0])
			cJSON_AddStringToObject(j, "valid_to", u->valid_to);
		else
			cJSON_AddNullToObject(j, "valid_to");
		succ = cJSON_AddArrayToObject(j, "successor_codes");
		for (k = 0; k < u->n_successors; k++)
			cJSON_AddItemToArray(succ, cJSON_CreateString(u->successor_codes[k]));
		cJSON_AddItemToArray(arr, j);
	}
	return srv_reply_json(r, 200, o, NULL);
}

/* Reads an optional integer query parameter within [min, max]. */
static int query_int(srv_req *r, const char *name, long min, long max, long def, long *out)
{
	const char *qs = r->ri->query_string;
	char buf[24], *end;
	int len;
	long v;

	*out = def;
	if (!qs)
		return LMS_OK;
	len = mg_get_var(qs, strlen(qs), name, buf, sizeof(buf));
	if (len == -1)
		return LMS_OK;
	v = len > 0 ? strtol(buf, &end, 10) : 0;
	if (len <= 0 || *end || v < min || v > max)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: must be a whole number from %ld to %ld", name, min, max);
	*out = v;
	return LMS_OK;
}

int h_people_list(srv_req *r)
{
	const char *qs = r->ri->query_string;
	char unit_code[40];
	lms_scope scope;
	lms_unit unit;
	lms_person *people;
	long limit, offset;
	int64_t total, unit_id = 0;
	size_t n, i;
	bool within;
	cJSON *o, *arr;
	int got;

	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER), r->arena,
	                   &scope, &r->err) < 0 ||
	    query_int(r, "limit", 1, 500, 100, &limit) < 0 ||
	    query_int(r, "offset", 0, 10000000, 0, &offset) < 0)
		return srv_reply_error(r);
	if (qs && (got = mg_get_var(qs, strlen(qs), "unit", unit_code, sizeof(unit_code))) != -1) {
		if (got < 0)
			(void)lms_check_code("unit", "", &r->err); /* too long to be a code */
		if (got < 0 || lms_check_code("unit", unit_code, &r->err) < 0)
			return srv_reply_error(r);
		if (r->store->ops->unit_find(r->store, unit_code, r->arena, &unit, &r->err) < 0)
			return srv_reply_error(r);
		if (r->store->ops->unit_within(r->store, unit.id, &scope, &within, &r->err) < 0)
			return srv_reply_error(r);
		if (!within)
			return srv_reply_problem(r, 403, "forbidden", "this unit is outside your reach",
			                         "unit", NULL);
		unit_id = unit.id;
	}
	if (r->store->ops->person_list(r->store, &scope, unit_id, (int)limit, (int)offset, r->arena,
	                               &people, &n, &total, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "people");
	for (i = 0; i < n; i++) {
		const lms_person *p = &people[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "employee_code", p->employee_code);
		cJSON_AddStringToObject(j, "full_name", p->full_name);
		cJSON_AddStringToObject(j, "unit_code", p->unit_code);
		cJSON_AddStringToObject(j, "unit_name", p->unit_name);
		cJSON_AddStringToObject(j, "position", p->position ? p->position : "");
		cJSON_AddBoolToObject(j, "is_leader", p->is_leader);
		cJSON_AddStringToObject(j, "par_role", lms_par_role_name(p->par_role));
		cJSON_AddBoolToObject(j, "active", p->active);
		cJSON_AddItemToArray(arr, j);
	}
	cJSON_AddNumberToObject(o, "total", (double)total);
	return srv_reply_json(r, 200, o, NULL);
}
