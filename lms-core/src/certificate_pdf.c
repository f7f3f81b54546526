/* certificate_pdf.c — the certificate renderer (certificate.h): one A4 landscape page in
 * Vietnamese, drawn with cairo's PDF surface, laid out and shaped with pango (stacked
 * Vietnamese diacritics, line breaking), with a QR code from libqrencode drawn as
 * rectangles. docs/certificate-pdf.md has the layout and how to change the wording.
 *
 * Invariants: every string is checked (present, within its cap, UTF-8) before anything is
 * drawn; user text goes to pango_layout_set_text, never to markup; each text block has a
 * width and a maximum number of lines and ends in "…" when it does not fit, so nothing is
 * drawn outside the page whatever the input (tests/unit/test_certificate_pdf.c renders
 * every field at its cap and checks where each word lands).
 *
 * Threads: every call makes its own surface, cairo context, pango context and layout.
 * pango_cairo_create_context() uses the calling thread's own default font map (per thread
 * since pango 1.32.6, freed when the thread ends); fontconfig is initialised once by
 * lms_cert_pdf_init() before threads start. libqrencode is built thread-safe by Debian.
 *
 * Not here: serials, codes, storage, HTTP, revocation (shown by GET /verify, not in the
 * PDF, which is never re-rendered).
 */
#include "lms/certificate.h"

#include "lms/validate.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The font: a serif reads as official. DejaVu Serif (fonts-dejavu-extra) has every
 * precomposed Vietnamese letter, so the PDF's text layer is plain NFC. */
#define CERT_FONT "DejaVu Serif"
#define DEFAULT_PLACE "Thành phố Hồ Chí Minh"

/* A4 landscape in PDF points (297 x 210 mm). */
#define PAGE_W 841.89
#define PAGE_H 595.28

static atomic_bool cert_ready;

/* ---- dates and results ------------------------------------------------------------ */

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool date_ok(lms_cert_date d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (d.year < 1900 || d.year > 2999 || d.month < 1 || d.month > 12 || d.day < 1)
		return false;
	return d.day <= mdays[d.month - 1] + (d.month == 2 && leap_year(d.year) ? 1 : 0);
}

static int format_date(char *out, size_t cap, lms_cert_date d, const char *field,
                       lms_err *err)
{
	int n;

	if (!date_ok(d))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
		                   "ngày không hợp lệ (a date between 1900 and 2999 that exists)");
	/* Decree 30/2020/NĐ-CP, Appendix I: days below 10 and the months 1 and 2 take a 0. */
	n = snprintf(out, cap, "ngày %02d tháng %s%d năm %d", d.day, d.month <= 2 ? "0" : "",
	             d.month, d.year);
	if (n < 0 || (size_t)n >= cap)
		return lms_err_set(err, LMS_ETOOBIG, "internal", field, "date buffer too small");
	return LMS_OK;
}

int lms_cert_format_date(char *out, size_t cap, lms_cert_date d, lms_err *err)
{
	return format_date(out, cap, d, "date", err);
}

/* Appends v/100 with a decimal comma and '.' between thousands: 850 -> "8,5". */
static void put_decimal(GString *s, int32_t v)
{
	char digits[16];
	int32_t whole = v / 100, frac = v % 100;
	int n = snprintf(digits, sizeof(digits), "%d", (int)whole);

	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			g_string_append_c(s, '.');
		g_string_append_c(s, digits[i]);
	}
	if (frac == 0)
		return;
	if (frac % 10 == 0)
		g_string_append_printf(s, ",%d", (int)(frac / 10));
	else
		g_string_append_printf(s, ",%02d", (int)frac);
}

