/* arena.c — bump allocator in chained blocks (see arena.h). Blocks grow to fit large
 * requests; nothing is freed before lms_arena_free. */
#include "lms/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (16u * 1024u)

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
		free(b);
	}
	free(a);
}

void *lms_arena_alloc(lms_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	struct block *b = a->head;
	size_t need = (n + align - 1) & ~(align - 1);
	void *p;

	if (need < n || need > SIZE_MAX - sizeof(struct block))
		abort(); /* overflow: sizes from input are capped long before this */
	if (!b || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = xcalloc(1, sizeof(struct block) + size);
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
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
