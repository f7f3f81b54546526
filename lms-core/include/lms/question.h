/* question.h — question banks: the in-memory question model, grading of one response, the
 * learner's view without keys, and import/export of Moodle GIFT and Moodle XML files.
 *
 * Memory: a question and everything it points to live in an arena (arena.h); nothing here is
 * freed piecemeal. lms_question_new gives a question with Moodle's defaults; parsers fill
 * lms_qset in the caller's arena.
 *
 * Identity: options, accepted answers, matching pairs and ordering items are identified by
 * their 0-based index in the question as stored. Shuffling is only presentation: the learner's
 * view (lms_question_delivery_json) numbers what it shows by position, never by stored index,
 * and lms_question_response_from_delivered maps a response given in shown positions back to
 * stored indexes with the same layout. Grading always takes stored indexes.
 *
 * Texts are UTF-8 in NFC, trimmed of ASCII white space at both ends. The grading rules
 * (partial credit, short-answer comparison, numerical tolerance) are in
 * docs/question-formats.md and next to each declaration below.
 *
 * Nothing here does I/O, SQL or HTTP. The GIFT adapter is question_gift.c; the Moodle XML
 * adapter (libxml2, through xml_safe.h) is question_moodlexml.c.
 */
#ifndef LMS_QUESTION_H
#define LMS_QUESTION_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/jsonw.h"
#include "lms/report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits ---- */

#define LMS_Q_MAX_OPTIONS 100            /* hard ceiling of options/answers/pairs/items */
#define LMS_Q_GIFT_MAX_BYTES ((size_t)10 * 1024 * 1024)
#define LMS_Q_XML_MAX_BYTES ((size_t)50 * 1024 * 1024)
#define LMS_Q_MAX_NAME 1000              /* bytes of a question name */
#define LMS_Q_MAX_SHORT_ANSWER 1000      /* bytes of one accepted short answer */
#define LMS_Q_MAX_RESPONSE_SHORT 4096    /* bytes of a learner's short or numerical answer */
#define LMS_Q_MAX_RESPONSE_ESSAY (256 * 1024)
#define LMS_Q_MAX_TAGS 50
#define LMS_Q_MAX_TAG 100                /* bytes of one tag */
#define LMS_Q_MAX_CATEGORY 1024          /* bytes of a category path */
#define LMS_Q_MAX_FILES 20               /* attached files per text */

typedef struct lms_qlimits {
	size_t max_file_bytes;       /* the import file; default LMS_Q_GIFT_MAX_BYTES / _XML_ */
	size_t max_questions;        /* per file, default 20,000 */
	size_t max_text;             /* bytes of one text field, default 64 KiB */
	size_t max_options;          /* per question, default 100 (never above LMS_Q_MAX_OPTIONS) */
	size_t max_attachment;       /* decoded bytes of one attached file, default 2 MiB */
	size_t max_attachments_total;/* decoded bytes of all attached files, default 40 MiB */
} lms_qlimits;

/* The defaults above; max_file_bytes is LMS_Q_GIFT_MAX_BYTES (the XML parser uses
 * LMS_Q_XML_MAX_BYTES when it is left at that value or 0). */
void lms_qlimits_default(lms_qlimits *l);

/* ---- the model ---- */

typedef enum lms_qtype {
	LMS_Q_SINGLE = 1,   /* one choice; Moodle multichoice with single=true */
	LMS_Q_MULTI,        /* several choices; Moodle multichoice with single=false */
	LMS_Q_TRUEFALSE,
	LMS_Q_SHORT,        /* short answer */
	LMS_Q_NUMERICAL,
	LMS_Q_MATCHING,
	LMS_Q_ORDERING,     /* Moodle plugin qtype_ordering */
	LMS_Q_ESSAY,        /* graded by a trainer */
	LMS_Q_DESCRIPTION   /* text only, not graded */
} lms_qtype;

/* Moodle's text formats (FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN). */
typedef enum lms_qformat {
	LMS_QF_MOODLE = 0,  /* "moodle_auto_format" */
	LMS_QF_HTML,
	LMS_QF_PLAIN,
	LMS_QF_MARKDOWN
} lms_qformat;

typedef enum lms_qdifficulty {
	LMS_QD_NONE = 0,
	LMS_QD_EASY,
	LMS_QD_MEDIUM,
	LMS_QD_HARD
} lms_qdifficulty;

/* A file embedded in a text (Moodle XML <file name= path= encoding="base64">), referenced
 * from the HTML as @@PLUGINFILE@@/name (path "/") or @@PLUGINFILE@@/path/name. */