int lms_cert_format_result(char *out, size_t cap, int32_t score_x100, int32_t max_score_x100,
                           bool passed, lms_err *err)
{
	GString *s;
	int rc = LMS_OK;

	if (max_score_x100 <= 0 || score_x100 < 0 || score_x100 > max_score_x100)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "score",
		                   "điểm không hợp lệ (0 <= score <= max, max > 0)");
	s = g_string_new(passed ? "Đạt — " : "Không đạt — ");
	put_decimal(s, score_x100);
	g_string_append_c(s, '/');
	put_decimal(s, max_score_x100);
	g_string_append(s, " điểm");
	if (s->len >= cap)
		rc = lms_err_set(err, LMS_ETOOBIG, "internal", "score", "result buffer too small");
	else
		memcpy(out, s->str, s->len + 1);
	g_string_free(s, TRUE);
	return rc;
}

/* ---- input ------------------------------------------------------------------------ */

/* The checked, display-ready copies of the input (g_malloc'd; NULL when left out). */
typedef struct cert_text {
	char *name, *employee_code, *title, *version, *result, *serial, *code, *url;
	char *issuer, *issuer_parent, *place, *signer_title, *signer_name;
	char date_completed[64], date_issued[64];
	lms_cert_date issued;
} cert_text;

static void cert_text_free(cert_text *t)
{
	char **all[] = { &t->name, &t->employee_code, &t->title, &t->version, &t->result,
	                 &t->serial, &t->code, &t->url, &t->issuer, &t->issuer_parent,
	                 &t->place, &t->signer_title, &t->signer_name };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		g_free(*all[i]);
		*all[i] = NULL;
	}
}

/* Checks s (present when required, at most cap bytes, UTF-8) and makes the copy that is
 * drawn: NFC, control and line/paragraph separators as spaces, format characters (bidi
 * overrides, zero-width) dropped so the text shown is the text stored, runs of spaces
 * collapsed, trimmed, in capitals when upper. *out is NULL for an optional empty value. */
static int take_text(char **out, const char *field, const char *s, size_t cap, bool required,
                     bool upper, lms_err *err)
{
	size_t len;
	char *nfc = NULL;
	GString *clean = NULL;
	bool space = false;

	*out = NULL;
	len = s ? strnlen(s, cap + 1) : 0;
	if (len > cap)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
		                   "quá dài (at most %zu bytes)", cap);
	if (!lms_utf8_valid(s ? s : "", len))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
		                   "không phải UTF-8 hợp lệ (not valid UTF-8)");
	nfc = len ? g_utf8_normalize(s, (gssize)len, G_NORMALIZE_NFC) : NULL;
	clean = g_string_sized_new(len + 1);
	for (char *p = nfc; p && *p; p = g_utf8_next_char(p)) {
		gunichar ch = g_utf8_get_char(p);
		GUnicodeType type = g_unichar_type(ch);
		if (type == G_UNICODE_FORMAT)
			continue;
		if (g_unichar_isspace(ch) || type == G_UNICODE_CONTROL ||
		    type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR) {
			space = clean->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(clean, ' ');
		space = false;
		g_string_append_unichar(clean, ch);
	}
	g_free(nfc);
	if (clean->len == 0) {
		g_string_free(clean, TRUE);
		if (required)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
			                   "bắt buộc (required)");
		return LMS_OK;
	}
	if (upper) {
		*out = g_utf8_strup(clean->str, (gssize)clean->len);
		g_string_free(clean, TRUE);
	} else {
		*out = g_string_free(clean, FALSE);
	}
	return LMS_OK;
}

