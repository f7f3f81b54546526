/* lesson.h — a PAR lesson XML 1.0 file (lesson.xml of a native parlearn package; format in
 * docs/par-lesson-format.md, schema in schemas/par-lesson/par-lesson-1.0.xsd) as plain
 * structs. The libxml2 adapter is src/lesson.c; no libxml2 type leaves it.
 *
 * What lms_lesson_parse checks, in this order (each problem into the report with the file
 * and line; see "Problem codes" below):
 *   1. size (limits.max_bytes) — before anything is parsed;
 *   2. XML safety: parsed from memory with XML_PARSE_NONET only (never NOENT, DTDLOAD,
 *      DTDVALID or HUGE); ANY DOCTYPE is refused at the parser's first sight of it, before
 *      its internal subset is read (libxml2 opens the file an external entity names even
 *      without NOENT: docs/par-lesson-format.md, "XML safety"); element count and nesting
 *      depth capped while parsing;
 *   3. the XML Schema, given as a memory buffer (every schema error, with its line);
 *   4. the rules beyond the schema that need no package file (docs/par-lesson-format.md,
 *      rules 7-12, 14-16, and the language part of rule 6).
 * The files the lesson references (rules 2 and 6) are checked by lms_lesson_check_files.
 * Rules 3-5 (the manifest's file list, file signatures, SVG content) and 13 (manifest
 * identifier and version against the lesson's code and version, version history) need the
 * package or the store and are the importer's.
 *
 * The xml.xsd import. The schema imports the XML namespace schema (for xml:lang) with
 * schemaLocation="xml.xsd". Resolved against a memory buffer, libxml2 would open "xml.xsd"
 * relative to the process's working directory (and consult /etc/xml/catalog). Instead,
 * lesson.c parses the XSD into a tree (XML_PARSE_NONET), rewrites the schemaLocation of
 * that one import to the URN "urn:parlearn:embedded:xml.xsd", and serves that URN from a
 * copy of schemas/par-lesson/xml.xsd compiled into lesson.c, through an external entity
 * loader installed once per process (libxml2 2.9 has no per-context resource loader). The
 * loader answers that URN only and passes every other request to the loader it replaced,
 * so nothing else changes. No file or network access happens while compiling the schema.
 *
 * Problem codes (severity: E error, W warning). Parsing and safety: lesson_too_big (E, over
 * max_bytes), xml_doctype (E, any DOCTYPE or entity declaration), xml_too_many_nodes (E),
 * xml_too_deep (E), xml_not_well_formed (E), encoding_not_utf8 (W).
 * Schema: schema_invalid (E, one per libxml2 message, with its line), not_a_lesson (E, the
 * root is not <course> in urn:parlearn:par-lesson:1.0; nothing more is checked).
 * Beyond the schema (rule numbers of docs/par-lesson-format.md):
 *   id_duplicate (E, 7)            an id of a module, lesson, page, question or quiz is
 *                                  used twice: "page id p1 is used twice (lines 12 and 30)";
 *   choice_id_duplicate (E)        two choices of one question share an id;
 *   quiz_ref_unresolved (E, 9)     a question-ref names nothing;
 *   quiz_ref_not_question (E, 9)   a question-ref names a page, lesson, module or quiz;
 *   quiz_ref_duplicate (E)         a question listed twice in one quiz;
 *   quiz_no_points (E, 9)          a quiz whose resolved questions total 0 points;
 *   single_choice_correct (E, 9)   a single-choice without exactly one correct choice;
 *   multiple_choice_no_correct (E, 9);
 *   short_answer_duplicate (E, 9)  two accepted answers equal after trimming, collapsing
 *                                  spaces and (unless case-sensitive) case folding;
 *   title_language_duplicate (E, 10) two titles of one element in one language (a title
 *                                  without xml:lang is in the inherited language);
 *   title_missing (E, 10)          a course, module, lesson or page with no title in the
 *                                  course language;
 *   video_captions_language (W, 6) no track in the course language;
 *   alt_placeholder (W, 8)         alt text is the file name or a placeholder (hình, ảnh,
 *                                  image, picture...);
 *   lesson_par_area_outside (W, 11);
 *   minimum_time_over_duration (W, 12), quiz_time_limit_long (W, 12, over 3 hours);
 *   text_not_nfc (W, 14)           combining diacritical marks (U+0300-U+036F) found, as
 *                                  decomposed Vietnamese typing leaves (reported once);
 *   link_not_https (W, 15);
 *   too_many_pages (E, 16, > 500), too_many_questions (E, 16, > 2000);
 *   duration_out_of_range (E)      a duration too large for int64 seconds.
 * lms_lesson_check_files: media_file_missing (E, 2), captions_file_missing (E, 2 and 6),
 *   media_file_case (E, 2: exists only with other letter case).
 *
 * All strings of the result live in the arena passed to the parser.
 */
