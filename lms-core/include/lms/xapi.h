/* xapi.h — a training-record event as an xAPI 1.0.3 statement, for a Learning Record Store:
 * docs/personnel-sync.md, section "xAPI". Pure: the caller fills lms_xapi_event from the
 * outbox row and sends the result; this module does no I/O, keeps no state and holds no
 * secret. The event has no PIN field and the statement names the person by employee_code
 * only (an xAPI account, never an e-mail).
 *
 * The statement id is a name-based UUID, version 5 (RFC 9562 section 5.5, SHA-1), of the
 * event_id's bytes in the namespace LMS_XAPI_NAMESPACE, so a statement sent again is the same
 * statement and the LRS answers 204 (same content) or 409 (already has it). The namespace is
 * itself uuid5(NAMESPACE_URL, "urn:parlearn:xapi:statement:1"); it must never change, or every
 * statement already sent would get a new id. Anyone can recompute an id, e.g. in Python:
 *     uuid.uuid5(uuid.UUID("4e9a40c6-26f8-598e-a1a0-852903f04925"), "cmp_123")
 */
#ifndef LMS_XAPI_H
#define LMS_XAPI_H

#include "lms/arena.h"
#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* parlearn's namespace for statement ids (see above). */
#define LMS_XAPI_NAMESPACE "4e9a40c6-26f8-598e-a1a0-852903f04925"
#define LMS_XAPI_UUID_LEN 36          /* "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx", lowercase */
#define LMS_XAPI_URL_MAX 512          /* the longest homePage or PUBLIC_URL accepted */
#define LMS_XAPI_TITLE_MAX 300        /* code points, as training-record.schema.json */

typedef enum {
	LMS_XAPI_NULL = 0,                 /* JSON null: the course has no pass mark */
	LMS_XAPI_FALSE = 1,
	LMS_XAPI_TRUE = 2
} lms_xapi_tristate;

/* One event, as the members of training-record.schema.json. Strings are borrowed, UTF-8 and
 * NUL-terminated; NULL means absent (or JSON null). occurred_at is not part of the statement
 * (an LRS records its own "stored" time) and is not checked. */
typedef struct lms_xapi_event {
	const char *event_id;          /* ^[A-Za-z0-9._-]{1,64}$ */
	const char *kind;              /* "course_completion", "exam_result", "certificate_issued",
	                                  "certificate_revoked" */
	const char *occurred_at;
	const char *employee_code;     /* a code (1-32 of A-Z a-z 0-9 . _ -) */
	const char *unit_code;         /* a code */
	const char *course_code;       /* course_completion: a code */
	int64_t course_version;        /* course_completion: >= 1 */
	const char *exam_code;         /* exam_result: a code */
	const char *title;             /* 1..300 code points of UTF-8 */
	const char *completed_at;      /* RFC 3339 with an offset: "2025-09-15T10:42:07+07:00" */
	const char *passed_at;         /* exam_result: RFC 3339 when passed, NULL when failed */
	lms_xapi_tristate passed;      /* exam_result: TRUE or FALSE, never NULL */
	bool has_score;
	double score;                  /* scaled, 0 to 1, when has_score */
	int64_t active_time_s;         /* >= 0 */
	bool has_reported_time;
	int64_t reported_time_s;       /* >= 0, when has_reported_time */
	bool has_training_periods;     /* required for course_completion */
	int64_t training_periods;      /* >= 0, when has_training_periods */
} lms_xapi_event;

typedef struct lms_xapi_config {
	const char *actor_home_page;   /* the personnel system's URL: http(s)://..., the account's
	                                  homePage, written as given */
	const char *public_url;        /* parlearn's PUBLIC_URL, http(s)://host[:port][/path], no
	                                  query or fragment; one trailing '/' is dropped */
} lms_xapi_config;

typedef struct lms_xapi_statement {
	char id[LMS_XAPI_UUID_LEN + 1];  /* the statement id: PUT /statements?statementId=<id> */
	const char *json;                /* compact UTF-8 JSON, NUL-terminated, in the arena */
	size_t json_len;
} lms_xapi_statement;

/* Builds the statement of one event (docs/personnel-sync.md, "xAPI"):
 *   id         lms_xapi_statement_id(event_id)
 *   actor      {"objectType":"Agent","account":{"homePage":<actor_home_page>,"name":<employee_code>}}
 *   verb       .../verbs/completed (course_completion), .../verbs/passed or .../verbs/failed
 *              (exam_result), with an en-US display
 *   object     Activity <public_url>/xapi/course/<course_code>/<course_version> (type .../activities/course)
 *              or <public_url>/xapi/exam/<exam_code> (type .../activities/assessment),
 *              definition.name {"vi-VN": title}
 *   result     completion true; success = passed (absent when NULL); score.scaled = score
 *              (absent without one); duration = active_time_s as ISO 8601 (lms_xapi_duration)
 *   timestamp  completed_at; an exam passed: passed_at
 *   context.extensions  <public_url>/xapi/ext/unit_code (string), .../training_periods and
 *              .../reported_time_s (integers, each absent when the event has none)
 * On success fills *out (the JSON in arena a) and returns 0; *out is untouched on failure.
 * Fails with:
 *   LMS_EUNSUPPORTED "xapi_not_sent" (field "kind") for certificate_issued and
 *     certificate_revoked: no common xAPI verb, not sent in version 1; the caller marks the
 *     event skipped. Checked before the other members.
 *   LMS_EINVAL "invalid_field" with err->field naming the member (or "config.public_url",
 *     "config.actor_home_page") that is missing or malformed, including an unknown kind,
 *     and members of the other kind (an exam_code on a course completion). */
int lms_xapi_statement_build(lms_xapi_statement *out, lms_arena *a, const lms_xapi_event *ev,
                             const lms_xapi_config *cfg, lms_err *err);

/* The statement id of an event: uuid5(LMS_XAPI_NAMESPACE, event_id), lowercase, into
 * out[LMS_XAPI_UUID_LEN + 1]. LMS_EINVAL (field "event_id") when event_id does not match
 * ^[A-Za-z0-9._-]{1,64}$; LMS_EINTERNAL if OpenSSL cannot hash. */
int lms_xapi_statement_id(char out[LMS_XAPI_UUID_LEN + 1], const char *event_id, lms_err *err);

/* A name-based UUID version 5 (RFC 9562 section 5.5): SHA-1 of the namespace's 16 bytes
 * followed by name[0..name_len), version 5 and the RFC 4122 variant. namespace_uuid is the
 * 36-character text form (either case). LMS_EINVAL (field "namespace") when it is not a UUID;
 * LMS_EINTERNAL if OpenSSL cannot hash. */
int lms_xapi_uuid5(char out[LMS_XAPI_UUID_LEN + 1], const char *namespace_uuid,
                   const char *name, size_t name_len, lms_err *err);

/* seconds (>= 0) as an ISO 8601 duration with hours, minutes and seconds, leaving out the
 * zero parts: 0 → "PT0S", 59 → "PT59S", 3600 → "PT1H", 2712 → "PT45M12S", 3723 →
 * "PT1H2M3S". Hours are not folded into days (a day is not always 24 hours in ISO 8601).
 * Returns the length written, or -1 when seconds < 0 or cap is too small (out then holds "").
 * 32 bytes are always enough. */
int lms_xapi_duration(char *out, size_t cap, int64_t seconds);

#endif