static int take_all(cert_text *t, const lms_cert *c, lms_err *err)
{
	char result[LMS_CERT_RESULT_MAX + 1];
	int rc;

	if (c->kind != LMS_CERT_COURSE && c->kind != LMS_CERT_EXAM)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "kind",
		                   "loại giấy chứng nhận không hợp lệ (course or exam)");
	if (c->periods < 0 || c->periods > 10000)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "periods",
		                   "số tiết không hợp lệ (0..10000)");
	const struct {
		char **out;
		const char *field, *in;
		size_t cap;
		bool required, upper;
	} fields[] = {
		{ &t->name, "learner_name", c->learner_name, LMS_CERT_NAME_MAX, true, false },
		{ &t->employee_code, "employee_code", c->employee_code, LMS_CERT_SHORT_MAX, false,
		  false },
		{ &t->title, "title", c->title, LMS_CERT_TITLE_MAX, true, false },
		{ &t->version, "course_version", c->course_version, LMS_CERT_SHORT_MAX, false,
		  false },
		{ &t->result, "result_text", c->result_text, LMS_CERT_RESULT_MAX, false, false },
		{ &t->serial, "serial", c->serial, LMS_CERT_SHORT_MAX, true, false },
		{ &t->code, "verify_code", c->verify_code, LMS_CERT_CODE_MAX, true, false },
		{ &t->url, "verify_url", c->verify_url, LMS_CERT_URL_MAX, true, false },
		{ &t->issuer, "issuer", c->issuer, LMS_CERT_UNIT_MAX, true, true },
		{ &t->issuer_parent, "issuer_parent", c->issuer_parent, LMS_CERT_UNIT_MAX, false,
		  true },
		{ &t->place, "place", c->place, LMS_CERT_UNIT_MAX, false, false },
		{ &t->signer_title, "signer_title", c->signer_title, LMS_CERT_UNIT_MAX, false,
		  true },
		{ &t->signer_name, "signer_name", c->signer_name, LMS_CERT_NAME_MAX, false, false },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if ((rc = take_text(fields[i].out, fields[i].field, fields[i].in, fields[i].cap,
		                    fields[i].required, fields[i].upper, err)) < 0)
			return rc;
	/* The URL goes into the QR code as it is: only printable ASCII, no spaces. */
	for (const char *p = c->verify_url; *p; p++)
		if (*p <= ' ' || *p > '~')
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "verify_url",
			                   "URL chỉ gồm ký tự ASCII in được "
			                   "(printable ASCII, no spaces)");
	if (!t->result && c->has_score) {
		if ((rc = lms_cert_format_result(result, sizeof(result), c->score_x100,
		                                 c->max_score_x100, c->passed, err)) < 0)
			return rc;
		t->result = g_strdup(result);
	} else if (!t->result) {
		t->result = g_strdup(c->passed ? "Đạt" : "Không đạt");
	}
	if ((rc = format_date(t->date_completed, sizeof(t->date_completed), c->completed,
	                      "completed", err)) < 0)
		return rc;
	t->issued = c->issued.year == 0 && c->issued.month == 0 && c->issued.day == 0
	                    ? c->completed : c->issued;
	return format_date(t->date_issued, sizeof(t->date_issued), t->issued, "issued", err);
}

/* ---- drawing ---------------------------------------------------------------------- */

typedef struct pen {
	cairo_t *cr;
	PangoLayout *layout;
	bool dry;                    /* measure only */
} pen;

typedef struct style {
	double size;                 /* points */
	PangoWeight weight;
	PangoStyle slant;
	double r, g, b;
	const char *family;          /* NULL: CERT_FONT */
} style;

