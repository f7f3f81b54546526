/* pg_util.h — libpq helpers shared by the PostgreSQL store and its migrations. */
#ifndef PG_UTIL_H
#define PG_UTIL_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/store.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

/* Maps a failed result to an LMS code by SQLSTATE, logs the database's own text (never
 * shown to users), and fills err with a message fit for a person. */
int pgu_map_error(const PGresult *res, lms_err *err);

/* The first line of a libpq message, in a static-per-thread buffer, for logs. */
const char *pgu_first_line(const char *msg);

/* Reading a result's cells: an integer, a boolean ('t'), a string copied into a (NULL for
 * SQL NULL). */
int64_t pgu_i64(const PGresult *r, int row, int col);
bool pgu_bool(const PGresult *r, int row, int col);
const char *pgu_str(lms_arena *a, const PGresult *r, int row, int col);

/* Parameter text: an integer, and 32 bytes (a SHA-256) as 64 hex digits for decode(.., 'hex');
 * both in a. */
const char *pgu_num(lms_arena *a, int64_t v);
const char *pgu_hex32(lms_arena *a, const unsigned char h[32]);

/* A PostgreSQL array literal of v[0..n) for a text[] (or date[], boolean[] ...) parameter:
 * every element quoted with '"' and '\\' escaped; NULL elements are NULL. */
const char *pgu_text_array(lms_arena *a, const char *const *v, size_t n);
/* A PostgreSQL array literal of v[0..n) for a bigint[] parameter ("{1,2,3}"), in a. */
const char *pgu_i64_array(lms_arena *a, const int64_t *v, size_t n);
/* The roots of a unit scope for a bigint[] parameter: "{}" for every unit (or no scope);
 * the statements take the "every unit" flag beside it. */
const char *pgu_scope_roots(lms_arena *a, const lms_scope *scope);

/* The store's connection, connecting if needed; NULL with err set (LMS_EUNAVAIL). */
PGconn *store_pg_conn(lms_store *s, lms_err *err);

#endif
