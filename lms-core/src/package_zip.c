/* package_zip.c — the libzip adapter: opens a course package's zip file, checks every entry of
 * its central directory before anything is read, and extracts it safely (see package_zip.h).
 *
 * Invariants:
 * - This is the only file that includes <zip.h>; no libzip type leaves it.
 * - An open lms_pkgzip holds only entries that passed every check: a regular file whose name
 *   is normalised UTF-8 ("a/b/c.html": no "", "." or ".." component, no leading "/", no
 *   backslash, drive letter or control character), at most max_name_bytes long, unique,
 *   not encrypted, in a compression method libzip supports, and within the limits.
 * - Sizes from the zip are claims: extraction and lms_pkgzip_read count the bytes libzip
 *   really produces and stop as soon as they pass the declared size or a limit. Memory is one
 *   64 KiB buffer per extraction, whatever the entry size.
 * - Extraction writes only inside a fresh mkdtemp folder next to dest, walking directories
 *   with openat/mkdirat and O_NOFOLLOW, creating files with O_EXCL; the folder is renamed to
 *   dest (without replacing anything) only when every entry succeeded, and removed (without
 *   following symlinks) otherwise.
 * - The only bytes of the zip read without libzip are the central directory's names, and only
 *   to find NUL bytes, which libzip turns into spaces (scan_nul_names).
 * - Problems in the report name the entry in a printable form ("a\x1bb.html") in both the
 *   problem's file and its message.
 *
 * It does not: create empty directories (only the folders that hold files), fold case beyond
 * ASCII for the case-collision warning, or read the manifest (manifest.c does).
 */
#include "lms/package_zip.h"

#include "lms/validate.h"

#include <zip.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PZ_CHUNK (64u * 1024u)
/* The ratio check applies from this uncompressed size on: a small, very repetitive file
 * (a CSS or JSON file of padding) can exceed any sensible ratio and harms nobody; a bomb
 * needs volume, which the size limits and this floor catch together. */
#define PZ_RATIO_MIN_BYTES (1024u * 1024u)
#define PZ_SHOWN_MAX 160u   /* bytes of an entry name quoted in a message */
#define PZ_COMPONENT_MAX 255u /* NAME_MAX of Linux file systems */
#define PZ_DOS_DIR 0x10u      /* MS-DOS directory attribute */

typedef struct pz_entry {
	char *name;        /* normalised, malloc'd */
	zip_uint64_t index; /* in the zip's central directory */
	uint64_t size;      /* declared uncompressed size */
	uint64_t comp_size; /* declared compressed size */
} pz_entry;

struct lms_pkgzip {
	zip_t *za;
	lms_pkgzip_limits lim;
	pz_entry *e;
	size_t n;
};

void lms_pkgzip_limits_default(lms_pkgzip_limits *l)
{
	assert(l);
	l->max_entries = 20000;
	l->max_total_bytes = UINT64_C(2) << 30;
	l->max_entry_bytes = UINT64_C(1) << 30;
	l->max_ratio = 200;
	l->max_name_bytes = 512;
}

/* ---- names ---- */

/* A printable form of a raw entry name for messages: control bytes (and every byte >= 0x80
 * when the name is not UTF-8) as \xNN, cut at PZ_SHOWN_MAX bytes with "...". */
