/* package_zip.h — reading a course package's zip file safely (libzip adapter).
 *
 * Opening checks the whole central directory before anything is read: entry names (no "..",
 * absolute paths, drive letters, backslashes, NUL or control characters, names that are not
 * UTF-8), symlinks and other non-regular entries, duplicate names (also after case folding,
 * which would collide on case-insensitive file systems — a warning), encrypted entries, and
 * the limits: number of entries, total and per-entry uncompressed size, per-entry
 * compression ratio (zip bombs). Every problem goes into the report with the entry's name;
 * any error makes lms_pkgzip_open fail with LMS_EINVAL and nothing is extracted.
 *
 * Extraction streams each entry to disk in bounded chunks, counting the bytes actually
 * produced (a zip may lie about sizes) and stopping at the limits; it writes into a fresh
 * temporary folder next to the destination and renames it into place only when every entry
 * succeeded, so a rejected package leaves nothing behind.
 */
#ifndef LMS_PACKAGE_ZIP_H
#define LMS_PACKAGE_ZIP_H

#include "lms/error.h"
#include "lms/report.h"

#include <stddef.h>
#include <stdint.h>

typedef struct lms_pkgzip lms_pkgzip;

typedef struct lms_pkgzip_limits {
	size_t max_entries;       /* default 20,000 */
	uint64_t max_total_bytes; /* uncompressed, default 2 GiB */
	uint64_t max_entry_bytes; /* uncompressed, default 1 GiB */
	unsigned max_ratio;       /* uncompressed / compressed per entry, default 200 */
	size_t max_name_bytes;    /* default 512 */
} lms_pkgzip_limits;

void lms_pkgzip_limits_default(lms_pkgzip_limits *l);

/* Opens path and checks every entry (see above). On success *out is the open package;
 * problems (warnings, or errors on failure) are in report. LMS_EINVAL "package_rejected"
 * when any error was found; LMS_EUNSUPPORTED "not_a_zip" when the file is not a zip at all
 * (also reported). */
int lms_pkgzip_open(const char *path, const lms_pkgzip_limits *limits, lms_report *report,
                    lms_pkgzip **out, lms_err *err);
void lms_pkgzip_close(lms_pkgzip *z); /* NULL is fine */

/* The regular files of the package (directories are not listed), in central-directory
 * order, with their names normalised (no leading "./", "/" separators). */
size_t lms_pkgzip_count(const lms_pkgzip *z);
const char *lms_pkgzip_name(const lms_pkgzip *z, size_t i);
uint64_t lms_pkgzip_size(const lms_pkgzip *z, size_t i);

/* Index of the entry named name (exact), or -1. */
long lms_pkgzip_find(const lms_pkgzip *z, const char *name);
/* Index of the entry named name ignoring ASCII case, or -1 (for lenient lookups; the
 * caller reports the case difference as a warning). */
long lms_pkgzip_find_nocase(const lms_pkgzip *z, const char *name);

/* Reads entry i into a malloc'd, NUL-terminated buffer (*len excludes the NUL); fails with
 * LMS_ETOOBIG past max bytes. The caller frees *buf. */
int lms_pkgzip_read(lms_pkgzip *z, size_t i, size_t max, char **buf, size_t *len,
                    lms_err *err);

/* Extracts every file under dest (which must not exist yet; its parent must), as described
 * above. On failure nothing is left at dest or in the temporary folder. */
int lms_pkgzip_extract(lms_pkgzip *z, const char *dest, lms_err *err);

/* Writes the files paths[0..n) of the folder root (relative paths with "/" separators) into a
 * new zip at out, deflated, in the order given. The zip is written next to out under a
 * temporary name and renamed over out only when complete. */
int lms_pkgzip_write(const char *out, const char *root, const char *const *paths, size_t n,
                     lms_err *err);

#endif
