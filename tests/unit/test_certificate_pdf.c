/* test_certificate_pdf.c — the certificate renderer (certificate.h) judged the way a person
 * would judge the PDF: poppler's pdftotext must read the Vietnamese text back byte for byte
 * (so the embedded font really carries the diacritics), zbarimg must read the verification
 * URL from the QR code on the page rendered by pdftoppm, pdfinfo must count one page
 * however long the title, and no two words may overlap or leave the page. Also: the date
 * and score wording, refused input, four threads at once, and how long a render takes.
 * Needs Debian's poppler-utils and zbar-tools (scripts/install-deps --test). */
#include "support.h"

#include "lms/certificate.h"

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
#if defined(__SANITIZE_ADDRESS__)
size_t __sanitizer_get_current_allocated_bytes(void); /* sanitizer/allocator_interface.h */
#endif

/* LeakSanitizer cannot see fontconfig's live patterns: fontconfig keeps a pattern's element
 * array as an offset from the pattern, not a pointer (fcint.h, FcPatternElts), so what it
 * keeps for the life of the process is reported as lost. Only allocations made inside
 * libfontconfig are exempted: a string or buffer the renderer forgets is still reported,
 * and a font map, layout or surface it forgets (which pango's and cairo's caches keep
 * reachable) is caught by renders_do_not_accumulate_memory. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

#define URL "https://parlearn.hochiminhcity.gov.vn/verify/7KQ2-M9XD-4TPA"
#define SERIAL "PAR-2026-000123"
#define CODE "7KQ2-M9XD-4TPA"
#define NAME "Nguyễn Thị Ánh Tuyết"
#define SIGNER "Đặng Văn Hưởng"
#define TITLE "Bồi dưỡng kiến thức, kỹ năng cải cách hành chính cho công chức phường, xã"

static lms_cert sample(void)
{
	lms_cert c = { 0 };
	c.kind = LMS_CERT_COURSE;
	c.learner_name = NAME;
	c.employee_code = "CC-079-01234";
	c.title = TITLE;
	c.course_version = "2.1";
	c.periods = 8;
	c.has_score = true;
	c.score_x100 = 850;
	c.max_score_x100 = 1000;
	c.passed = true;
	c.completed = (lms_cert_date){ 2025, 9, 15 };
	c.serial = SERIAL;
	c.verify_code = CODE;
	c.verify_url = URL;
	c.issuer = "Sở Nội vụ Thành phố Hồ Chí Minh";
	c.issuer_parent = "Ủy ban nhân dân Thành phố Hồ Chí Minh";
	c.place = "Thành phố Hồ Chí Minh";
	c.signer_title = "Giám đốc";
	c.signer_name = SIGNER;
	return c;
}

/* ---- running poppler and zbar ------------------------------------------------------ */