static void shown_bytes(const char *raw, size_t len, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;
	bool utf8 = lms_utf8_valid(raw, len);

	assert(cap >= 8);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];
		bool esc = c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8);
		size_t need = esc ? 4 : 1;
		if (o + need + 4 > cap || o >= PZ_SHOWN_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (esc) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static void shown_name(const char *raw, char *out, size_t cap)
{
	shown_bytes(raw, strlen(raw), out, cap);
}

static bool ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int ascii_casecmp(const char *a, const char *b)
{
	int ca, cb;

	do {
		ca = ascii_lower((unsigned char)*a++);
		cb = ascii_lower((unsigned char)*b++);
	} while (ca && ca == cb);
	return ca - cb;
}

/* Checks a raw name; reports every problem against the entry; returns the number of errors. */
static int check_name(const char *raw, const char *shown, const lms_pkgzip_limits *lim,
                      lms_report *report)
{
	size_t len = strlen(raw), i, start = 0;
	int bad = 0;

	if (len > lim->max_name_bytes) {
		lms_report_add(report, LMS_SEV_ERROR, "name_too_long", shown, 0,
		               "entry \"%s\" has a name of %zu bytes; the limit is %zu", shown, len,
		               lim->max_name_bytes);
		return 1; /* the rest would only repeat on a name nobody can use */
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c < 0x20 || c == 0x7f) {
			lms_report_add(report, LMS_SEV_ERROR, "name_control_char", shown, 0,
			               "entry \"%s\" has a control character in its name", shown);
			bad++;
			break;
		}
	}
	if (!lms_utf8_valid(raw, len)) {
		lms_report_add(report, LMS_SEV_ERROR, "name_not_utf8", shown, 0,
		               "entry \"%s\" has a name that is not UTF-8 text; re-create the zip "
		               "with a tool that stores UTF-8 names",
		               shown);
		bad++;
	}
	if (memchr(raw, '\\', len)) {
		lms_report_add(report, LMS_SEV_ERROR, "name_backslash", shown, 0,
		               "entry \"%s\" uses a backslash in its name; zip names separate "
		               "folders with \"/\"",
		               shown);
		bad++;
	}
	if (raw[0] == '/') {
		lms_report_add(report, LMS_SEV_ERROR, "name_absolute", shown, 0,
		               "entry \"%s\" has an absolute path and points outside the package",
		               shown);
		bad++;
	}
	if (ascii_alpha(raw[0]) && raw[1] == ':') {
		lms_report_add(report, LMS_SEV_ERROR, "name_drive_letter", shown, 0,
		               "entry \"%s\" starts with a drive letter and points outside the "
		               "package",
		               shown);
		bad++;
	}
	for (i = 0; i <= len; i++) {
		if (i < len && raw[i] != '/')
			continue;
		if (i - start == 2 && raw[start] == '.' && raw[start + 1] == '.') {
			lms_report_add(report, LMS_SEV_ERROR, "name_parent_ref", shown, 0,
			               "entry \"%s\" points outside the package", shown);
			bad++;
			break;
		}
		if (i - start > PZ_COMPONENT_MAX) {
			lms_report_add(report, LMS_SEV_ERROR, "name_too_long", shown, 0,
			               "entry \"%s\" has a file or folder name longer than %u bytes",
			               shown, PZ_COMPONENT_MAX);
			bad++;
			break;
		}
		start = i + 1;
	}
	return bad;
}

/* The name without "" and "." components ("./a//b" -> "a/b"), malloc'd; "" for none.
 * Only called on names that passed check_name (no ".."). NULL when out of memory. */
static char *normalise_name(const char *raw)
{
	size_t len = strlen(raw), i, start = 0, o = 0;
	char *out = malloc(len + 1);

	if (!out)
		return NULL;
	for (i = 0; i <= len; i++) {
		size_t clen;
		if (i < len && raw[i] != '/')
			continue;
		clen = i - start;
		if (clen > 0 && !(clen == 1 && raw[start] == '.')) {
			if (o > 0)
				out[o++] = '/';
			memcpy(out + o, raw + start, clen);
			o += clen;
		}
		start = i + 1;
	}
	out[o] = '\0';
	return out;
}

/* ---- NUL bytes in names ---- */

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

static bool read_at(FILE *f, uint64_t off, void *buf, size_t n)
{
	if (off > (uint64_t)INT64_MAX || fseeko(f, (off_t)off, SEEK_SET) != 0)
		return false;
	return fread(buf, 1, n, f) == n;
}

/* libzip 1.7 turns a NUL byte in an entry name into a space when it reads the central
 * directory (_zip_read_data in zip_io_util.c), so a NUL cannot be seen through its API. This
 * reads the names of the central directory again, in order (libzip's index order), with
 * bounded buffers, and returns an array of nent with the shown form of each name that holds
 * a NUL (NULL elsewhere); NULL when there is none or out of memory. Any inconsistency ends
 * the scan quietly: libzip has already accepted the structure; this looks only for NULs. */