#define INK 0.1, 0.1, 0.1
static const style S_HEAD = { 11.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_HEAD_B = { 11.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_NATION = { 12, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_MOTTO = { 12.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_TITLE = { 30, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, 0.65, 0.08, 0.08, NULL };
static const style S_BODY = { 13.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_BODY_B = { 13.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_NAME = { 18, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_COURSE = { 17, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, 0.08, 0.2, 0.45, NULL };
static const style S_NOTE = { 11.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC, 0.2, 0.2, 0.2, NULL };
static const style S_PLACE = { 12.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC, INK, NULL };
static const style S_SIGN = { 12.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_CODE = { 11, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, INK, NULL };
static const style S_SMALL = { 9, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, 0.25, 0.25, 0.25, NULL };
static const style S_URL = { 9, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, 0.25, 0.25, 0.25,
                             CERT_FONT " Condensed" };

/* The page's columns (points). The national header and the signer share the right one. */
#define FRAME 24.0
#define LEFT_X 40.0
#define LEFT_W 340.0
#define RIGHT_X 440.0
#define RIGHT_W 370.0
#define BODY_X 70.0
#define BODY_W (PAGE_W - 2 * BODY_X)
#define FOOTER_Y 410.0           /* where the signer block starts at the earliest */
#define QR_SIZE 96.0             /* 34 mm */
#define QR_X 44.0
#define QR_Y (PAGE_H - 44.0 - QR_SIZE)
#define QR_TEXT_X (QR_X + QR_SIZE + 8)
#define QR_TEXT_W (RIGHT_X - 8 - QR_TEXT_X)

static PangoFontDescription *font_of(const style *st)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family_static(fd, st->family ? st->family : CERT_FONT);
	pango_font_description_set_weight(fd, st->weight);
	pango_font_description_set_style(fd, st->slant);
	/* Absolute: in user units, which are PDF points, whatever pango's resolution. */
	pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
	return fd;
}

static void attr_from(PangoAttrList *attrs, PangoAttribute *a, guint start)
{
	a->start_index = start;
	pango_attr_list_insert(attrs, a);
}

/* Lays out label (in st) followed by value (in value_st, when given) as one paragraph in
 * a box width wide at (x, y): at most max_lines lines, the last cut with "…", no hyphen
 * added where a word is broken (a hyphen inside a URL or a name would change it). Draws it
 * unless the pen is dry; returns its height. */
static double block(pen *p, const style *st, const char *label, const style *value_st,
                    const char *value, double x, double y, double width, PangoAlignment align,
                    int max_lines, PangoWrapMode wrap)
{
	PangoFontDescription *fd = font_of(st);
	PangoAttrList *attrs = pango_attr_list_new();
	GString *s = g_string_new(label);
	int w = 0, h = 0;

	attr_from(attrs, pango_attr_insert_hyphens_new(FALSE), 0);
	if (value) {
		guint start = (guint)s->len;
		g_string_append(s, value);
		attr_from(attrs, pango_attr_weight_new(value_st->weight), start);
		attr_from(attrs, pango_attr_size_new_absolute((int)(value_st->size * PANGO_SCALE)),
		          start);
		attr_from(attrs, pango_attr_style_new(value_st->slant), start);
		attr_from(attrs, pango_attr_foreground_new((guint16)(value_st->r * 65535),
		                                           (guint16)(value_st->g * 65535),
		                                           (guint16)(value_st->b * 65535)), start);
	}
	pango_layout_set_font_description(p->layout, fd);
	pango_layout_set_attributes(p->layout, attrs);
	pango_layout_set_width(p->layout, (int)(width * PANGO_SCALE));
	pango_layout_set_height(p->layout, -max_lines);
	pango_layout_set_wrap(p->layout, wrap);
	pango_layout_set_ellipsize(p->layout, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(p->layout, align);
	pango_layout_set_text(p->layout, s->str, (int)s->len);
	pango_layout_get_size(p->layout, &w, &h);
	if (!p->dry) {
		cairo_set_source_rgb(p->cr, st->r, st->g, st->b);
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, p->layout);
	}
	g_string_free(s, TRUE);
	pango_attr_list_unref(attrs);
	pango_font_description_free(fd);
	return (double)h / PANGO_SCALE;
}

/* Centred text, broken between words (or inside one too long for a line). */
static double text(pen *p, const style *st, const char *s, double x, double y, double width,
                   int max_lines)
{
	return block(p, st, s, NULL, NULL, x, y, width, PANGO_ALIGN_CENTER, max_lines,
	             PANGO_WRAP_WORD_CHAR);
}

/* The width of the widest line of what block() last laid out. */
static double last_width(pen *p)
{
	PangoRectangle logical;
	pango_layout_get_extents(p->layout, NULL, &logical);
	return (double)logical.width / PANGO_SCALE;
}

static void rule(pen *p, double cx, double y, double len, double width)
{
	if (p->dry)
		return;
	cairo_set_source_rgb(p->cr, INK);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, cx - len / 2, y);
	cairo_line_to(p->cr, cx + len / 2, y);
	cairo_stroke(p->cr);
}

/* The QR code of url, size points square at (x, y) with its 4-module quiet zone, dark
 * modules as rectangles (runs along a row merged, so no hairlines show between them). */
static int draw_qr(cairo_t *cr, const char *url, double x, double y, double size, lms_err *err)
{
	QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	double m;
	int n;

	if (!qr)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "verify_url",
		                   "URL quá dài cho mã QR (too long for a QR code)");
	n = qr->width;
	m = size / (n + 8);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int row = 0; row < n; row++) {
		for (int col = 0; col < n;) {
			int end = col;
			while (end < n && (qr->data[row * n + end] & 1))
				end++;
			if (end > col) {
				cairo_rectangle(cr, x + (col + 4) * m, y + (row + 4) * m,
				                (end - col) * m, m);
				col = end;
			} else {
				col++;
			}
		}
	}
	cairo_fill(cr);
	QRcode_free(qr);
	return LMS_OK;
}

static void draw_frame(cairo_t *cr)
{
	cairo_set_source_rgb(cr, 0.55, 0.1, 0.1);
	cairo_set_line_width(cr, 2.5);
	cairo_rectangle(cr, FRAME - 6, FRAME - 6, PAGE_W - 2 * (FRAME - 6),
	                PAGE_H - 2 * (FRAME - 6));
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.8);
	cairo_rectangle(cr, FRAME, FRAME, PAGE_W - 2 * FRAME, PAGE_H - 2 * FRAME);
	cairo_stroke(cr);
}

/* Top left the issuing unit (Decree 30/2020 layout: the body above it, the unit in bold
 * capitals, a short rule, the number); top right the national header with a rule as long
 * as the motto. Returns where the header ends. */
static double draw_header(pen *p, const cert_text *t)
{
	double yl = 40, yr = 40, h;
	GString *s;

	if (t->issuer_parent)
		yl += text(p, &S_HEAD, t->issuer_parent, LEFT_X, yl, LEFT_W, 2);
	yl += text(p, &S_HEAD_B, t->issuer, LEFT_X, yl, LEFT_W, 3);
	rule(p, LEFT_X + LEFT_W / 2, yl + 4, 90, 0.7);
	yl += 12;
	s = g_string_new("Số: ");
	g_string_append(s, t->serial);
	yl += text(p, &S_HEAD, s->str, LEFT_X, yl, LEFT_W, 1);
	g_string_free(s, TRUE);

	yr += text(p, &S_NATION, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", RIGHT_X, yr, RIGHT_W, 1);
	h = text(p, &S_MOTTO, "Độc lập - Tự do - Hạnh phúc", RIGHT_X, yr, RIGHT_W, 1);
	rule(p, RIGHT_X + RIGHT_W / 2, yr + h + 2, last_width(p), 0.8);
	yr += h + 8;
	return yl > yr ? yl : yr;
}

/* The centred body from y; returns its height. Each block's lines are capped so that with
 * every field at its cap it still ends above FOOTER_Y. */
static double draw_body(pen *p, const cert_text *t, const lms_cert *c, double y0)
{
	double y = y0;
	GString *s;

	y += text(p, &S_TITLE, "GIẤY CHỨNG NHẬN", BODY_X, y, BODY_W, 1) + 8;
	y += block(p, &S_BODY, "Chứng nhận ông/bà: ", &S_NAME, t->name, BODY_X, y, BODY_W,
	           PANGO_ALIGN_CENTER, 2, PANGO_WRAP_WORD_CHAR);
	if (t->employee_code) {
		s = g_string_new("Mã cán bộ, công chức: ");
		g_string_append(s, t->employee_code);
		y += text(p, &S_NOTE, s->str, BODY_X, y, BODY_W, 1);
		g_string_free(s, TRUE);
	}
	y += 6;
	y += text(p, &S_BODY, c->kind == LMS_CERT_EXAM ? "Đã đạt kỳ kiểm tra sát hạch:"
	                                                : "Đã hoàn thành khóa học:",
	          BODY_X, y, BODY_W, 1) + 2;
	y += text(p, &S_COURSE, t->title, BODY_X, y, BODY_W, 3);
	if (t->version || c->periods > 0) {
		s = g_string_new(NULL);
		if (t->version)
			g_string_append_printf(s, "Phiên bản %s", t->version);
		if (t->version && c->periods > 0)
			g_string_append(s, " – ");
		if (c->periods > 0)
			g_string_append_printf(s, "Thời lượng: %d tiết", c->periods);
		y += text(p, &S_NOTE, s->str, BODY_X, y, BODY_W, 1);
		g_string_free(s, TRUE);
	}
	y += 6;
	y += block(p, &S_BODY, "Kết quả: ", &S_BODY_B, t->result, BODY_X, y, BODY_W,
	           PANGO_ALIGN_CENTER, 2, PANGO_WRAP_WORD_CHAR);
	s = g_string_new(c->kind == LMS_CERT_EXAM ? "Ngày sát hạch: " : "Ngày hoàn thành: ");
	g_string_append(s, t->date_completed);
	y += text(p, &S_BODY, s->str, BODY_X, y, BODY_W, 1);
	g_string_free(s, TRUE);
	return y - y0;
}

/* Bottom right from y: place and date, the signer's title, room for the signature and
 * seal, the signer's name. Bottom left: the QR code, the code, where to check it. */
static int draw_footer(pen *p, const cert_text *t, double y, lms_err *err)
{
	GString *s = g_string_new(t->place ? t->place : DEFAULT_PLACE);
	int rc;

	g_string_append_printf(s, ", %s", t->date_issued);
	y += text(p, &S_PLACE, s->str, RIGHT_X, y, RIGHT_W, 2);
	g_string_free(s, TRUE);
	if (t->signer_title)
		y += text(p, &S_SIGN, t->signer_title, RIGHT_X, y, RIGHT_W, 2);
	if (t->signer_name)
		text(p, &S_SIGN, t->signer_name, RIGHT_X, y + 52, RIGHT_W, 1);

	if ((rc = draw_qr(p->cr, t->url, QR_X, QR_Y, QR_SIZE, err)) < 0)
		return rc;
	y = QR_Y + 6;
	s = g_string_new("Mã xác minh: ");
	g_string_append(s, t->code);
	y += block(p, &S_CODE, s->str, NULL, NULL, QR_TEXT_X, y, QR_TEXT_W, PANGO_ALIGN_LEFT, 2,
	           PANGO_WRAP_WORD_CHAR) + 4;
	g_string_free(s, TRUE);
	y += block(p, &S_SMALL, "Kiểm tra tính xác thực tại:", NULL, NULL, QR_TEXT_X, y,
	           QR_TEXT_W, PANGO_ALIGN_LEFT, 1, PANGO_WRAP_WORD_CHAR);
	/* The printed URL is a link too (cairo turns the tag into a PDF URI annotation). The
	 * link percent-encodes what is not plainly safe in cairo's quoted attribute and in the
	 * PDF string cairo 1.16 writes without escaping (' \ ( ) and the like). */
	s = g_string_new("uri='");
	for (const char *u = t->url; *u; u++) {
		if (g_ascii_isalnum(*u) || strchr("-._~:/?#[]@!$&*+,;=%", *u))
			g_string_append_c(s, *u);
		else
			g_string_append_printf(s, "%%%02X", (unsigned)(unsigned char)*u);
	}
	g_string_append_c(s, '\'');
	if (!p->dry)
		cairo_tag_begin(p->cr, CAIRO_TAG_LINK, s->str);
	y += block(p, &S_URL, t->url, NULL, NULL, QR_TEXT_X, y, QR_TEXT_W, PANGO_ALIGN_LEFT, 4,
	           PANGO_WRAP_CHAR) + 2;
	if (!p->dry)
		cairo_tag_end(p->cr, CAIRO_TAG_LINK);
	g_string_free(s, TRUE);
	block(p, &S_SMALL, "hoặc quét mã QR bên cạnh.", NULL, NULL, QR_TEXT_X, y, QR_TEXT_W,
	      PANGO_ALIGN_LEFT, 1, PANGO_WRAP_WORD_CHAR);
	return LMS_OK;
}

/* The page: the body is measured first and centred between the header and FOOTER_Y. */
static int draw_page(pen *p, const cert_text *t, const lms_cert *c, lms_err *err)
{
	double top, room, body_h, y;

	draw_frame(p->cr);
	top = draw_header(p, t) + 14;
	p->dry = true;
	body_h = draw_body(p, t, c, top);
	p->dry = false;
	room = FOOTER_Y - 10 - top - body_h;
	y = top + (room > 0 ? room / 2 : 0);
	y += draw_body(p, t, c, y) + 10;
	return draw_footer(p, t, y > FOOTER_Y ? y : FOOTER_Y, err);
}

/* ---- output ----------------------------------------------------------------------- */

typedef struct sink {
	lms_cert_write_fn write;
	void *ctx;
	int rc;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
	sink *k = closure;
	int rc;

	if (k->rc < 0)
		return CAIRO_STATUS_WRITE_ERROR;
	if ((rc = k->write(k->ctx, data, length)) < 0) {
		k->rc = rc;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* The creation date is the date of issue in Vietnam's time (not the clock): the same
 * certificate renders to the same bytes whenever it is downloaded. */
static void set_metadata(cairo_surface_t *surface, const cert_text *t)
{
	GString *s = g_string_new(NULL);
	g_string_printf(s, "%04d-%02d-%02dT00:00:00+07:00", t->issued.year, t->issued.month,
	                t->issued.day);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, s->str);
	g_string_printf(s, "Giấy chứng nhận số %s — %s", t->serial, t->name);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, s->str);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, t->issuer);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, t->title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, t->serial);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "parlearn");
	g_string_free(s, TRUE);
}

int lms_cert_pdf_render_to(lms_cert_write_fn write, void *ctx, const lms_cert *c,
                           lms_err *err)
{
	cert_text t = { 0 };
	sink k = { write, ctx, 0 };
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	PangoFontMap *fm = NULL;
	PangoContext *pc = NULL;
	cairo_font_options_t *fo = NULL;
	pen p = { 0 };
	int rc;

	if (!atomic_load(&cert_ready))
		return lms_err_set(err, LMS_EINTERNAL, "internal", NULL,
		                   "lms_cert_pdf_init was not called");
	if ((rc = take_all(&t, c, err)) < 0)
		goto cleanup;

	surface = cairo_pdf_surface_create_for_stream(sink_write, &k, PAGE_W, PAGE_H);
	set_metadata(surface, &t);
	cr = cairo_create(surface);
	/* A font map of its own (not the thread's default): nothing of one render stays
	 * behind in the thread, and the font map's caches go with it. ~5 ms more a render. */
	if (!(fm = pango_cairo_font_map_new())) {
		rc = lms_err_set(err, LMS_EINTERNAL, "internal", NULL,
		                 "pango has no cairo font map");
		goto cleanup;
	}
	pc = pango_font_map_create_context(fm);
	pango_cairo_update_context(cr, pc);
	/* No hinting: glyph positions in a PDF must not depend on a screen grid. */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	p.cr = cr;
	p.layout = pango_layout_new(pc);
	if ((rc = draw_page(&p, &t, c, err)) < 0)
		goto cleanup;
	cairo_show_page(cr);
	cairo_surface_finish(surface);
	if (k.rc < 0) {
		rc = lms_err_set(err, k.rc,
		                 k.rc == LMS_ETOOBIG ? "cert_too_big" : lms_err_default_code(k.rc),
		                 NULL, "writing the certificate failed");
		goto cleanup;
	}
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		rc = lms_err_set(err, LMS_EINTERNAL, "internal", NULL, "cairo: %s",
		                 cairo_status_to_string(cairo_surface_status(surface)));
		goto cleanup;
	}
	rc = LMS_OK;
cleanup:
	if (p.layout)
		g_object_unref(p.layout);
	if (fo)
		cairo_font_options_destroy(fo);
	if (pc)
		g_object_unref(pc);
	if (fm)
		g_object_unref(fm);
	if (cr)
		cairo_destroy(cr);
	if (surface)
		cairo_surface_destroy(surface);
	cert_text_free(&t);
	return rc;
}

