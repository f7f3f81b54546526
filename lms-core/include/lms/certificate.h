/* certificate.h — rendering a certificate (giấy chứng nhận) as a one-page A4 PDF in
 * Vietnamese, with a QR code of its verification URL. docs/certificate-pdf.md.
 *
 * This is the renderer only: the serial, the verification code and URL, storage and the
 * HTTP side are the caller's. The adapter (src/certificate_pdf.c, cairo + pango +
 * libqrencode) is its own library, lms_cert_pdf, so that nothing else links pango.
 *
 * Threads: call lms_cert_pdf_init() once at start-up, before any thread renders; after
 * that lms_cert_pdf_render*() may run in several threads at once.
 */
#ifndef LMS_CERTIFICATE_H
#define LMS_CERTIFICATE_H

#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Caps in bytes of UTF-8 (without the NUL). A longer value is refused (LMS_EINVAL naming
 * the field); a value within its cap that does not fit its space on the page is wrapped
 * and then cut with "…", never drawn outside the page. */
#define LMS_CERT_NAME_MAX 500       /* learner_name, signer_name */
#define LMS_CERT_TITLE_MAX 8192     /* title: room for ~3,000 Vietnamese characters */
#define LMS_CERT_UNIT_MAX 500       /* issuer, issuer_parent, place, signer_title */
#define LMS_CERT_SHORT_MAX 64       /* employee_code, course_version, serial */
#define LMS_CERT_CODE_MAX 128       /* verify_code */
#define LMS_CERT_RESULT_MAX 200     /* result_text */
#define LMS_CERT_URL_MAX 256        /* verify_url: keeps the QR code readable at 34 mm */
#define LMS_CERT_PDF_MAX (8u << 20) /* lms_cert_pdf_render: a guard; a page is ~40 KB */

typedef enum {
	LMS_CERT_COURSE = 1,        /* "Đã hoàn thành khóa học:" */
	LMS_CERT_EXAM = 2           /* "Đã đạt kỳ kiểm tra sát hạch:" */
} lms_cert_kind;

typedef struct lms_cert_date {
	int year;                   /* 1900..2999 */
	int month;                  /* 1..12 */
	int day;                    /* 1..days of that month */
} lms_cert_date;

/* What a certificate says. All strings are borrowed UTF-8, NUL-terminated; "optional"
 * means NULL or "" leaves the line out. Text is normalised to NFC and control characters
 * become spaces before it is drawn; it is never read as markup. */
typedef struct lms_cert {
	lms_cert_kind kind;
	const char *learner_name;   /* required: "Nguyễn Thị Ánh Tuyết" */
	const char *employee_code;  /* optional */
	const char *title;          /* required: the course or exam title */
	const char *course_version; /* optional: "2.1" */
	int periods;                /* training periods (tiết), 0: not printed; 0..10000 */
	/* The result line: result_text when given ("Đạt — 8,5/10 điểm"), else made by
	 * lms_cert_format_result() from the score when has_score, else "Đạt"/"Không đạt". */
	const char *result_text;    /* optional */
	bool has_score;
	int32_t score_x100;         /* score in hundredths: 850 is 8,5 */
	int32_t max_score_x100;     /* > 0 when has_score: 1000 is 10 */
	bool passed;
	lms_cert_date completed;    /* required: the course completed or the exam passed */
	lms_cert_date issued;       /* optional (year 0): the date line; defaults to completed */
	const char *serial;         /* required: "PAR-2026-000123", printed as "Số: ..." */
	const char *verify_code;    /* required: printed as "Mã xác minh: ..." */
	const char *verify_url;     /* required: in the QR code and printed small */
	const char *issuer;         /* required: "Sở Nội vụ Thành phố Hồ Chí Minh" (in capitals) */
	const char *issuer_parent;  /* optional: the body above the issuer, printed above it */
	const char *place;          /* optional: the date line's place (Thành phố Hồ Chí Minh) */
	const char *signer_title;   /* optional: "Giám đốc" (printed in capitals) */
	const char *signer_name;    /* optional: "Đặng Văn Hưởng" */
} lms_cert;

/* Receives the PDF as it is written, in pieces of any size. Returns 0, or a negative
 * LMS_E* code that stops the rendering and is returned by lms_cert_pdf_render_to(). */
typedef int (*lms_cert_write_fn)(void *ctx, const unsigned char *data, size_t len);

/* Initialises fontconfig and checks that the certificate font (DejaVu Serif, Debian's
 * fonts-dejavu-extra) is installed and covers Vietnamese. Call once at start-up, before
 * threads start; calling it again is harmless. LMS_EUNAVAIL "cert_font_missing" when the
 * font is not there (the PDF would show boxes or another font). */
int lms_cert_pdf_init(lms_err *err);

/* Renders c as a one-page A4 landscape PDF into a new buffer: *out (free it with
 * lms_cert_pdf_free) and *out_len, set only on success. Fails with LMS_EINVAL
 * "invalid_field" naming the field (a required field missing, a value over its cap or not
 * UTF-8, an impossible date, a score out of range), LMS_ETOOBIG over LMS_CERT_PDF_MAX,
 * LMS_EINTERNAL when cairo fails or memory runs out. Safe to call from several threads at
 * once after lms_cert_pdf_init(). */
int lms_cert_pdf_render(unsigned char **out, size_t *out_len, const lms_cert *c, lms_err *err);

/* The same, handing the PDF to write(ctx, ...) as it is produced (e.g. straight into an
 * HTTP response). The input is checked before anything is written; a write that fails
 * makes this return the writer's code, with part of the PDF already written. */
int lms_cert_pdf_render_to(lms_cert_write_fn write, void *ctx, const lms_cert *c,
                           lms_err *err);

/* Frees a buffer from lms_cert_pdf_render. NULL is fine. */
void lms_cert_pdf_free(unsigned char *pdf);

/* The Vietnamese date as written in administrative documents (Decree 30/2020/NĐ-CP,
 * Appendix I: a zero before days below 10 and months 1 and 2): "ngày 15 tháng 9 năm 2025",
 * "ngày 05 tháng 01 năm 2026". LMS_EINVAL "invalid_field" (field "date") for a day that
 * does not exist; LMS_ETOOBIG if out (cap bytes) is too small (64 is always enough). */
int lms_cert_format_date(char *out, size_t cap, lms_cert_date d, lms_err *err);

/* A result with a decimal comma: "Đạt — 8,5/10 điểm", "Không đạt — 4,25/10 điểm",
 * thousands grouped with '.'. Needs 0 <= score_x100 <= max_score_x100, max_score_x100 > 0
 * (LMS_EINVAL, field "score"); LMS_ETOOBIG if out is too small (80 is always enough). */
int lms_cert_format_result(char *out, size_t cap, int32_t score_x100, int32_t max_score_x100,
                           bool passed, lms_err *err);

#endif