typedef struct lms_qfile {
	const char *name;            /* one path segment, no '/', no control characters */
	const char *path;            /* "/" or "/dir/" */
	const unsigned char *data;   /* decoded bytes */
	size_t size;
} lms_qfile;

typedef struct lms_qtext {
	const char *text;            /* never NULL once set by a parser; "" when empty */
	lms_qformat format;
	lms_qfile *files;
	size_t n_files;
} lms_qtext;

/* A choice (single/multi) or an accepted short answer (text is then plain, no files). */
typedef struct lms_qoption {
	lms_qtext text;
	double fraction;             /* [-1, 1]: the share of the mark this option gives */
	lms_qtext feedback;          /* shown after answering when this option was chosen */
} lms_qoption;

typedef struct lms_qnumeric {
	bool any;                    /* "*": matches any number (usually fraction 0 + feedback) */
	double value;
	double tolerance;            /* >= 0, absolute */
	double fraction;             /* [0, 1] */
	lms_qtext feedback;
} lms_qnumeric;

/* Matching: a stem and its answer. A pair with an empty stem is a distractor answer. */
typedef struct lms_qpair {
	lms_qtext stem;
	const char *answer;          /* plain text */
} lms_qpair;

typedef enum lms_qordering_grading {
	LMS_QO_ABSOLUTE_POSITION = 0, /* share of items in their right position */
	LMS_QO_ALL_OR_NOTHING         /* 1 when every item is right, else 0 */
} lms_qordering_grading;

typedef struct lms_question {
	lms_qtype type;
	const char *name;
	const char *idnumber;        /* Moodle's idnumber, "" when none */
	lms_qtext text;              /* for missing-word GIFT questions the blank is "_____" */
	lms_qtext general_feedback;
	double default_mark;         /* points, >= 0 (description: 0) */
	double penalty;              /* [0, 1]; kept for the quiz engine, not applied by grade */
	bool hidden;
	const char *category;        /* "CCHC/Thủ tục hành chính"; "" = the bank's root */
	const char **tags;           /* without the pseudo-tags below */
	size_t n_tags;
	lms_qdifficulty difficulty;  /* read and written as the tag "difficulty:easy|medium|hard" */
	bool shuffle;                /* single/multi/matching: present in a seeded random order */
	const char *answer_numbering;/* Moodle's answernumbering ("abc", "ABCD", "123", "none") */

	/* single, multi: choices; short: accepted answers */
	lms_qoption *options;
	size_t n_options;
	/* short answer */
	bool case_sensitive;         /* Moodle usecase; GIFT: the tag "case:sensitive" */
	bool diacritics_must_match;  /* default true; false: the tag "diacritics:ignore" */
	/* true/false */
	bool tf_answer;
	lms_qtext tf_feedback_true;  /* shown when the learner answered true */
	lms_qtext tf_feedback_false;
	/* numerical */
	lms_qnumeric *numerics;
	size_t n_numerics;
	/* matching */
	lms_qpair *pairs;
	size_t n_pairs;
	/* ordering: items in their correct order */
	lms_qtext *items;
	size_t n_items;
	lms_qordering_grading ordering_grading;
	/* single, multi, matching, ordering: Moodle's combined feedback */
	lms_qtext correct_feedback, partial_feedback, incorrect_feedback;
	/* essay */
	const char *response_format; /* Moodle responseformat: "editor", "plain", "noinline", ... */
	bool response_required;
	int response_lines;
	int attachments;             /* files the learner may attach (-1 = unlimited) */
	lms_qtext grader_info;       /* for the trainer, never shown to the learner */
	lms_qtext response_template;

	int line;                    /* where it starts in its source file, 0 when not from one */
} lms_question;

/* A new question of this type in a, with Moodle's defaults: default mark 1 (description 0),
 * penalty 0.3333333 (true/false 1), shuffle on, numbering "abc", diacritics must match, not
 * case-sensitive, every text "" in FORMAT_MOODLE, essay "editor" with 15 lines. */
lms_question *lms_question_new(lms_arena *a, lms_qtype type);

/* "single", "multi", "truefalse", "short", "numerical", "matching", "ordering", "essay",
 * "description"; "?" for anything else. */
const char *lms_qtype_name(lms_qtype t);
/* "moodle_auto_format", "html", "plain_text", "markdown" (Moodle XML's names). */
const char *lms_qformat_name(lms_qformat f);