typedef struct membuf {
	unsigned char *data;
	size_t len, cap;
} membuf;

static int membuf_write(void *ctx, const unsigned char *data, size_t len)
{
	membuf *b = ctx;

	if (len > LMS_CERT_PDF_MAX - b->len)
		return LMS_ETOOBIG;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 64 * 1024;
		unsigned char *grown;
		while (cap < b->len + len)
			cap *= 2;
		if (!(grown = realloc(b->data, cap)))
			return LMS_EINTERNAL;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return LMS_OK;
}

int lms_cert_pdf_render(unsigned char **out, size_t *out_len, const lms_cert *c, lms_err *err)
{
	membuf b = { 0 };
	int rc;

	if ((rc = lms_cert_pdf_render_to(membuf_write, &b, c, err)) < 0) {
		free(b.data);
		return rc;
	}
	*out = b.data;
	*out_len = b.len;
	return LMS_OK;
}

void lms_cert_pdf_free(unsigned char *pdf)
{
	free(pdf);
}

/* ---- start-up --------------------------------------------------------------------- */

int lms_cert_pdf_init(lms_err *err)
{
	/* Letters that only Vietnamese uses: ơ ư đ and stacked marks (ệ ữ ặ ỗ). */
	static const FcChar32 probe[] = { 0x01A1, 0x01B0, 0x0111, 0x1EC7, 0x1EEF, 0x1EB7, 0x1ED7 };
	FcPattern *pat = NULL, *match = NULL;
	FcChar8 *family = NULL;
	FcCharSet *cs = NULL;
	FcResult res = FcResultNoMatch;
	int rc = LMS_OK;

	if (!FcInit())
		return lms_err_set(err, LMS_EUNAVAIL, "cert_font_missing", NULL,
		                   "fontconfig could not be initialised");
	/* A server's fonts do not change under it: no rescans of the font folders every 30 s
	 * (fontconfig's default), which would rebuild its configuration in the middle of renders. */
	FcConfigSetRescanInterval(NULL, 0);
	pat = FcNameParse((const FcChar8 *)CERT_FONT);
	if (!pat || !FcConfigSubstitute(NULL, pat, FcMatchPattern)) {
		rc = lms_err_set(err, LMS_EINTERNAL, "internal", NULL, "fontconfig: out of memory");
		goto cleanup;
	}
	FcDefaultSubstitute(pat);
	match = FcFontMatch(NULL, pat, &res);
	if (!match || FcPatternGetString(match, FC_FAMILY, 0, &family) != FcResultMatch ||
	    strcmp((const char *)family, CERT_FONT) != 0 ||
	    FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) != FcResultMatch) {
		rc = lms_err_set(err, LMS_EUNAVAIL, "cert_font_missing", NULL,
		                 "the font \"%s\" is not installed (Debian: fonts-dejavu-extra)",
		                 CERT_FONT);
		goto cleanup;
	}
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		if (!FcCharSetHasChar(cs, probe[i])) {
			rc = lms_err_set(err, LMS_EUNAVAIL, "cert_font_missing", NULL,
			                 "the font \"%s\" lacks U+%04X", CERT_FONT,
			                 (unsigned)probe[i]);
			goto cleanup;
		}
	}
	atomic_store(&cert_ready, true);
cleanup:
	if (match)
		FcPatternDestroy(match);
	if (pat)
		FcPatternDestroy(pat);
	return rc;
}
