/* fuzz_manifest.c — every package's imsmanifest.xml goes through lms_manifest_parse, then
 * lms_manifest_check_files: whatever the bytes, the parser must return a manifest or a clean
 * refusal with the problem in the report, never crash, leak, read out of bounds or fetch
 * anything. Small limits make the depth and node caps reachable by mutation. */
#include "fuzz.h"
#include "lms/manifest.h"

#include <libxml/parser.h>

#include <stdlib.h>
#include <string.h>

/* Pretends every path with an even length exists, and odd ones exist in another case. */
static bool fake_exists(void *ud, const char *path, bool *case_differs)
{
	size_t n = strlen(path);

	(void)ud;
	FUZZ_CHECK(n > 0 && path[0] != '/');
	*case_differs = (n % 2) == 1;
	return (n % 2) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	lms_manifest_limits lim;
	lms_manifest *m = NULL;
	lms_report rep;
	lms_arena *a;
	lms_err err;
	char *buf;
	int rc;

	if (!initialised) {
		xmlInitParser(); /* once, as the server does */
		initialised = 1;
	}
	buf = malloc(size ? size : 1); /* exactly size bytes: no terminator to lean on */
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	a = lms_arena_new();
	lms_report_init(&rep, a);
	lms_err_clear(&err);
	lms_manifest_limits_default(&lim);
	lim.max_nodes = 5000;
	lim.max_depth = 32;
	rc = lms_manifest_parse(buf, size, "imsmanifest.xml", &lim, a, &rep, &m, &err);
	FUZZ_CHECK(rc == 0 || rc == LMS_EINVAL || rc == LMS_ETOOBIG);
	if (rc == 0) {
		FUZZ_CHECK(m && rep.errors == 0);
		FUZZ_CHECK(m->n_organizations == 0 || m->default_org);
	} else {
		FUZZ_CHECK(rep.errors > 0 && err.code[0] != '\0');
	}
	if (m)
		lms_manifest_check_files(m, "imsmanifest.xml", fake_exists, NULL, &rep);
	lms_arena_free(a);
	free(buf);
	return 0;
}