static char **scan_nul_names(const char *path, zip_uint64_t nent)
{
	enum { EOCD = 22, CDH = 46, Z64LOC = 20, Z64EOCD = 56, MAXC = 65535 };
	unsigned char *tail = NULL, hdr[Z64EOCD], *name = NULL;
	char **found = NULL;
	bool any = false;
	FILE *f = NULL;
	off_t fsize;
	size_t tlen, p;
	uint64_t tstart, cd_off, k;

	if (nent == 0 || !(f = fopen(path, "rb")) || fseeko(f, 0, SEEK_END) != 0 ||
	    (fsize = ftello(f)) < EOCD)
		goto cleanup;
	tlen = (uint64_t)fsize < EOCD + MAXC ? (size_t)fsize : EOCD + MAXC;
	tstart = (uint64_t)fsize - tlen;
	if (!(tail = malloc(tlen)) || !(name = malloc(MAXC)) ||
	    !(found = calloc((size_t)nent, sizeof(*found))) || !read_at(f, tstart, tail, tlen))
		goto cleanup;
	for (p = tlen - EOCD + 1; p-- > 0;)
		if (memcmp(tail + p, "PK\5\6", 4) == 0)
			break;
	if (p == (size_t)-1)
		goto cleanup;
	cd_off = le32(tail + p + 16);
	if (cd_off == 0xFFFFFFFFu || le16(tail + p + 10) == 0xFFFFu) {
		/* ZIP64: the locator sits just before the end record */
		if (tstart + p < Z64LOC || !read_at(f, tstart + p - Z64LOC, hdr, Z64LOC) ||
		    memcmp(hdr, "PK\6\7", 4) != 0 || !read_at(f, le64(hdr + 8), hdr, Z64EOCD) ||
		    memcmp(hdr, "PK\6\6", 4) != 0)
			goto cleanup;
		cd_off = le64(hdr + 48);
	}
	for (k = 0; k < nent; k++) {
		uint16_t nlen, xlen, clen;
		if (!read_at(f, cd_off, hdr, CDH) || memcmp(hdr, "PK\1\2", 4) != 0)
			break;
		nlen = le16(hdr + 28);
		xlen = le16(hdr + 30);
		clen = le16(hdr + 32);
		if (fread(name, 1, nlen, f) != nlen)
			break;
		if (memchr(name, 0, nlen)) {
			char shown[PZ_SHOWN_MAX + 8];
			shown_bytes((const char *)name, nlen, shown, sizeof(shown));
			if (!(found[k] = strdup(shown)))
				break;
			any = true;
		}
		cd_off += (uint64_t)CDH + nlen + xlen + clen;
	}
cleanup:
	if (f)
		fclose(f);
	free(tail);
	free(name);
	if (found && !any) {
		free(found);
		found = NULL;
	}
	return found;
}

