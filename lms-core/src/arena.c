/* arena.c — bump allocator in chained blocks (see arena.h). Blocks grow to fit large
 * requests; nothing is freed before lms_arena_free. */
#include "lms/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (16u * 1024u)

/* Under AddressSanitizer the unused part of every block is poisoned and each allocation is
 * followed by a poisoned red zone, so that a write past the end of an arena allocation is
 * reported where it happens, as it would be for malloc. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define REDZONE 32u
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define REDZONE 0u
#endif

struct block {
	struct block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

struct lms_arena {
	struct block *head;
	size_t total;
};

static void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n, m);
	if (!p) {
		fputs("parlearn: out of memory\n", stderr);
		abort();
	}
	return p;
}

lms_arena *lms_arena_new(void)
{
	return xcalloc(1, sizeof(lms_arena));
}

void lms_arena_free(lms_arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		ASAN_UNPOISON_MEMORY_REGION(b->data, b->size);
		free(b);
	}
	free(a);
}

void *lms_arena_alloc(lms_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	struct block *b = a->head;
	size_t need = ((n + align - 1) & ~(align - 1)) + REDZONE;
	void *p;

	if (need < n || need > SIZE_MAX - sizeof(struct block))
		abort(); /* overflow: sizes from input are capped long before this */
	if (!b || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = xcalloc(1, sizeof(struct block) + size);
		b->size = size;
		b->next = a->head;
		a->head = b;
		ASAN_POISON_MEMORY_REGION(b->data, size);
	}
	p = b->data + b->used;
	ASAN_UNPOISON_MEMORY_REGION(p, n);
	b->used += need;
	a->total += need;
	return p;
}

char *lms_arena_strndup(lms_arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = lms_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *lms_arena_strdup(lms_arena *a, const char *s)
{
	return s ? lms_arena_strndup(a, s, strlen(s)) : NULL;
}

size_t lms_arena_used(const lms_arena *a)
{
	return a->total;
}
