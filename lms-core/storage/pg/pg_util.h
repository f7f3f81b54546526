/* pg_util.h — libpq helpers shared by the PostgreSQL store and its migrations. */
#ifndef PG_UTIL_H
#define PG_UTIL_H

#include "lms/error.h"
#include "lms/store.h"

#include <libpq-fe.h>

/* Maps a failed result to an LMS code by SQLSTATE, logs the database's own text (never
 * shown to users), and fills err with a message fit for a person. */
int pgu_map_error(const PGresult *res, lms_err *err);

/* The first line of a libpq message, in a static-per-thread buffer, for logs. */
const char *pgu_first_line(const char *msg);

/* The store's connection, connecting if needed; NULL with err set (LMS_EUNAVAIL). */
PGconn *store_pg_conn(lms_store *s, lms_err *err);

#endif