static void free_nul_names(char **v, zip_uint64_t n)
{
	zip_uint64_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- open ---- */

static int open_error(const char *path, int zerr, int sys_errno, lms_report *report,
                      lms_err *err)
{
	zip_error_t ze;
	const char *why;
	int rc;

	zip_error_init_with_code(&ze, zerr);
	why = zip_error_strerror(&ze);
	switch (zerr) {
	case ZIP_ER_NOZIP:
		lms_report_add(report, LMS_SEV_ERROR, "not_a_zip", NULL, 0,
		               "the file is not a zip archive; a course package must be a .zip file");
		rc = lms_err_set(err, LMS_EUNSUPPORTED, "not_a_zip", NULL,
		                 "the file is not a zip archive");
		break;
	case ZIP_ER_OPEN:
		rc = lms_err_set(err, sys_errno == ENOENT ? LMS_ENOTFOUND : LMS_EINTERNAL,
		                 "package_unreadable", NULL, "cannot open the package file %s: %s",
		                 path, strerror(sys_errno));
		break;
	case ZIP_ER_MEMORY:
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory opening a package");
		break;
	default:
		/* A truncated or damaged central directory, inconsistent headers... */
		lms_report_add(report, LMS_SEV_ERROR, "zip_damaged", NULL, 0,
		               "the zip file is damaged or incomplete (%s); upload it again or "
		               "re-create it",
		               why);
		rc = lms_err_set(err, LMS_EINVAL, "package_rejected", NULL,
		                 "the zip file is damaged or incomplete");
		break;
	}
	zip_error_fini(&ze);
	return rc;
}

/* Checks entry i; appends it to z->e when it is a regular file that passed every check.
 * Returns the number of errors reported, or a negative code (out of memory). */
static int check_entry(lms_pkgzip *z, zip_uint64_t i, const char *nul_shown, uint64_t *total,
                       lms_report *report, lms_err *err)
{
	char shown[PZ_SHOWN_MAX + 8];
	zip_stat_t st;
	zip_uint8_t opsys = 0;
	zip_uint32_t attr = 0;
	unsigned mode = 0;
	bool is_dir;
	int bad = 0;
	size_t len;
	char *norm;

	zip_stat_init(&st);
	if (zip_stat_index(z->za, i, ZIP_FL_ENC_RAW, &st) < 0 || !(st.valid & ZIP_STAT_NAME) ||
	    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		lms_report_add(report, LMS_SEV_ERROR, "zip_damaged", NULL, 0,
		               "entry number %llu of the zip cannot be read",
		               (unsigned long long)i + 1);
		return 1;
	}
	len = strlen(st.name);
	if (nul_shown) {
		snprintf(shown, sizeof(shown), "%s", nul_shown);
		lms_report_add(report, LMS_SEV_ERROR, "name_control_char", shown, 0,
		               "entry \"%s\" has a NUL character in its name", shown);
		bad++;
	} else {
		shown_name(st.name, shown, sizeof(shown));
		bad += check_name(st.name, shown, &z->lim, report);
	}

	if (zip_file_get_external_attributes(z->za, i, 0, &opsys, &attr) < 0) {
		opsys = 0;
		attr = 0;
	}
	if (opsys == ZIP_OPSYS_UNIX)
		mode = (attr >> 16) & S_IFMT;
	is_dir = (len > 0 && st.name[len - 1] == '/') || mode == S_IFDIR ||
	         (opsys != ZIP_OPSYS_UNIX && (attr & PZ_DOS_DIR) && st.size == 0);
	if (mode == S_IFLNK) {
		lms_report_add(report, LMS_SEV_ERROR, "symlink", shown, 0,
		               "entry \"%s\" is a symbolic link; packages may hold only files and "
		               "folders",
		               shown);
		bad++;
	} else if (mode != 0 && mode != S_IFREG && mode != S_IFDIR) {
		lms_report_add(report, LMS_SEV_ERROR, "not_regular_file", shown, 0,
		               "entry \"%s\" is a special file (device, pipe or socket); packages "
		               "may hold only files and folders",
		               shown);
		bad++;
	} else if (is_dir && st.size > 0) {
		lms_report_add(report, LMS_SEV_ERROR, "not_regular_file", shown, 0,
		               "entry \"%s\" is a folder that holds data", shown);
		bad++;
	}

	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		lms_report_add(report, LMS_SEV_ERROR, "encrypted", shown, 0,
		               "entry \"%s\" is encrypted; packages must not be password-protected",
		               shown);
		bad++;
	} else if ((st.valid & ZIP_STAT_COMP_METHOD) && !is_dir &&
	           !zip_compression_method_supported(st.comp_method, 0)) {
		lms_report_add(report, LMS_SEV_ERROR, "compression_unsupported", shown, 0,
		               "entry \"%s\" uses a compression method parlearn cannot read; "
		               "re-create the zip with ordinary (deflate) compression",
		               shown);
		bad++;
	}

	if (st.size > z->lim.max_entry_bytes) {
		lms_report_add(report, LMS_SEV_ERROR, "entry_too_large", shown, 0,
		               "entry \"%s\" unpacks to %llu bytes; the limit per file is %llu",
		               shown, (unsigned long long)st.size,
		               (unsigned long long)z->lim.max_entry_bytes);
		bad++;
	}
	if (st.size >= PZ_RATIO_MIN_BYTES &&
	    (st.comp_size == 0 || st.size / st.comp_size > z->lim.max_ratio)) {
		lms_report_add(report, LMS_SEV_ERROR, "compression_ratio", shown, 0,
		               "entry \"%s\" unpacks to %llu bytes from %llu: more than %u times "
		               "its packed size, which is how zip bombs look",
		               shown, (unsigned long long)st.size, (unsigned long long)st.comp_size,
		               z->lim.max_ratio);
		bad++;
	}
	*total = (UINT64_MAX - *total < st.size) ? UINT64_MAX : *total + st.size;

	if (bad || is_dir)
		return bad;
	norm = normalise_name(st.name);
	if (!norm)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory opening a package");
	if (norm[0] == '\0') {
		free(norm);
		lms_report_add(report, LMS_SEV_ERROR, "name_empty", shown, 0,
		               "entry \"%s\" is a file without a name", shown);
		return 1;
	}
	z->e[z->n].name = norm;
	z->e[z->n].index = i;
	z->e[z->n].size = st.size;
	z->e[z->n].comp_size = st.comp_size;
	z->n++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	const pz_entry *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static int cmp_name_nocase(const void *a, const void *b)
{
	const pz_entry *const *x = a, *const *y = b;
	int c = ascii_casecmp((*x)->name, (*y)->name);
	return c ? c : strcmp((*x)->name, (*y)->name);
}

/* Reports exact duplicates (errors) and names equal but for ASCII case (warnings). */
static int check_duplicates(lms_pkgzip *z, lms_report *report, lms_err *err)
{
	const pz_entry **v;
	size_t i;
	int bad = 0;

	if (z->n < 2)
		return 0;
	v = malloc(z->n * sizeof(*v));
	if (!v)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory opening a package");
	for (i = 0; i < z->n; i++)
		v[i] = &z->e[i];
	qsort(v, z->n, sizeof(*v), cmp_name);
	for (i = 1; i < z->n; i++) {
		if (strcmp(v[i - 1]->name, v[i]->name) == 0) {
			char shown[PZ_SHOWN_MAX + 8];
			shown_name(v[i]->name, shown, sizeof(shown));
			lms_report_add(report, LMS_SEV_ERROR, "duplicate_name", shown, 0,
			               "entry \"%s\" appears more than once in the package", shown);
			bad++;
		}
	}
	qsort(v, z->n, sizeof(*v), cmp_name_nocase);
	for (i = 1; i < z->n; i++) {
		if (ascii_casecmp(v[i - 1]->name, v[i]->name) == 0 &&
		    strcmp(v[i - 1]->name, v[i]->name) != 0) {
			char a[PZ_SHOWN_MAX + 8], b[PZ_SHOWN_MAX + 8];
			shown_name(v[i - 1]->name, a, sizeof(a));
			shown_name(v[i]->name, b, sizeof(b));
			lms_report_add(report, LMS_SEV_WARNING, "duplicate_name_case", b, 0,
			               "entries \"%s\" and \"%s\" differ only in letter case and would "
			               "collide on Windows or macOS",
			               a, b);
		}
	}
	free(v);
	return bad;
}

int lms_pkgzip_open(const char *path, const lms_pkgzip_limits *limits, lms_report *report,
                    lms_pkgzip **out, lms_err *err)
{
	lms_pkgzip *z = NULL;
	char **nul = NULL;
	size_t errors_before;
	uint64_t total = 0;
	zip_int64_t nent = 0;
	zip_uint64_t i;
	int zerr = 0, rc = 0, bad;

	assert(path && report && out);
	errors_before = report->errors;
	z = calloc(1, sizeof(*z));
	if (!z) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory opening a package");
		goto cleanup;
	}
	if (limits)
		z->lim = *limits;
	else
		lms_pkgzip_limits_default(&z->lim);

	errno = 0;
	z->za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!z->za) {
		rc = open_error(path, zerr, errno, report, err);
		goto cleanup;
	}
	nent = zip_get_num_entries(z->za, 0);
	if (nent < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "cannot count the zip's entries");
		goto cleanup;
	}
	if ((uint64_t)nent > z->lim.max_entries) {
		lms_report_add(report, LMS_SEV_ERROR, "too_many_entries", NULL, 0,
		               "the package holds %lld entries; the limit is %zu", (long long)nent,
		               z->lim.max_entries);
		rc = lms_err_set(err, LMS_EINVAL, "package_rejected", NULL,
		                 "the package holds too many files");
		goto cleanup;
	}
	z->e = calloc(nent > 0 ? (size_t)nent : 1, sizeof(*z->e));
	if (!z->e) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory opening a package");
		goto cleanup;
	}
	for (i = 0; i < (zip_uint64_t)nent; i++) {
		const char *nm = zip_get_name(z->za, i, ZIP_FL_ENC_RAW);
		if (nm && strchr(nm, ' ')) { /* maybe a NUL that libzip made a space */
			nul = scan_nul_names(path, (zip_uint64_t)nent);
			break;
		}
	}
	for (i = 0; i < (zip_uint64_t)nent; i++) {
		if ((bad = check_entry(z, i, nul ? nul[i] : NULL, &total, report, err)) < 0) {
			rc = bad;
			goto cleanup;
		}
	}
	if (total > z->lim.max_total_bytes)
		lms_report_add(report, LMS_SEV_ERROR, "total_too_large", NULL, 0,
		               "the package unpacks to %llu bytes; the limit is %llu",
		               (unsigned long long)total, (unsigned long long)z->lim.max_total_bytes);
	if ((rc = check_duplicates(z, report, err)) < 0)
		goto cleanup;
	if (report->errors == errors_before && z->n == 0)
		lms_report_add(report, LMS_SEV_ERROR, "empty_package", NULL, 0,
		               "the zip file contains no files");
	if (report->errors > errors_before) {
		rc = lms_err_set(err, LMS_EINVAL, "package_rejected", NULL,
		                 "the package was rejected: %zu problem(s) found",
		                 report->errors - errors_before);
		goto cleanup;
	}
	*out = z;
	z = NULL;
	rc = 0;
