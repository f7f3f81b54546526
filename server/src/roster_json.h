/* roster_json.h — reading a roster file into lms_roster: the JSON format (cJSON lives in
 * server/, so this adapter does too); CSV is read by the core (lms_roster_parse_csv). */
#ifndef SRV_ROSTER_JSON_H
#define SRV_ROSTER_JSON_H

#include "lms/roster.h"

#include <stdbool.h>
#include <stddef.h>

/* Maximum roster file: a city of 150,000 people is about 40 MB of JSON. */
#define SRV_ROSTER_MAX_BYTES (256u << 20)

/* Reads buf[0..len) (buf[len] readable and '\0'; a UTF-8 BOM is skipped). A file that is not
 * the format fails LMS_EINVAL (field names the member); rows with wrong types go to res as
 * rejected rows and are left out of out. */
int srv_roster_from_json(const char *buf, size_t len, lms_arena *a, lms_roster *out,
                         lms_roster_result *res, lms_err *err);

struct lms_store;

/* Reads a roster file (CSV when csv, else JSON), then imports it (lms_roster_import).
 * For CSV, source and generated_at name the file (a CSV carries neither); for JSON they are
 * ignored. opts->file_sha256 is filled here. 0 with res->outcome set, or negative when the
 * file as a whole cannot be read (err says why) or the database failed. */
int srv_roster_run(struct lms_store *s, const char *buf, size_t len, bool csv,
                   const char *source, const char *generated_at, const char *scope,
                   lms_roster_opts *opts, lms_arena *a, lms_roster_result *res, lms_err *err);

#endif
