/* test_arena.c — the request arena (arena.h): alignment, zeroed memory, allocations larger
 * than a block, strdup/strndup, the bytes-used counter, lms_arena_free(NULL), and that a
 * size overflowing the block header aborts instead of handing back a short block. ASan
 * checks that every allocation is really as large as asked and that nothing leaks. */
#include "support.h"

#include <signal.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALIGN alignof(max_align_t)

static void free_null_is_fine(void **state)
{
	(void)state;
	lms_arena_free(NULL);
}

static void new_arena_is_empty(void **state)
{
	lms_arena *a = lms_arena_new();
	(void)state;
	assert_non_null(a);
	assert_int_equal(lms_arena_used(a), 0);
	lms_arena_free(a);
}

static void allocations_are_aligned_for_any_type(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1000, 4095 };
	lms_arena *a = lms_arena_new();
	size_t round, i;
	(void)state;

	for (round = 0; round < 20; round++)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			unsigned char *p = lms_arena_alloc(a, sizes[i]);
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % ALIGN, 0);
			/* the whole size is usable (ASan would catch a short allocation) */
			memset(p, 0xA5, sizes[i]);
		}
	{
		long double *ld;
		(void)lms_arena_alloc(a, 3);
		ld = lms_arena_alloc(a, sizeof(long double));
		*ld = 1.5L;
		assert_true(*ld == 1.5L);
		assert_int_equal((uintptr_t)ld % alignof(long double), 0);
	}
	lms_arena_free(a);
}

static void allocations_are_zeroed(void **state)
{
	lms_arena *a = lms_arena_new();
	unsigned char *p, *q;
	size_t i;
	(void)state;

	p = lms_arena_alloc(a, 500);
	for (i = 0; i < 500; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xFF, 500);
	q = lms_arena_alloc(a, 500);
	for (i = 0; i < 500; i++)
		assert_int_equal(q[i], 0);
	/* and the first one was not touched by the second */
	for (i = 0; i < 500; i++)
		assert_int_equal(p[i], 0xFF);
	lms_arena_free(a);
}

static void allocations_do_not_overlap(void **state)
{
	enum { N = 3000 };
	lms_arena *a = lms_arena_new();
	unsigned char *p[N];
	size_t i, j;
	(void)state;

	/* 3000 * up to 40 bytes spans several 16 KiB blocks */
	for (i = 0; i < N; i++) {
		size_t n = 1 + i % 40;
		p[i] = lms_arena_alloc(a, n);
		memset(p[i], (int)(i & 0xFF), n);
	}
	for (i = 0; i < N; i++)
		for (j = 0; j < 1 + i % 40; j++)
			assert_int_equal(p[i][j], i & 0xFF);
	lms_arena_free(a);
}

static void large_allocations_beyond_the_block_size(void **state)
{
	lms_arena *a = lms_arena_new();
	unsigned char *small1, *big, *exact, *small2;
	size_t i;
	(void)state;

	small1 = lms_arena_alloc(a, 10);
	memset(small1, 1, 10);
	big = lms_arena_alloc(a, 200 * 1024); /* far beyond one 16 KiB block */
	assert_non_null(big);
	assert_int_equal((uintptr_t)big % ALIGN, 0);
	for (i = 0; i < 200 * 1024; i++)
		assert_int_equal(big[i], 0);
	memset(big, 2, 200 * 1024);
	exact = lms_arena_alloc(a, 16 * 1024);
	memset(exact, 3, 16 * 1024);
	small2 = lms_arena_alloc(a, 10);
	memset(small2, 4, 10);
	for (i = 0; i < 10; i++) {
		assert_int_equal(small1[i], 1);
		assert_int_equal(small2[i], 4);
	}
	for (i = 0; i < 200 * 1024; i++)
		assert_int_equal(big[i], 2);
	for (i = 0; i < 16 * 1024; i++)
		assert_int_equal(exact[i], 3);
	assert_true(lms_arena_used(a) >= 200 * 1024 + 16 * 1024 + 20);
	lms_arena_free(a);
}

static void used_grows_with_each_allocation(void **state)
{
	lms_arena *a = lms_arena_new();
	size_t before;
	(void)state;

	(void)lms_arena_alloc(a, 100);
	before = lms_arena_used(a);
	assert_true(before >= 100);
	(void)lms_arena_alloc(a, 1);
	assert_true(lms_arena_used(a) > before);
	lms_arena_free(a);
}

static void strdup_copies(void **state)
{
	static const char name[] = "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B \xC3\x81nh";
	lms_arena *a = lms_arena_new();
	char buf[32];
	char *s;
	(void)state;

	memcpy(buf, name, sizeof(name));
	s = lms_arena_strdup(a, buf);
	assert_non_null(s);
	assert_ptr_not_equal(s, buf);
	assert_string_equal(s, name);
	buf[0] = 'X'; /* a copy, not a borrow */
	assert_string_equal(s, name);
	s = lms_arena_strdup(a, "");
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_null(lms_arena_strdup(a, NULL));
	lms_arena_free(a);
}

static void strndup_copies_at_most_n_and_terminates(void **state)
{
	lms_arena *a = lms_arena_new();
	char *s;
	(void)state;

	s = lms_arena_strndup(a, "Nguyen Van A", 6);
	assert_string_equal(s, "Nguyen");
	s = lms_arena_strndup(a, "abc", 0);
	assert_string_equal(s, "");
	/* n bytes of a buffer that is not NUL-terminated */
	{
		const char raw[4] = { 'S', 'N', 'V', '!' };
		s = lms_arena_strndup(a, raw, 3);
		assert_string_equal(s, "SNV");
	}
	assert_null(lms_arena_strndup(a, NULL, 5));
	lms_arena_free(a);
}

/* A size so large that adding the block header wraps around must abort (arena.h: "allocation
 * failure aborts"; arena.c guards "overflow"), never return memory smaller than asked. */
static void overflowing_size_aborts(void **state)
{
	pid_t pid;
	int status = 0;
	(void)state;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		lms_arena *a = lms_arena_new();
		(void)lms_arena_alloc(a, SIZE_MAX - 20);
		_exit(0); /* got memory back: the guard let it through */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void overflowing_rounding_aborts(void **state)
{
	pid_t pid;
	int status = 0;
	(void)state;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		lms_arena *a = lms_arena_new();
		(void)lms_arena_alloc(a, SIZE_MAX - 1); /* rounding up to 16 wraps to 0 */
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(free_null_is_fine),
		cmocka_unit_test(new_arena_is_empty),
		cmocka_unit_test(allocations_are_aligned_for_any_type),
		cmocka_unit_test(allocations_are_zeroed),
		cmocka_unit_test(allocations_do_not_overlap),
		cmocka_unit_test(large_allocations_beyond_the_block_size),
		cmocka_unit_test(used_grows_with_each_allocation),
		cmocka_unit_test(strdup_copies),
		cmocka_unit_test(strndup_copies_at_most_n_and_terminates),
		cmocka_unit_test(overflowing_rounding_aborts),
		cmocka_unit_test(overflowing_size_aborts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