cleanup:
	if (nul)
		free_nul_names(nul, (zip_uint64_t)nent);
	lms_pkgzip_close(z);
	return rc;
}

void lms_pkgzip_close(lms_pkgzip *z)
{
	size_t i;

	if (!z)
		return;
	if (z->za)
		zip_discard(z->za); /* read-only: nothing to write back */
	for (i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	free(z);
}

/* ---- lookups ---- */

size_t lms_pkgzip_count(const lms_pkgzip *z)
{
	assert(z);
	return z->n;
}

const char *lms_pkgzip_name(const lms_pkgzip *z, size_t i)
{
	assert(z && i < z->n);
	return z->e[i].name;
}

uint64_t lms_pkgzip_size(const lms_pkgzip *z, size_t i)
{
	assert(z && i < z->n);
	return z->e[i].size;
}

long lms_pkgzip_find(const lms_pkgzip *z, const char *name)
{
	size_t i;

	assert(z && name);
	for (i = 0; i < z->n; i++)
		if (strcmp(z->e[i].name, name) == 0)
			return (long)i;
	return -1;
}

long lms_pkgzip_find_nocase(const lms_pkgzip *z, const char *name)
{
	size_t i;
	long exact = lms_pkgzip_find(z, name);

	if (exact >= 0)
		return exact;
	for (i = 0; i < z->n; i++)
		if (ascii_casecmp(z->e[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* ---- reading ---- */

/* Counts n more real bytes of entry e against its declared size and the limits. */
static int count_bytes(const lms_pkgzip *z, const pz_entry *e, uint64_t *got, uint64_t n,
                       uint64_t *total, lms_err *err)
{
	*got += n;
	if (*got > e->size)
		return lms_err_set(err, LMS_EINVAL, "size_mismatch", e->name,
		                   "entry \"%s\" holds more data than its header says (%llu bytes); "
		                   "the zip is damaged or forged",
		                   e->name, (unsigned long long)e->size);
	if (*got > z->lim.max_entry_bytes)
		return lms_err_set(err, LMS_ETOOBIG, "entry_too_large", e->name,
		                   "entry \"%s\" unpacks to more than %llu bytes", e->name,
		                   (unsigned long long)z->lim.max_entry_bytes);
	if (total) {
		*total += n;
		if (*total > z->lim.max_total_bytes)
			return lms_err_set(err, LMS_ETOOBIG, "total_too_large", e->name,
			                   "the package unpacks to more than %llu bytes",
			                   (unsigned long long)z->lim.max_total_bytes);
	}
	if (*got >= PZ_RATIO_MIN_BYTES &&
	    (e->comp_size == 0 || *got / e->comp_size > z->lim.max_ratio))
		return lms_err_set(err, LMS_ETOOBIG, "compression_ratio", e->name,
		                   "entry \"%s\" unpacks to more than %u times its packed size",
		                   e->name, z->lim.max_ratio);
	return 0;
}

static int fopen_entry(lms_pkgzip *z, const pz_entry *e, zip_file_t **zf, lms_err *err)
{
	*zf = zip_fopen_index(z->za, e->index, 0);
	if (!*zf)
		return lms_err_set(err, LMS_EINVAL, "entry_damaged", e->name,
		                   "entry \"%s\" cannot be read: %s", e->name, zip_strerror(z->za));
	return 0;
}

static int read_error(zip_file_t *zf, const pz_entry *e, lms_err *err)
{
	return lms_err_set(err, LMS_EINVAL, "entry_damaged", e->name,
	                   "entry \"%s\" is damaged: %s", e->name, zip_file_strerror(zf));
}

static int short_error(const pz_entry *e, uint64_t got, lms_err *err)
{
	return lms_err_set(err, LMS_EINVAL, "size_mismatch", e->name,
	                   "entry \"%s\" holds %llu bytes, fewer than the %llu its header says",
	                   e->name, (unsigned long long)got, (unsigned long long)e->size);
}

int lms_pkgzip_read(lms_pkgzip *z, size_t i, size_t max, char **buf, size_t *len,
                    lms_err *err)
{
	const pz_entry *e;
	zip_file_t *zf = NULL;
	char *b = NULL;
	size_t cap;
	uint64_t got = 0;
	int rc = 0;

	assert(z && i < z->n && buf && len);
	e = &z->e[i];
	if (e->size > max || e->size >= SIZE_MAX - 1) {
		rc = lms_err_set(err, LMS_ETOOBIG, "entry_too_large", e->name,
		                 "file \"%s\" is %llu bytes; at most %zu can be read", e->name,
		                 (unsigned long long)e->size, max);
		goto cleanup;
	}
	cap = (size_t)e->size + 1; /* one byte more than declared, to catch a longer entry */
	b = malloc(cap + 1);
	if (!b) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory reading a package");
		goto cleanup;
	}
	if ((rc = fopen_entry(z, e, &zf, err)) < 0)
		goto cleanup;
	for (;;) {
		zip_int64_t n = zip_fread(zf, b + got, (zip_uint64_t)(cap - got));
		if (n < 0) {
			rc = read_error(zf, e, err);
			goto cleanup;
		}
		if (n == 0)
			break;
		if ((rc = count_bytes(z, e, &got, (uint64_t)n, NULL, err)) < 0)
			goto cleanup;
	}
	if (got != e->size) {
		rc = short_error(e, got, err);
		goto cleanup;
	}
	b[got] = '\0';
	*buf = b;
	*len = (size_t)got;
	b = NULL;
cleanup:
	if (zf)
		zip_fclose(zf);
	free(b);
	return rc;
}

/* ---- extraction ---- */

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP || type == FTW_D || type == FTW_DNR)
		(void)rmdir(path);
	else
		(void)unlink(path); /* files and symlinks themselves, never their targets */
	return 0;
}

/* Removes the folder path and everything in it, never following a symlink. */
static void remove_tree(const char *path)
{
	(void)nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int sys_error(const char *what, const char *name, int e, lms_err *err)
{
	return lms_err_set(err, e == ENOSPC || e == EDQUOT ? LMS_ETOOBIG : LMS_EINTERNAL,
	                   "extract_failed", name, "cannot %s \"%s\": %s", what, name,
	                   strerror(e));
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Opens (creating with mode 0755 when missing) every folder of e->name under rootfd, never
 * following a symlink; *dirfd is the innermost (rootfd itself for a top-level file, else an
 * fd to close). *base points at the file name's last component. */
static int open_parent(int rootfd, const pz_entry *e, int *dirfd, const char **base,
                       lms_err *err)
{
	char comp[PZ_COMPONENT_MAX + 1];
	const char *p = e->name, *slash;
	int cur = rootfd;

	while ((slash = strchr(p, '/')) != NULL) {
		size_t clen = (size_t)(slash - p);
		int next;
		if (clen == 0 || clen > PZ_COMPONENT_MAX) { /* excluded by the open-time checks */
			if (cur != rootfd)
				close(cur);
			return lms_err_set(err, LMS_EINTERNAL, NULL, e->name, "bad entry name");
		}
		memcpy(comp, p, clen);
		comp[clen] = '\0';
		if (mkdirat(cur, comp, 0755) < 0 && errno != EEXIST) {
			int saved = errno;
			if (cur != rootfd)
				close(cur);
			return sys_error("create the folder for", e->name, saved, err);
		}
		next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int saved = errno;
			if (cur != rootfd)
				close(cur);
			if (saved == ENOTDIR || saved == ELOOP)
				return lms_err_set(err, LMS_EINVAL, "path_conflict", e->name,
				                   "entry \"%s\" needs a folder where the package has a "
				                   "file of the same name",
				                   e->name);
			return sys_error("open the folder for", e->name, saved, err);
		}
		if (cur != rootfd)
			close(cur);
		cur = next;
		p = slash + 1;
	}
	*dirfd = cur;
	*base = p;
	return 0;
}

static int extract_one(lms_pkgzip *z, const pz_entry *e, int rootfd, char *buf,
                       uint64_t *total, lms_err *err)
{
	zip_file_t *zf = NULL;
	const char *base = NULL;
	int dirfd = -1, fd = -1, rc;
	uint64_t got = 0;

	if ((rc = open_parent(rootfd, e, &dirfd, &base, err)) < 0)
		return rc;
	fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		int saved = errno;
		if (saved == EEXIST || saved == EISDIR)
			rc = lms_err_set(err, LMS_EINVAL, "path_conflict", e->name,
			                 "entry \"%s\" collides with a folder or file of the same name",
			                 e->name);
		else
			rc = sys_error("create", e->name, saved, err);
		goto cleanup;
	}
	if ((rc = fopen_entry(z, e, &zf, err)) < 0)
		goto cleanup;
	for (;;) {
		zip_int64_t n = zip_fread(zf, buf, PZ_CHUNK);
		if (n < 0) {
			rc = read_error(zf, e, err);
			goto cleanup;
		}
		if (n == 0)
			break;
		if ((rc = count_bytes(z, e, &got, (uint64_t)n, total, err)) < 0)
			goto cleanup;
		if (write_all(fd, buf, (size_t)n) < 0) {
			rc = sys_error("write", e->name, errno, err);
			goto cleanup;
		}
	}
	if (got != e->size) {
		rc = short_error(e, got, err);
		goto cleanup;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = sys_error("write", e->name, errno, err);
		goto cleanup;
	}
	fd = -1;
	rc = 0;
cleanup:
	if (zf)
		zip_fclose(zf);
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0 && dirfd != rootfd)
		close(dirfd);
	return rc;
}

/* rename(2) that never replaces dest (an empty folder created meanwhile would be). */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A file system without RENAME_NOREPLACE: dest was checked just before. */
	return rename(from, to);
}

