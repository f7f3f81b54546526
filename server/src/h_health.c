/* h_health.c — liveness (/healthz: the process answers) and readiness (/readyz: the
 * database answers). Neither needs a session; neither says more than ready or not. */
#include "http.h"

int h_healthz_get(srv_req *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "status", "ok");
	return srv_reply_json(r, 200, o, NULL);
}

int h_readyz_get(srv_req *r)
{
	cJSON *o;

	if (r->store->ops->ping(r->store, &r->err) < 0)
		return srv_reply_problem(r, 503, "db_unavailable", "the database is not reachable",
		                         NULL, "Retry-After: 5\r\n");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", "ready");
	return srv_reply_json(r, 200, o, NULL);
}