/* Checks one question against the model's rules and lim (NULL: defaults): text sizes and
 * UTF-8, option counts, fractions in range, a way to full marks (single, short, numerical),
 * multi fractions whose positive part sums to 100% (±0.5%), two stems for matching, two
 * distinct items for ordering, files within caps. Returns 0, or LMS_EINVAL with err->code a
 * stable problem code (see docs/question-formats.md), err->field the member at fault
 * ("options[2]") and err->msg in English. */
int lms_question_check(const lms_question *q, const lms_qlimits *lim, lms_err *err);

/* ---- text helpers (libunistring) ---- */

/* NFC of s[0..n) into a (NUL-terminated). Returns 0, or LMS_EINVAL "text_not_utf8" when s is
 * not valid UTF-8 or contains NUL. */
int lms_qtext_nfc(lms_arena *a, const char *s, size_t n, const char **out, lms_err *err);

/* The form two short answers are compared in: NFC, white space trimmed and collapsed to one
 * space, case folded unless case_sensitive, every combining mark removed and đ/Đ made d/D
 * unless keep_diacritics. Returns 0, or LMS_EINVAL for text that is not UTF-8. */
int lms_qanswer_normalize(lms_arena *a, const char *s, bool case_sensitive, bool keep_diacritics,
                          const char **out, lms_err *err);

/* Reads a learner's number: optional sign, digits, one decimal separator ("." or ","),
 * optional exponent; white space around is ignored, nothing else is allowed ("1.234,5" and
 * "3 5" are not numbers). Returns true and sets *out when it is a finite number. */
bool lms_qnumber_parse(const char *s, double *out);

/* The shortest decimal text ('.' separator, C locale) that lms_qnumber_parse reads back as v
 * exactly ("3.5", "-0.1", "1e-05"). */
void lms_qnumber_format(double v, char out[32]);

/* A fraction read from a file as a percentage ("33.33333", "-50") snapped to Moodle's seven
 * decimal places, so that writing and reading it again gives the same double. */
double lms_qfraction_from_percent(double percent);

/* A name for a question that has none (Moodle does the same): its text without HTML tags,
 * white space collapsed, the first 80 characters; "Câu hỏi <index>" when that is empty. */
const char *lms_question_default_name(lms_arena *a, const char *text, size_t index);

/* ---- what Moodle has no field for: pseudo-tags, and category paths ---- */

/* Reads the tags the formats use for what Moodle cannot say (ASCII case-insensitive):
 * "difficulty:easy|medium|hard", "case:sensitive", "diacritics:ignore". Returns 1 when tag
 * was one of them (q updated), 0 for an ordinary tag, -1 for "difficulty:<other>" (keep it
 * as an ordinary tag and warn "difficulty_unknown"). */
int lms_question_pseudo_tag(lms_question *q, const char *tag);

/* The pseudo-tags q needs written (difficulty; "case:sensitive" and "diacritics:ignore" for a
 * short answer that sets them); returns how many were put in out. */
size_t lms_question_pseudo_tags(const lms_question *q, const char *out[3]);

/* A category path as a file gives it ("$course$/top/CCHC/Thủ tục", "top/x", "x/y") made
 * ours: the "$context$/" part and a leading "top" segment dropped, each segment trimmed,
 * then put under prefix when prefix is not NULL or "". In a. */
const char *lms_qcategory_from_file(lms_arena *a, const char *prefix, const char *path,
                                    size_t len);

/* ---- grading ---- */

typedef enum lms_rkind {
	LMS_R_NONE = 0,     /* not answered: graded 0 (a description takes only this) */
	LMS_R_CHOICE,       /* single */
	LMS_R_CHOICES,      /* multi */
	LMS_R_BOOL,         /* true/false */
	LMS_R_TEXT,         /* short, numerical, essay */
	LMS_R_PAIRS,        /* matching */
	LMS_R_ORDER         /* ordering */
} lms_rkind;

typedef struct lms_rpair {
	size_t stem;        /* index of a pair with a stem */
	size_t choice;      /* index of the pair whose answer was chosen (any pair, distractors too) */
} lms_rpair;

/* A learner's response in stored indexes; only the members of its kind are read. */
typedef struct lms_response {
	lms_rkind kind;
	size_t choice;
	const size_t *choices;
	size_t n_choices;
	bool value;
	const char *text;
	const lms_rpair *pairs;
	size_t n_pairs;
	const size_t *order;   /* stored item indexes in the order the learner put them */
	size_t n_order;
} lms_response;