static void tmp_path(char path[64])
{
	int fd;
	snprintf(path, 64, "%s", "/tmp/parlearn-cert-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void write_all(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Runs argv (NULL-terminated) with its standard output into out_path (or /dev/null);
 * returns its exit status, or -1 if it could not be started (the tool is missing). */
static int run(const char *const *argv, const char *out_path)
{
	char *args[16];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = 0, n = 0, rc;

	for (; argv[n]; n++) {
		assert_true(n < 15);
		args[n] = strdup(argv[n]);
	}
	args[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null",
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawnp(&pid, args[0], &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < n; i++)
		free(args[i]);
	if (rc != 0) {
		print_error("cannot run %s: %s (scripts/install-deps --test)\n", argv[0],
		            strerror(rc));
		return -1;
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* What a tool prints about a PDF: pdftotext (bbox: its word boxes as XHTML) or pdfinfo
 * (bbox: the links on the page instead). */
static char *pdf_tool(const unsigned char *pdf, size_t len, const char *tool, bool bbox)
{
	char in[64], out[64];
	char *s;

	tmp_path(in);
	tmp_path(out);
	write_all(in, pdf, len);
	if (strcmp(tool, "pdfinfo") == 0) {
		const char *argv[] = { "pdfinfo", "-enc", "UTF-8", bbox ? "-url" : "-isodates", in,
		                       NULL };
		assert_int_equal(run(argv, out), 0);
	} else if (bbox) {
		const char *argv[] = { "pdftotext", "-enc", "UTF-8", "-bbox", in, out, NULL };
		assert_int_equal(run(argv, NULL), 0);
	} else {
		const char *argv[] = { "pdftotext", "-enc", "UTF-8", in, out, NULL };
		assert_int_equal(run(argv, NULL), 0);
	}
	s = slurp(out);
	unlink(in);
	unlink(out);
	return s;
}

/* The value of one "Name:   value" line of pdfinfo's output, or NULL. */
static char *info_value(const char *info, const char *name, char *out, size_t cap)
{
	const char *p = info;
	size_t n = strlen(name);

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			p += strspn(p, " ");
			snprintf(out, cap, "%.*s", (int)strcspn(p, "\n"), p);
			return out;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

static void assert_info(const char *info, const char *name, const char *want)
{
	char v[512];
	if (!info_value(info, name, v, sizeof(v)))
		fail_msg("pdfinfo says no %s:\n%s", name, info);
	if (strcmp(v, want) != 0)
		fail_msg("pdfinfo %s: \"%s\", expected \"%s\"", name, v, want);
}

/* pdftotext breaks lines where the page does: one space for every run of white space. */
static char *squash(char *s)
{
	char *w = s;
	bool space = false;
	for (const char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\n' || *r == '\f' || *r == '\t') {
			space = true;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

static char *render_ok(const lms_cert *c, size_t *len)
{
	unsigned char *pdf = NULL;
	lms_err err;

	lms_err_clear(&err);
	if (lms_cert_pdf_render(&pdf, len, c, &err) != 0)
		fail_msg("render: %s (%s) %s", err.code, err.field, err.msg);
	return (char *)pdf;
}

static bool looks_like_pdf(const unsigned char *pdf, size_t len)
{
	while (len > 0 && (pdf[len - 1] == '\n' || pdf[len - 1] == '\r'))
		len--;
	return len > 10 && memcmp(pdf, "%PDF-", 5) == 0 && memcmp(pdf + len - 5, "%%EOF", 5) == 0;
}

static int setup(void **state)
{
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	if (lms_cert_pdf_init(&err) != 0) {
		print_error("lms_cert_pdf_init: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* ---- wording ----------------------------------------------------------------------- */

static void dates_are_written_the_administrative_way(void **state)
{
	char out[64];
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	static const struct {
		lms_cert_date d;
		const char *want;
	} good[] = {
		{ { 2025, 9, 15 }, "ngày 15 tháng 9 năm 2025" },
		/* Decree 30/2020: a zero before days below 10 and before months 1 and 2 */
		{ { 2026, 1, 5 }, "ngày 05 tháng 01 năm 2026" },
		{ { 2024, 2, 29 }, "ngày 29 tháng 02 năm 2024" },
		{ { 2025, 12, 3 }, "ngày 03 tháng 12 năm 2025" },
		{ { 2000, 2, 29 }, "ngày 29 tháng 02 năm 2000" },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(lms_cert_format_date(out, sizeof(out), good[i].d, &err), 0);
		assert_string_equal(out, good[i].want);
	}

	const lms_cert_date bad[] = { { 2025, 2, 29 }, { 1900, 2, 29 }, { 2025, 4, 31 },
	                              { 2025, 13, 1 }, { 2025, 0, 1 }, { 2025, 1, 0 },
	                              { 1899, 12, 31 }, { 3000, 1, 1 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_int_equal(lms_cert_format_date(out, sizeof(out), bad[i], &err), LMS_EINVAL);
		assert_string_equal(err.field, "date");
	}
	assert_int_equal(lms_cert_format_date(out, 10, (lms_cert_date){ 2025, 9, 15 }, &err),
	                 LMS_ETOOBIG);
}

static void scores_use_a_decimal_comma(void **state)
{
	char out[80];
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	assert_int_equal(lms_cert_format_result(out, sizeof(out), 850, 1000, true, &err), 0);
	assert_string_equal(out, "Đạt — 8,5/10 điểm");
	assert_int_equal(lms_cert_format_result(out, sizeof(out), 425, 1000, false, &err), 0);
	assert_string_equal(out, "Không đạt — 4,25/10 điểm");
	assert_int_equal(lms_cert_format_result(out, sizeof(out), 1000, 1000, true, &err), 0);
	assert_string_equal(out, "Đạt — 10/10 điểm");
	assert_int_equal(lms_cert_format_result(out, sizeof(out), 0, 1000, false, &err), 0);
	assert_string_equal(out, "Không đạt — 0/10 điểm");
	assert_int_equal(lms_cert_format_result(out, sizeof(out), 123456705, 200000000, true, &err),
	                 0);
	assert_string_equal(out, "Đạt — 1.234.567,05/2.000.000 điểm");
	assert_int_equal(lms_cert_format_result(out, sizeof(out), 11, 1000, true, &err), 0);
	assert_string_equal(out, "Đạt — 0,11/10 điểm");

	assert_int_equal(lms_cert_format_result(out, sizeof(out), 1001, 1000, true, &err),
	                 LMS_EINVAL);
	assert_string_equal(err.field, "score");
	assert_int_equal(lms_cert_format_result(out, sizeof(out), -1, 1000, true, &err),
	                 LMS_EINVAL);
	assert_int_equal(lms_cert_format_result(out, sizeof(out), 0, 0, true, &err), LMS_EINVAL);
	assert_int_equal(lms_cert_format_result(out, 8, 850, 1000, true, &err), LMS_ETOOBIG);
}

/* ---- the PDF ----------------------------------------------------------------------- */

static void the_pdf_reads_back_in_vietnamese(void **state)
{
	size_t len = 0;
	char *pdf, *txt, *info;
	(void)state;

	lms_cert c = sample();
	pdf = render_ok(&c, &len);
	assert_true(looks_like_pdf((unsigned char *)pdf, len));
	txt = squash(pdf_tool((unsigned char *)pdf, len, "pdftotext", false));

	const char *want[] = {
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
		"SỞ NỘI VỤ THÀNH PHỐ HỒ CHÍ MINH",
		"Số: " SERIAL,
		"GIẤY CHỨNG NHẬN",
		"Chứng nhận ông/bà: " NAME,
		"Mã cán bộ, công chức: CC-079-01234",
		"Đã hoàn thành khóa học:",
		TITLE,
		"Phiên bản 2.1 – Thời lượng: 8 tiết",
		"Kết quả: Đạt — 8,5/10 điểm",
		"Ngày hoàn thành: ngày 15 tháng 9 năm 2025",
		"Thành phố Hồ Chí Minh, ngày 15 tháng 9 năm 2025",
		"GIÁM ĐỐC",
		SIGNER,
		"Mã xác minh: " CODE,
		"Kiểm tra tính xác thực tại:",
		URL,
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(txt, want[i]))
			fail_msg("\"%s\" is not in the PDF's text:\n%s", want[i], txt);

	info = pdf_tool((unsigned char *)pdf, len, "pdfinfo", false);
	assert_info(info, "Pages", "1");
	assert_info(info, "Creator", "parlearn");
	assert_info(info, "Title", "Giấy chứng nhận số " SERIAL " — " NAME);
	assert_info(info, "Author", "SỞ NỘI VỤ THÀNH PHỐ HỒ CHÍ MINH");
	assert_info(info, "Page size", "841.89 x 595.28 pts (A4)");
	free(info);
	/* the printed URL is a link */
	info = pdf_tool((unsigned char *)pdf, len, "pdfinfo", true);
	if (!strstr(info, "Annotation    " URL "\n"))
		fail_msg("no link to the URL:\n%s", info);
	free(info);
	free(txt);
	lms_cert_pdf_free((unsigned char *)pdf);
}

static void an_exam_certificate_says_so(void **state)
{
	size_t len = 0;
	char *pdf, *txt;
	(void)state;

	lms_cert c = sample();
	c.kind = LMS_CERT_EXAM;
	c.title = "Kỳ kiểm tra sát hạch chuyên gia cải cách hành chính năm 2026";
	c.has_score = false;
	c.result_text = "Đạt — xếp hạng 3/120";
	c.completed = (lms_cert_date){ 2026, 2, 7 };
	c.issued = (lms_cert_date){ 2026, 3, 2 };
	c.course_version = NULL;
	c.periods = 0;
	c.employee_code = "";
	c.signer_title = NULL;
	c.signer_name = NULL;
	c.place = NULL;
	pdf = render_ok(&c, &len);
	txt = squash(pdf_tool((unsigned char *)pdf, len, "pdftotext", false));
	assert_non_null(strstr(txt, "Đã đạt kỳ kiểm tra sát hạch: Kỳ kiểm tra sát hạch chuyên"));
	assert_non_null(strstr(txt, "Kết quả: Đạt — xếp hạng 3/120"));
	assert_non_null(strstr(txt, "Ngày sát hạch: ngày 07 tháng 02 năm 2026"));
	assert_non_null(strstr(txt, "Thành phố Hồ Chí Minh, ngày 02 tháng 3 năm 2026"));
	assert_null(strstr(txt, "hoàn thành khóa học"));
	assert_null(strstr(txt, "Mã cán bộ"));
	assert_null(strstr(txt, "Phiên bản"));
	assert_null(strstr(txt, "GIÁM ĐỐC"));
	free(txt);
	lms_cert_pdf_free((unsigned char *)pdf);
}

/* A name typed with combining marks (NFD), a bidi override and a line break prints as the
 * same letters in NFC, on one line, with nothing hidden that reorders it. */
static void text_is_normalised_before_drawing(void **state)
{
	size_t len = 0;
	char *pdf, *txt;
	(void)state;

	lms_cert c = sample();
	c.signer_name = "\xC4\x90" "a\xCC\xA3\xCC\x86ng Va\xCC\x86n\n "
	                "Hu\xCC\x9Bo\xCC\x9B\xCC\x89ng";
	c.learner_name = "  Nguy\xE1\xBB\x85n \xE2\x80\xAETh\xE1\xBB\x8B \t "
	                 "\xC3\x81nh Tuy\xE1\xBA\xBFt ";
	c.result_text = " \n ";   /* blank: the result is made from the score */
	pdf = render_ok(&c, &len);
	txt = squash(pdf_tool((unsigned char *)pdf, len, "pdftotext", false));
	assert_non_null(strstr(txt, "Kết quả: Đạt — 8,5/10 điểm"));
	assert_non_null(strstr(txt, SIGNER));
	assert_non_null(strstr(txt, "Chứng nhận ông/bà: " NAME));
	assert_null(strstr(txt, "\xE2\x80\xAE"));
	free(txt);
	lms_cert_pdf_free((unsigned char *)pdf);
}

static void the_qr_code_on_the_page_gives_the_url(void **state)
{
	size_t len = 0;
	char *pdf, *scanned;
	char in[64], png[80], out[64];
	(void)state;

	lms_cert c = sample();
	pdf = render_ok(&c, &len);
	tmp_path(in);
	tmp_path(out);
	write_all(in, (unsigned char *)pdf, len);
	snprintf(png, sizeof(png), "%s.png", in);
	{
		const char *argv[] = { "pdftoppm", "-r", "150", "-png", "-singlefile", in, in, NULL };
		assert_int_equal(run(argv, NULL), 0);
	}
	{
		const char *argv[] = { "zbarimg", "--nodbus", "--raw", "-q", "-Sdisable",
		                       "-Sqrcode.enable", png, NULL };
		assert_int_equal(run(argv, out), 0);
	}
	scanned = slurp(out);
	assert_string_equal(scanned, URL "\n");
	free(scanned);
	unlink(in);
	unlink(png);
	unlink(out);
	lms_cert_pdf_free((unsigned char *)pdf);

	/* quotes, backslashes and brackets in the URL are percent-encoded in the link */
	c.verify_url = "https://parlearn.example/v?c=a'b\\c(d&x=1";
	pdf = render_ok(&c, &len);
	scanned = pdf_tool((unsigned char *)pdf, len, "pdfinfo", true);
	if (!strstr(scanned, "Annotation    https://parlearn.example/v?c=a%27b%5Cc%28d&x=1\n"))
		fail_msg("link:\n%s", scanned);
	free(scanned);
	lms_cert_pdf_free((unsigned char *)pdf);
}

/* Fills buf with words of phrase up to exactly cap bytes (ASCII 'x' pads the rest). */
static char *fill(const char *phrase, size_t cap)
{
	char *buf = malloc(cap + 1);
	size_t n = 0, k = strlen(phrase);
	assert_non_null(buf);
	while (n + k <= cap) {
		memcpy(buf + n, phrase, k);
		n += k;
	}
	memset(buf + n, 'x', cap - n);
	buf[cap] = '\0';
	return buf;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

typedef struct box {
	double x0, y0, x1, y1;
	char word[64];
} box;

/* The word boxes in pdftotext -bbox output; checks they are on the page and that no two
 * overlap (by more than a hair: boxes of neighbouring lines may touch). */
static size_t check_words(const char *xhtml, double *max_y)
{
	size_t n = 0, cap = 4096;
	box *b = calloc(cap, sizeof(*b));
	const char *p = xhtml;

	assert_non_null(b);
	*max_y = 0;
	while ((p = strstr(p, "<word xMin=\"")) != NULL) {
		box w = { 0 };
		const char *gt;
		size_t wl;
		assert_int_equal(sscanf(p, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
		                        &w.x0, &w.y0, &w.x1, &w.y1), 4);
		gt = strchr(p, '>');
		assert_non_null(gt);
		wl = strcspn(gt + 1, "<");
		snprintf(w.word, sizeof(w.word), "%.*s", (int)(wl < 63 ? wl : 63), gt + 1);
		if (w.x0 < 24 || w.y0 < 24 || w.x1 > 841.89 - 24 || w.y1 > 595.28 - 24)
			fail_msg("\"%s\" at (%.1f,%.1f)-(%.1f,%.1f) is outside the frame", w.word, w.x0,
			         w.y0, w.x1, w.y1);
		if (w.y1 > *max_y)
			*max_y = w.y1;
		assert_true(n < cap);
		b[n++] = w;
		p = gt;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double ox = (b[i].x1 < b[j].x1 ? b[i].x1 : b[j].x1) -
			            (b[i].x0 > b[j].x0 ? b[i].x0 : b[j].x0);
			double oy = (b[i].y1 < b[j].y1 ? b[i].y1 : b[j].y1) -
			            (b[i].y0 > b[j].y0 ? b[i].y0 : b[j].y0);
			if (ox > 1.0 && oy > 3.0)
				fail_msg("\"%s\" and \"%s\" overlap at (%.1f,%.1f)", b[i].word, b[j].word,
				         b[i].x0, b[i].y0);
		}
	free(b);
	return n;
}

static void a_very_long_title_stays_on_one_page(void **state)
{
	size_t len = 0, words;
	char *pdf, *txt, *info, *xhtml;
	char title[LMS_CERT_TITLE_MAX + 1];
	size_t n = 0;
	int i = 0;
	double max_y;
	(void)state;

	/* 3,000 characters of Vietnamese, numbered so that we can see where it is cut. */
	title[0] = '\0';
	while (utf8_chars(title) < 2990) {
		int w = snprintf(title + n, sizeof(title) - n,
		                 "Phần %d: nghiệp vụ cải cách hành chính; ", ++i);
		assert_true(w > 0 && (size_t)w < sizeof(title) - n);
		n += (size_t)w;
	}
	while (utf8_chars(title) > 2990)
		title[--n] = '\0';
	memcpy(title + n, "KẾT THÚC", sizeof("KẾT THÚC"));
	assert_int_equal(utf8_chars(title), 2998);
	memcpy(title + strlen(title), "!!", 3);
	assert_int_equal(utf8_chars(title), 3000);

	lms_cert c = sample();
	c.title = title;
	pdf = render_ok(&c, &len);
	info = pdf_tool((unsigned char *)pdf, len, "pdfinfo", false);
	assert_info(info, "Pages", "1");
	txt = squash(pdf_tool((unsigned char *)pdf, len, "pdftotext", false));
	assert_non_null(strstr(txt, "Đã hoàn thành khóa học: Phần 1: nghiệp vụ cải cách"));
	/* The page shows three lines ending in "…"; the text layer keeps the whole title
	 * (cairo maps the ellipsis glyph to the text it stands for), so it can be searched. */
	assert_non_null(strstr(txt, "KẾT THÚC!!"));
	/* what follows the title is still there */
	assert_non_null(strstr(txt, "Kết quả: Đạt — 8,5/10 điểm"));
	assert_non_null(strstr(txt, "Mã xác minh: " CODE));
	xhtml = pdf_tool((unsigned char *)pdf, len, "pdftotext", true);
	words = check_words(xhtml, &max_y);
	assert_true(words > 60);
	free(xhtml);
	free(txt);
	free(info);
	lms_cert_pdf_free((unsigned char *)pdf);
}

/* Every field at its cap, once with words and once with no space to break at. */
static void every_field_at_its_cap_fits_the_page(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		const char *phrase = round == 0 ? "Hưởng Nguyễn " : "ĐặngVănHưởng";
		char *name = fill(phrase, LMS_CERT_NAME_MAX);
		char *title = fill(phrase, LMS_CERT_TITLE_MAX);
		char *unit = fill(phrase, LMS_CERT_UNIT_MAX);
		char *shortf = fill(phrase, LMS_CERT_SHORT_MAX);
		char *code = fill(round == 0 ? "ABCD " : "ABCD", LMS_CERT_CODE_MAX);
		char *result = fill(phrase, LMS_CERT_RESULT_MAX);
		char *url = fill("https://parlearn.example/verify/ABCDEFGH", LMS_CERT_URL_MAX);
		size_t len = 0;
		char *pdf, *txt, *xhtml, *info;
		double max_y;

		lms_cert c = sample();
		c.learner_name = name;
		c.signer_name = name;
		c.title = title;
		c.issuer = c.issuer_parent = c.place = c.signer_title = unit;
		c.employee_code = c.course_version = c.serial = shortf;
		c.verify_code = code;
		c.result_text = result;
		c.verify_url = url;
		c.periods = 10000;
		pdf = render_ok(&c, &len);
		info = pdf_tool((unsigned char *)pdf, len, "pdfinfo", false);
		assert_info(info, "Pages", "1");
		txt = squash(pdf_tool((unsigned char *)pdf, len, "pdftotext", false));
		assert_non_null(strstr(txt, "GIẤY CHỨNG NHẬN"));
		assert_non_null(strstr(txt, "Kiểm tra tính xác thực tại:"));
		assert_non_null(strstr(txt, "Thời lượng: 10000 tiết"));
		xhtml = pdf_tool((unsigned char *)pdf, len, "pdftotext", true);
		check_words(xhtml, &max_y);
		assert_true(max_y > 500);  /* the footer is there, near the bottom */
		free(xhtml);
		free(txt);
		free(info);
		lms_cert_pdf_free((unsigned char *)pdf);
		free(name);
		free(title);
		free(unit);
		free(shortf);
		free(code);
		free(result);
		free(url);
	}
}

static void bad_input_is_refused_naming_the_field(void **state)
{
	char over[LMS_CERT_TITLE_MAX + 2];
	lms_err err;
	(void)state;

	memset(over, 'a', sizeof(over) - 1);
	over[sizeof(over) - 1] = '\0';
	static const char *fields[] = { "learner_name", "employee_code", "title", "course_version",
	                                "result_text", "serial", "verify_code", "verify_url",
	                                "issuer", "issuer_parent", "place", "signer_title",
	                                "signer_name" };
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		for (int kind = 0; kind < 3; kind++) {
			/* not UTF-8 (a lone continuation, an overlong '/'), then over its cap */
			const char *bad = kind == 0 ? "Nguy\xC3\x28n" : kind == 1 ? "a\xC0\xAF" : over;
			lms_cert c = sample();
			const char **slot[] = { &c.learner_name, &c.employee_code, &c.title,
			                        &c.course_version, &c.result_text, &c.serial,
			                        &c.verify_code, &c.verify_url, &c.issuer,
			                        &c.issuer_parent, &c.place, &c.signer_title,
			                        &c.signer_name };
			unsigned char *pdf = NULL;
			size_t len = 0;
			*slot[f] = bad;
			lms_err_clear(&err);
			assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
			assert_string_equal(err.code, "invalid_field");
			assert_string_equal(err.field, fields[f]);
			assert_null(pdf);
		}
	}

	/* required fields left out (white space only counts as left out) */
	for (size_t f = 0; f < 6; f++) {
		static const char *req[] = { "learner_name", "title", "serial", "verify_code",
		                             "verify_url", "issuer" };
		lms_cert c = sample();
		const char **slot[] = { &c.learner_name, &c.title, &c.serial, &c.verify_code,
		                        &c.verify_url, &c.issuer };
		unsigned char *pdf = NULL;
		size_t len = 0;
		*slot[f] = f % 2 ? NULL : " \t ";
		lms_err_clear(&err);
		assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
		assert_string_equal(err.field, req[f]);
		assert_null(pdf);
	}

	lms_cert c = sample();
	unsigned char *pdf = NULL;
	size_t len = 0;
	c.verify_url = "https://parlearn.vn/xác-minh/1";   /* the QR gets the URL as it is */
	assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
	assert_string_equal(err.field, "verify_url");
	c = sample();
	c.completed = (lms_cert_date){ 2025, 2, 30 };
	assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
	assert_string_equal(err.field, "completed");
	c = sample();
	c.issued = (lms_cert_date){ 2025, 9, 31 };
	assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
	assert_string_equal(err.field, "issued");
	c = sample();
	c.score_x100 = 1100;
	assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
	assert_string_equal(err.field, "score");
	c = sample();
	c.kind = (lms_cert_kind)7;
	assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
	assert_string_equal(err.field, "kind");
	c = sample();
	c.periods = -1;
	assert_int_equal(lms_cert_pdf_render(&pdf, &len, &c, &err), LMS_EINVAL);
	assert_string_equal(err.field, "periods");
	assert_null(pdf);
}

/* ---- streaming ---------------------------------------------------------------------- */

typedef struct collect {
	size_t len;
	int calls, fail_at;
} collect;

static int count_bytes(void *ctx, const unsigned char *data, size_t len)
{
	collect *k = ctx;
	(void)data;
	if (++k->calls == k->fail_at)
		return LMS_EUNAVAIL;
	k->len += len;
	return 0;
}

static void a_writer_gets_the_pdf_and_can_stop_it(void **state)
{
	collect k = { 0 };
	size_t len = 0;
	char *pdf;
	lms_err err;
	(void)state;

	lms_cert c = sample();
	pdf = render_ok(&c, &len);
	lms_err_clear(&err);
	assert_int_equal(lms_cert_pdf_render_to(count_bytes, &k, &c, &err), 0);
	assert_true(k.calls > 1);
	assert_int_equal(k.len, len);

	k = (collect){ .fail_at = 2 };
	assert_int_equal(lms_cert_pdf_render_to(count_bytes, &k, &c, &err), LMS_EUNAVAIL);
	assert_true(k.calls >= 2);

	k = (collect){ 0 };
	c.title = "\xFF";
	assert_int_equal(lms_cert_pdf_render_to(count_bytes, &k, &c, &err), LMS_EINVAL);
	assert_int_equal(k.calls, 0);  /* checked before anything is written */
	lms_cert_pdf_free((unsigned char *)pdf);
	lms_cert_pdf_free(NULL);
}

/* The same certificate gives the same bytes (the creation date is the date of issue), so
 * a download can be compared with, or hashed like, the first one. */
static void the_same_certificate_gives_the_same_bytes(void **state)
{
	size_t len1 = 0, len2 = 0;
	char *a, *b, *info;
	(void)state;

	lms_cert c = sample();
	c.issued = (lms_cert_date){ 2025, 9, 20 };
	a = render_ok(&c, &len1);
	b = render_ok(&c, &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(a, b, len1);
	info = pdf_tool((unsigned char *)a, len1, "pdfinfo", false);
	assert_info(info, "CreationDate", "2025-09-20T00:00:00+07");
	free(info);
	lms_cert_pdf_free((unsigned char *)a);
	lms_cert_pdf_free((unsigned char *)b);
}

/* ---- threads and time ---------------------------------------------------------------- */

#define THREADS 4
#define PER_THREAD 3

typedef struct job {
	char name[64];
	unsigned char *pdf[PER_THREAD];
	size_t len[PER_THREAD];
	int rc[PER_THREAD];
} job;

static void *render_job(void *arg)
{
	job *j = arg;
	for (int i = 0; i < PER_THREAD; i++) {
		lms_err err;
		lms_cert c = sample();
		lms_err_clear(&err);
		c.learner_name = j->name;
		j->rc[i] = lms_cert_pdf_render(&j->pdf[i], &j->len[i], &c, &err);
	}
	return NULL;
}

static void four_threads_render_at_once(void **state)
{
	static const char *names[THREADS] = { "Nguyễn Thị Ánh Tuyết", "Đặng Văn Hưởng",
	                                      "Trần Quốc Toản", "Lê Thị Phượng" };
	job jobs[THREADS];
	pthread_t th[THREADS];
	(void)state;

	for (int t = 0; t < THREADS; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		snprintf(jobs[t].name, sizeof(jobs[t].name), "%s", names[t]);
	}
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, render_job, &jobs[t]), 0);
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	for (int t = 0; t < THREADS; t++) {
		for (int i = 0; i < PER_THREAD; i++) {
			char *txt;
			assert_int_equal(jobs[t].rc[i], 0);
			assert_true(looks_like_pdf(jobs[t].pdf[i], jobs[t].len[i]));
			char want[128];
			txt = squash(pdf_tool(jobs[t].pdf[i], jobs[t].len[i], "pdftotext", false));
			snprintf(want, sizeof(want), "Chứng nhận ông/bà: %s Mã", names[t]);
			if (!strstr(txt, want))
				fail_msg("thread %d's certificate lacks \"%s\":\n%s", t, want, txt);
			free(txt);
			lms_cert_pdf_free(jobs[t].pdf[i]);
		}
	}
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static size_t heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/* Memory held by pango, cairo or fontconfig must not grow with the number of renders: a
 * font map, surface or layout not released would stay reachable from their caches, where
 * LeakSanitizer does not call it a leak. */
static void renders_do_not_accumulate_memory(void **state)
{
	long growth[3];
	(void)state;

	/* A warm-up round, then two measured rounds of 30 renders. A leak grows the heap in every
	 * round; a cache filled once (a font's glyphs, fontconfig's configuration) grows it in
	 * one. So the smaller of the two measured rounds must stay under 32 KB: more than 1 KB a
	 * render is a leak. */
	lms_cert c = sample();
	for (int round = 0; round < 3; round++) {
		size_t before = heap_in_use();

		for (int i = 0; i < 30; i++) {
			size_t len = 0;
			char title[64];
			snprintf(title, sizeof(title), "Khóa học số %d về cải cách hành chính", i);
			c.title = title;
			lms_cert_pdf_free((unsigned char *)render_ok(&c, &len));
		}
		growth[round] = (long)heap_in_use() - (long)before;
	}
	print_message("heap after 30 more renders: %+ld and %+ld bytes\n", growth[1], growth[2]);
	assert_true((growth[1] < growth[2] ? growth[1] : growth[2]) < 32 * 1024);
}

static void one_render_is_quick(void **state)
{
	enum { N = 20 };
	double best = 1e9, total = 0;
	(void)state;

	lms_cert c = sample();
	for (int i = 0; i <= N; i++) {
		size_t len = 0;
		double t0 = now_ms(), dt;
		char *pdf = render_ok(&c, &len);
		dt = now_ms() - t0;
		lms_cert_pdf_free((unsigned char *)pdf);
		if (i == 0)
			continue;  /* the first one in a thread loads the fonts */
		total += dt;
		if (dt < best)
			best = dt;
	}
	print_message("certificate render: mean %.1f ms, best %.1f ms over %d (this build)\n",
	              total / N, best, N);
	/* Well under 100 ms in a release build; the sanitizers make it a few times slower. */
	assert_true(total / N < 500);
}

int main(int argc, char **argv)
{
	/* GLib's slice allocator keeps freed and leaked blocks alike in its magazines, where
	 * LeakSanitizer cannot tell them apart; with plain malloc it sees a leaked GString.
	 * GLib reads G_SLICE before main, so the test starts itself again with it set. */
	(void)argc;
	if (!getenv("G_SLICE")) {
		setenv("G_SLICE", "always-malloc", 1);
		execv("/proc/self/exe", argv);
		perror("execv /proc/self/exe");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_are_written_the_administrative_way),
		cmocka_unit_test(scores_use_a_decimal_comma),
		cmocka_unit_test(the_pdf_reads_back_in_vietnamese),
		cmocka_unit_test(an_exam_certificate_says_so),
		cmocka_unit_test(text_is_normalised_before_drawing),
		cmocka_unit_test(the_qr_code_on_the_page_gives_the_url),
		cmocka_unit_test(a_very_long_title_stays_on_one_page),
		cmocka_unit_test(every_field_at_its_cap_fits_the_page),
		cmocka_unit_test(bad_input_is_refused_naming_the_field),
		cmocka_unit_test(a_writer_gets_the_pdf_and_can_stop_it),
		cmocka_unit_test(the_same_certificate_gives_the_same_bytes),
		cmocka_unit_test(four_threads_render_at_once),
		cmocka_unit_test(renders_do_not_accumulate_memory),
		cmocka_unit_test(one_render_is_quick),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