#ifndef LMS_LESSON_H
#define LMS_LESSON_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/manifest.h"
#include "lms/report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LMS_LESSON_NS "urn:parlearn:par-lesson:1.0"
#define LMS_LESSON_MAX_PAGES 500
#define LMS_LESSON_MAX_QUESTIONS 2000
#define LMS_LESSON_MAX_PAR_AREAS 7

typedef enum lms_audience {
	LMS_AUDIENCE_UNKNOWN = 0, /* only in a partial view of an invalid lesson */
	LMS_AUDIENCE_LEADER = 1,  /* cán bộ, công chức lãnh đạo */
	LMS_AUDIENCE_STAFF = 2,   /* công chức, viên chức */
	LMS_AUDIENCE_ALL = 3
} lms_audience;

typedef enum lms_media_kind {
	LMS_MEDIA_IMAGE = 0,    /* img/@src, image/@src */
	LMS_MEDIA_AUDIO = 1,    /* audio/@src */
	LMS_MEDIA_VIDEO = 2,    /* video/@src */
	LMS_MEDIA_POSTER = 3,   /* video/@poster */
	LMS_MEDIA_CAPTIONS = 4, /* track/@src (WebVTT) */
	LMS_MEDIA_LINK = 5      /* a/@href naming a package file (fragment removed) */
} lms_media_kind;

/* One screen, in reading order. Titles are in the course language. */
typedef struct lms_lesson_page {
	const char *id;
	const char *title;
	const char *module_id, *module_title;
	const char *lesson_id, *lesson_title;
	size_t module_index, lesson_index; /* into the modules and units arrays */
	int line;
} lms_lesson_page;

/* A file the lesson refers to: a package path (checked against the package path grammar
 * of the schema, so never absolute, never "..", at most 255 bytes). */
typedef struct lms_lesson_media {
	const char *path;
	lms_media_kind kind;
	const char *page_id;  /* the page it sits in */
	int line;
} lms_lesson_media;

typedef struct lms_lesson_quiz {
	const char *id;
	const char *lesson_id;
	size_t lesson_index;      /* into lms_lesson.units */
	double passing_score;     /* percent of total_points, 0-100 */
	int64_t max_attempts;     /* 0 = unlimited */
	int64_t time_limit_s;     /* 0 = none */
	bool shuffle_questions;
	const char **question_ids; /* in order */
	size_t n_questions;
	double total_points;      /* sum of the points of the questions it names */
	int line;
} lms_lesson_quiz;

typedef struct lms_lesson_module {
	const char *id;
	const char *title;
	size_t n_units;
	int line;
} lms_lesson_module;

/* A lesson of the course (the unit a learner completes; one SCO when exported). */
typedef struct lms_lesson_unit {
	const char *id;
	const char *title;
	size_t module_index;
	int64_t duration_s;       /* 0 when absent */
	int64_t minimum_time_s;   /* 0 when absent */
	size_t first_page, n_pages; /* a range of lms_lesson.pages */
	const lms_lesson_quiz *quiz; /* NULL when the lesson has none */
	int line;
} lms_lesson_unit;