/* What happened to each option/stem/item, for review. */
typedef enum lms_part_mark {
	LMS_PART_NONE = 0,  /* not chosen and not needed (or not applicable) */
	LMS_PART_RIGHT,     /* chosen and worth full credit / in the right place / right pair */
	LMS_PART_PARTIAL,   /* chosen, worth part of the mark */
	LMS_PART_WRONG,     /* chosen and worth nothing or less / wrong place / wrong pair */
	LMS_PART_MISSED     /* a positive option not chosen / a stem left unanswered */
} lms_part_mark;

typedef struct lms_grade {
	double fraction;         /* [0, 1] */
	double points;           /* fraction * default_mark */
	double max_points;       /* default_mark */
	bool needs_manual;       /* essay: a trainer grades it; fraction and points are 0 */
	bool graded;             /* false for essay and description */
	bool not_a_number;       /* numerical: the text was not a number */
	int matched;             /* short/numerical/single: stored index that decided, -1 none */
	size_t n_parts;          /* options (single/multi), pairs (matching), items (ordering) */
	unsigned char parts[LMS_Q_MAX_OPTIONS]; /* lms_part_mark per stored index */
} lms_grade;

/* Grades r against q. Pure: no allocation outside a scratch arena of its own, no I/O.
 *  - single: the chosen option's fraction, clamped to [0, 1].
 *  - multi: the sum of the chosen options' fractions, clamped to [0, 1] (Moodle's rule);
 *    choosing an option twice is an error.
 *  - true/false: 1 when r->value == tf_answer.
 *  - short: the highest fraction among accepted answers that equal the response after
 *    lms_qanswer_normalize ('*' in an accepted answer matches any run, "\*" a star).
 *  - numerical: the highest fraction among answers with |x - value| <= tolerance (plus
 *    1e-9 relative slack for binary rounding); "3,5" and "3.5" both read as 3.5.
 *  - matching: right pairs / stems (an answer text shared by two pairs counts for both).
 *  - ordering: items in their right position / items (or all-or-nothing, per the question).
 *  - essay: needs_manual, fraction 0. description: fraction 0, max_points 0.
 * A fraction within 1e-6 of 0 or 1 is snapped to it. Returns 0, or LMS_EINVAL
 * "response_shape" for a response of the wrong kind for the type, an index out of range, a
 * repeated index, an order that is not a permutation, text that is not UTF-8; LMS_ETOOBIG
 * "response_too_long" for text over LMS_Q_MAX_RESPONSE_SHORT / _ESSAY. *out is set on 0. */
int lms_question_grade(const lms_question *q, const lms_response *r, lms_grade *out,
                       lms_err *err);

/* ---- the learner's view ---- */

/* The order in which one attempt shows a question's parts. option_order[p] is the stored
 * index shown at position p (single/multi options, ordering items); stem_order and
 * choice_order likewise for matching (choices are distinct answer texts, each named by the
 * first pair that carries it). */
typedef struct lms_qlayout {
	size_t *option_order;
	size_t n_options;
	size_t *stem_order;
	size_t n_stems;
	size_t *choice_order;
	size_t n_choices;
} lms_qlayout;

/* The layout for one attempt, from a caller-given seed (store it with the attempt; draw it
 * with RAND_bytes). The same question and seed give the same layout. Options are shuffled
 * when q->shuffle; matching choices and ordering items always are, and an ordering is never
 * shown in its correct order when it has two items or more. */
int lms_question_layout(const lms_question *q, uint64_t seed, lms_arena *a, lms_qlayout *out,
                        lms_err *err);

/* Writes the question as a learner may see it, as one JSON object, into w: type, text (with
 * the names of its files), points, and per type the options / stems and choices / items,
 * each with "id" = its shown position. Never fractions, feedback, accepted answers,
 * tolerances, the true/false answer, grader information or the name. Returns 0. */
int lms_question_delivery_json(const lms_question *q, const lms_qlayout *layout, lms_jsonw *w,
                               lms_err *err);

/* Maps a response given in shown positions (as the browser sends it) to stored indexes, in a.
 * Returns 0, or LMS_EINVAL "response_shape" for a position out of range. */
int lms_question_response_from_delivered(const lms_question *q, const lms_qlayout *layout,
                                         const lms_response *shown, lms_arena *a,
                                         lms_response *out, lms_err *err);

/* ---- problems of an import or export ---- */

typedef struct lms_qproblem {
	lms_severity severity;
	const char *code;        /* stable, e.g. "type_unsupported" */
	size_t index;            /* 1-based question ordinal in the file, 0 for the whole file */
	int line;                /* 1-based, 0 when not known */
	const char *name;        /* the question's name when known, else "" */
	const char *message;     /* English, one sentence */
	const char *message_vi;  /* Vietnamese, one sentence */
} lms_qproblem;