int lms_pkgzip_extract(lms_pkgzip *z, const char *dest, lms_err *err)
{
	char tmp[PATH_MAX];
	struct stat sb;
	bool made = false;
	char *buf = NULL;
	uint64_t total = 0;
	int rootfd = -1, rc = 0, n;
	size_t i;

	assert(z && dest);
	n = snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dest);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		rc = lms_err_set(err, LMS_EINVAL, "extract_failed", NULL,
		                 "the destination path is too long");
		goto cleanup;
	}
	if (lstat(dest, &sb) == 0 || errno != ENOENT) {
		rc = lms_err_set(err, LMS_ECONFLICT, "destination_exists", NULL,
		                 "the destination folder already exists");
		goto cleanup;
	}
	if (!mkdtemp(tmp)) {
		rc = lms_err_set(err, LMS_EINTERNAL, "extract_failed", NULL,
		                 "cannot create a temporary folder next to the destination: %s",
		                 strerror(errno));
		goto cleanup;
	}
	made = true;
	rootfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0 || fchmod(rootfd, 0755) < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, "extract_failed", NULL,
		                 "cannot open the temporary folder: %s", strerror(errno));
		goto cleanup;
	}
	buf = malloc(PZ_CHUNK);
	if (!buf) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory extracting a package");
		goto cleanup;
	}
	for (i = 0; i < z->n; i++)
		if ((rc = extract_one(z, &z->e[i], rootfd, buf, &total, err)) < 0)
			goto cleanup;
	close(rootfd);
	rootfd = -1;
	if (rename_noreplace(tmp, dest) < 0) {
		int saved = errno;
		if (saved == EEXIST || saved == ENOTEMPTY)
			rc = lms_err_set(err, LMS_ECONFLICT, "destination_exists", NULL,
			                 "the destination folder already exists");
		else
			rc = lms_err_set(err, LMS_EINTERNAL, "extract_failed", NULL,
			                 "cannot move the extracted package into place: %s",
			                 strerror(saved));
		goto cleanup;
	}
	made = false;
	rc = 0;
