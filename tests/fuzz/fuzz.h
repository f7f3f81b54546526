/* fuzz.h — the libFuzzer entry point every fuzz target defines. Built two ways: with
 * clang's -fsanitize=fuzzer by scripts/fuzz, and with replay.c as an ordinary ctest test
 * that replays the corpus and a fixed number of seeded mutations of it. */
#ifndef PARLEARN_FUZZ_H
#define PARLEARN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property every input must keep. Unlike assert(), it stays in release builds. */
#include <stdio.h>
#include <stdlib.h>
#define FUZZ_CHECK(cond)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, \
			        #cond);                                                  \
			abort();                                                         \
		}                                                                        \
	} while (0)

#endif
