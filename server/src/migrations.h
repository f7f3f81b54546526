/* migrations.h — the SQL migrations built into the binary (from schemas/sql/), and loading
 * them from a folder instead. */
#ifndef SRV_MIGRATIONS_H
#define SRV_MIGRATIONS_H

#include "lms/error.h"
#include "store_pg.h"

#include <stddef.h>

extern const store_pg_migration srv_builtin_migrations[];
extern const size_t srv_builtin_migrations_count;

/* Reads every NNNN_*.sql file of dir. *out and its strings are malloc'd: free them with
 * srv_migrations_free. */
int srv_migrations_load(const char *dir, store_pg_migration **out, size_t *n, lms_err *err);
void srv_migrations_free(store_pg_migration *m, size_t n);

#endif