cleanup:
	if (rootfd >= 0)
		close(rootfd);
	if (made)
		remove_tree(tmp);
	free(buf);
	return rc;
}

int lms_pkgzip_write(const char *out, const char *root, const char *const *paths, size_t n,
                     lms_err *err)
{
	char tmp[PATH_MAX], file[PATH_MAX];
	zip_t *za = NULL;
	int zerr = 0, fd, rc = LMS_OK;
	size_t i;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", out) >= (int)sizeof(tmp))
		return lms_err_set(err, LMS_EINVAL, "path_too_long", NULL, "the output path is too long");
	/* mkstemp reserves a unique name; libzip then replaces the empty file. */
	if ((fd = mkstemp(tmp)) < 0)
		return sys_error("create", out, errno, err);
	close(fd);
	if (!(za = zip_open(tmp, ZIP_TRUNCATE, &zerr))) {
		unlink(tmp);
		return lms_err_set(err, LMS_EINTERNAL, "write_failed", NULL, "cannot create %s (libzip error %d)",
		                   out, zerr);
	}
	for (i = 0; i < n; i++) {
		zip_source_t *src;
		zip_int64_t idx;
		if (snprintf(file, sizeof(file), "%s/%s", root, paths[i]) >= (int)sizeof(file)) {
			rc = lms_err_set(err, LMS_EINVAL, "path_too_long", NULL, "path too long: %s", paths[i]);
			goto fail;
		}
		if (!(src = zip_source_file(za, file, 0, -1))) {
			rc = lms_err_set(err, LMS_EINTERNAL, "write_failed", NULL, "cannot read %s: %s", paths[i],
			                 zip_strerror(za));
			goto fail;
		}
		if ((idx = zip_file_add(za, paths[i], src, ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(src);
			rc = lms_err_set(err, LMS_EINTERNAL, "write_failed", NULL, "cannot add %s: %s", paths[i],
			                 zip_strerror(za));
			goto fail;
		}
		(void)zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
	}
	if (zip_close(za) < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, "write_failed", NULL, "cannot write %s: %s", out,
		                 zip_strerror(za));
		goto fail;
	}
	za = NULL;
	if (rename(tmp, out) < 0) {
		rc = sys_error("rename", out, errno, err);
		unlink(tmp);
	}
	return rc;
fail:
	if (za)
		zip_discard(za);
	unlink(tmp);
	return rc;
}