typedef struct lms_lesson {
	const char *identifier;  /* course/@code, stable across versions */
	const char *version;     /* course/@version ("1.0.0") */
	const char *language;    /* course/@xml:lang, default "vi" */
	const char *title;       /* in the course language */
	const char *title_vi, *title_en; /* NULL when absent */
	const char *description; /* in the course language, or NULL */
	const char *par_area;    /* the main PAR area code (the first), e.g. "leadership" */
	const char *par_areas[LMS_LESSON_MAX_PAR_AREAS];
	size_t n_par_areas;
	lms_audience audience;
	int64_t duration_s;      /* expected time */
	int64_t minimum_time_s;  /* 0 = no minimum */
	int training_periods;    /* tiết, 1-1000 */
	/* Passing score: the format puts one on each lesson's quiz (quizzes[i].passing_score),
	 * not on the course. */
	size_t n_modules, n_lessons, n_pages, n_questions, n_quizzes, n_media;
	lms_lesson_module *modules;
	lms_lesson_unit *units;  /* n_lessons */
	lms_lesson_page *pages;
	lms_lesson_quiz *quizzes;
	lms_lesson_media *media;
} lms_lesson;

/* A compiled schema, shareable by threads (each parse makes its own validation context).
 * Compile it once at start-up; compiling takes milliseconds. */
typedef struct lms_lesson_schema lms_lesson_schema;

/* Initialises libxml2 (xmlInitParser) and installs the xml.xsd loader (see the top of this
 * file). Call once in main() before threads start; the other functions also call it
 * (through pthread_once), which is safe but racy against libxml2 users in other threads. */
void lms_lesson_global_init(void);

/* The lesson limits of docs/par-lesson-format.md rule 16: 8 MiB, 100,000 elements,
 * depth 64. */
void lms_lesson_limits_default(lms_manifest_limits *l);

/* Compiles the PAR lesson XSD held in xsd[0..len) (the bytes of
 * schemas/par-lesson/par-lesson-1.0.xsd). Returns 0 with *out set, or LMS_EINTERNAL
 * "lesson_schema_unusable" (err says why) when it does not compile; never reads a file or
 * the network. */
int lms_lesson_schema_new(const char *xsd, size_t len, lms_lesson_schema **out, lms_err *err);
void lms_lesson_schema_free(lms_lesson_schema *s); /* NULL is fine */

/* Parses and checks xml[0..len), reporting problems against file (default "lesson.xml").
 * limits NULL: lms_lesson_limits_default. Returns:
 *   0             the lesson is usable (warnings allowed), *out set;
 *   LMS_EINVAL    "lesson_invalid": errors in the report; *out is a partial view when the
 *                 document was well-formed with a <course> root (so lms_lesson_check_files
 *                 can still add its findings), else NULL;
 *   LMS_ETOOBIG   "lesson_too_big": over a size, element or depth limit; *out NULL;
 *   LMS_EINTERNAL libxml2 could not allocate a context; *out NULL.
 * A partial view never holds a media path outside the package path grammar. */
int lms_lesson_parse_with(const char *xml, size_t len, const char *file,
                          const lms_lesson_schema *schema, const lms_manifest_limits *limits,
                          lms_arena *a, lms_report *report, lms_lesson **out, lms_err *err);

/* lms_lesson_parse_with with a schema compiled from xsd[0..xsd_len) for this call only (an
 * unusable schema: LMS_EINTERNAL "lesson_schema_unusable", nothing reported). */
int lms_lesson_parse(const char *xml, size_t len, const char *file, const char *xsd,
                     size_t xsd_len, const lms_manifest_limits *limits, lms_arena *a,
                     lms_report *report, lms_lesson **out, lms_err *err);

/* Rules 2 and 6 against the package: every referenced file (l->media) exists, with exactly
 * that name — media_file_missing, or captions_file_missing for a track's .vtt; a match
 * only in another letter case is media_file_case; each path is reported once, at its first
 * line. exists is only ever given paths of the package path grammar. Problems are added to
 * report (its arena holds their text). */
void lms_lesson_check_files(const lms_lesson *l, const char *file, lms_file_exists_fn exists,
                            void *ud, lms_report *report);

#endif
