/* replay.c — runs a fuzz target as an ordinary test: every file of the corpus folder(s)
 * given on the command line, then a fixed number of mutations of them (bit flips, byte
 * inserts and deletions, splices) from a fixed seed, so a run is repeatable. Real fuzzing
 * is scripts/fuzz (libFuzzer); this keeps its findings from coming back. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX_INPUT (256 * 1024)
#define MAX_FILES 4096

typedef struct input {
	unsigned char *data;
	size_t size;
} input;

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static size_t load_dir(const char *dir, input *in, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		exit(2);
	}
	while ((e = readdir(d)) && n < MAX_FILES) {
		char path[4096];
		FILE *f;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(f = fopen(path, "rb")))
			continue;
		in[n].data = malloc(REPLAY_MAX_INPUT);
		in[n].size = fread(in[n].data, 1, REPLAY_MAX_INPUT, f);
		fclose(f);
		n++;
	}
	closedir(d);
	return n;
}

static size_t mutate(unsigned char *buf, size_t size, const input *other)
{
	int k, ops = 1 + (int)(rng() % 4);

	for (k = 0; k < ops; k++) {
		size_t at = size ? (size_t)(rng() % size) : 0;
		switch (rng() % 5) {
		case 0: /* flip a bit */
			if (size)
				buf[at] ^= (unsigned char)(1u << (rng() % 8));
			break;
		case 1: /* insert a byte, often a structural one */
			if (size < REPLAY_MAX_INPUT - 1) {
				static const char interesting[] = "{}[]\":,\\\0\xc2\xe0\xed\xf4\x80\xbf";
				memmove(buf + at + 1, buf + at, size - at);
				buf[at] = rng() % 2 ? (unsigned char)interesting[rng() % (sizeof(interesting) - 1)]
				                    : (unsigned char)rng();
				size++;
			}
			break;
		case 2: /* delete a byte */
			if (size) {
				memmove(buf + at, buf + at + 1, size - at - 1);
				size--;
			}
			break;
		case 3: /* repeat a run (deep nesting, long strings) */
			if (size && size < REPLAY_MAX_INPUT / 2) {
				size_t len = 1 + rng() % 8, times = 1 + rng() % 64, t;
				if (at + len > size)
					len = size - at;
				for (t = 0; t < times && size + len < REPLAY_MAX_INPUT; t++) {
					memmove(buf + at + len, buf + at, size - at);
					size += len;
				}
			}
			break;
		default: /* splice in part of another input */
			if (other->size) {
				size_t from = rng() % other->size, len = 1 + rng() % 32;
				if (from + len > other->size)
					len = other->size - from;
				if (at + len > REPLAY_MAX_INPUT)
					len = REPLAY_MAX_INPUT - at;
				memcpy(buf + at, other->data + from, len);
				if (at + len > size)
					size = at + len;
			}
			break;
		}
	}
	return size;
}

int main(int argc, char **argv)
{
	static input in[MAX_FILES];
	unsigned char *buf = malloc(REPLAY_MAX_INPUT);
	long mutations = 20000;
	size_t n = 0, i;
	long m;
	int a;

	for (a = 1; a < argc; a++) {
		if (strncmp(argv[a], "--mutations=", 12) == 0)
			mutations = strtol(argv[a] + 12, NULL, 10);
		else
			n = load_dir(argv[a], in, n);
	}
	if (n == 0) {
		fprintf(stderr, "replay: empty corpus\n");
		return 2;
	}
	for (i = 0; i < n; i++)
		LLVMFuzzerTestOneInput(in[i].data, in[i].size);
	for (m = 0; m < mutations; m++) {
		const input *base = &in[rng() % n];
		size_t size = base->size;
		memcpy(buf, base->data, size);
		size = mutate(buf, size, &in[rng() % n]);
		LLVMFuzzerTestOneInput(buf, size);
	}
	for (i = 0; i < n; i++)
		free(in[i].data);
	free(buf);
	printf("%zu corpus inputs and %ld mutations replayed\n", n, mutations);
	return 0;
}
