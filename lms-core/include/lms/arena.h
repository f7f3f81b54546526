/* arena.h — a bump allocator: one per request (or per CLI command), released in one call.
 *
 * Everything a request allocates for its own use (strings read from the database, output
 * structs) comes from its arena, so no handler frees piecemeal. Allocation failure aborts:
 * a server that cannot get a few kilobytes cannot answer anyway, and the alternative is an
 * error path in every caller that is never tested.
 */
#ifndef LMS_ARENA_H
#define LMS_ARENA_H

#include <stddef.h>

typedef struct lms_arena lms_arena;

lms_arena *lms_arena_new(void);
void lms_arena_free(lms_arena *a);          /* NULL is fine */
void *lms_arena_alloc(lms_arena *a, size_t n); /* zeroed, aligned for any type */
char *lms_arena_strdup(lms_arena *a, const char *s);  /* NULL gives NULL */
char *lms_arena_strndup(lms_arena *a, const char *s, size_t n);
size_t lms_arena_used(const lms_arena *a);

#endif