typedef struct lms_qreport {
	lms_arena *arena;
	lms_qproblem *items;
	size_t n, cap;
	size_t errors, warnings;
	size_t max_items;        /* further problems are counted, not stored (default 1000) */
	size_t dropped;
} lms_qreport;

void lms_qreport_init(lms_qreport *r, lms_arena *a);

/* Records a problem: the English and Vietnamese sentences come from the table of codes, with
 * detail (a type name, a number, a field path; may be NULL) put in place of "{}". An unknown
 * code gets a generic sentence followed by detail. name may be NULL. */
void lms_qreport_add(lms_qreport *r, lms_severity sev, const char *code, size_t index, int line,
                     const char *name, const char *detail);

/* Copies every problem into a package-style report (report.h) against file, the message
 * prefixed with "Question N (name): " when it concerns one question. */
void lms_qreport_to_report(const lms_qreport *q, const char *file, lms_report *out);

/* ---- import and export ---- */

typedef struct lms_qset {
	lms_question **items;
	size_t n;
} lms_qset;

typedef struct lms_qimport_opts {
	lms_qlimits limits;
	/* The caller's category (e.g. from --category): the root under which every category of
	 * the file goes ("CCHC" + file's "Thủ tục" = "CCHC/Thủ tục"); NULL or "" for none. */
	const char *category;
} lms_qimport_opts;

void lms_qimport_opts_default(lms_qimport_opts *o);

/* Parses a whole GIFT file (UTF-8, with or without a BOM). Every question that could be
 * read is in *out (in a), every problem in rep (questions with an error are not in *out).
 * Returns 0 when rep has no errors; LMS_EINVAL "questions_invalid" when it has some (the
 * caller refuses the file: import is all or nothing); LMS_ETOOBIG "questions_file_too_big"
 * over limits.max_file_bytes (nothing read); LMS_EINVAL "questions_not_utf8" for bytes that
 * are not UTF-8 (every such line in rep, nothing read). *out is set in every case but the
 * last two (empty then). opts may be NULL. */
int lms_gift_parse(const char *data, size_t len, const lms_qimport_opts *opts, lms_arena *a,
                   lms_qset *out, lms_qreport *rep, lms_err *err);

/* Parses a whole Moodle XML file (<quiz><question type=...>...). Same contract as
 * lms_gift_parse; also LMS_EINVAL "questions_invalid" with the reason in rep for XML that is
 * not well-formed or is refused for safety (a DOCTYPE, entities: nothing is ever loaded), or
 * is over the element count or depth cap. A question type that is not modelled (calculated,
 * ddwtos, multianswer, ...) is an error "type_unsupported" naming the type. */
int lms_moodlexml_parse(const char *data, size_t len, const lms_qimport_opts *opts,
                        lms_arena *a, lms_qset *out, lms_qreport *rep, lms_err *err);

typedef struct lms_qwrite_opts {
	/* false (default): a question the format cannot express (GIFT: ordering) makes the writer
	 * fail; true: it is left out with a warning in rep. Either way it is reported. */
	bool skip_unsupported;
} lms_qwrite_opts;

/* Writes questions as GIFT: "$CATEGORY: $course$/top/<category>" whenever the category
 * changes, "// [id:..] [tag:..]" comments, "::name::", formats, escapes. What GIFT cannot
 * hold (points, penalty, hidden, shuffle off, files, combined feedback, numbering, essay
 * options) is reported as a warning "gift_field_lost" per question. Returns 0 with *out
 * (NUL-terminated, in a) and *out_len; LMS_EINVAL "questions_invalid" when a question fails
 * lms_question_check; LMS_EUNSUPPORTED "gift_type_unsupported" when one cannot be expressed
 * and opts->skip_unsupported is false. opts may be NULL. */
int lms_gift_write(const lms_question *const *qs, size_t n, const lms_qwrite_opts *opts,
                   lms_arena *a, lms_qreport *rep, const char **out, size_t *out_len,
                   lms_err *err);

/* Writes questions as Moodle XML, every type and field of the model, categories as category
 * questions, files base64. Returns 0 with *out and *out_len; LMS_EINVAL "questions_invalid"
 * when a question fails lms_question_check (each in rep). opts may be NULL. */
int lms_moodlexml_write(const lms_question *const *qs, size_t n, const lms_qwrite_opts *opts,
                        lms_arena *a, lms_qreport *rep, const char **out, size_t *out_len,
                        lms_err *err);

/* Initialises libxml2 once per process before threads parse (as lms_manifest_global_init). */
void lms_moodlexml_global_init(void);

#endif
