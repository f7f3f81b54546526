/* question.c — the question model (question.h): defaults, the rules a question must keep,
 * grading one response, the learner's view without keys, the table of import/export problem
 * codes (English and Vietnamese), and the Unicode helpers (libunistring) grading relies on.
 *
 * Invariants:
 * - Everything returned lives in the caller's arena; libunistring's malloc'd results are
 *   copied and freed before returning. Grading allocates only in a scratch arena of its own,
 *   freed before it returns, so it has no effect outside *out.
 * - Grading never trusts the response: every index is range-checked, every text is checked
 *   for UTF-8 and size before it is normalised.
 * - The learner's view never contains a fraction, a feedback, an accepted answer, a
 *   tolerance, the true/false key or the grader's information, and identifies what it shows
 *   by shown position only (question.h, "Identity").
 *
 * What this file does not do: read or write any file format (question_gift.c,
 * question_moodlexml.c), or apply penalties for multiple tries (the quiz engine's job).
 */
#include "lms/question.h"

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define Q_SNAP 1e-6        /* a fraction this close to 0 or 1 is 0 or 1 */
#define Q_FULL 0.995       /* "full marks" within Moodle's two-decimal rounding */

/* ---- limits and defaults ---- */

void lms_qlimits_default(lms_qlimits *l)
{
	l->max_file_bytes = LMS_Q_GIFT_MAX_BYTES;
	l->max_questions = 20000;
	l->max_text = 64 * 1024;
	l->max_options = LMS_Q_MAX_OPTIONS;
	l->max_attachment = (size_t)2 * 1024 * 1024;
	l->max_attachments_total = (size_t)40 * 1024 * 1024;
}

void lms_qimport_opts_default(lms_qimport_opts *o)
{
	memset(o, 0, sizeof(*o));
	lms_qlimits_default(&o->limits);
}

static void text_init(lms_qtext *t)
{
	t->text = "";
	t->format = LMS_QF_MOODLE;
	t->files = NULL;
	t->n_files = 0;
}

lms_question *lms_question_new(lms_arena *a, lms_qtype type)
{
	lms_question *q = lms_arena_alloc(a, sizeof(*q));

	q->type = type;
	q->name = "";
	q->idnumber = "";
	text_init(&q->text);
	text_init(&q->general_feedback);
	q->default_mark = type == LMS_Q_DESCRIPTION ? 0.0 : 1.0;
	q->penalty = type == LMS_Q_TRUEFALSE ? 1.0 : 0.3333333;
	q->category = "";
	q->shuffle = true;
	q->answer_numbering = "abc";
	q->diacritics_must_match = true;
	q->tf_answer = true;
	text_init(&q->tf_feedback_true);
	text_init(&q->tf_feedback_false);
	text_init(&q->correct_feedback);
	text_init(&q->partial_feedback);
	text_init(&q->incorrect_feedback);
	q->response_format = "editor";
	q->response_required = true;
	q->response_lines = 15;
	text_init(&q->grader_info);
	text_init(&q->response_template);
	return q;
}

const char *lms_qtype_name(lms_qtype t)
{
	switch (t) {
	case LMS_Q_SINGLE: return "single";
	case LMS_Q_MULTI: return "multi";
	case LMS_Q_TRUEFALSE: return "truefalse";
	case LMS_Q_SHORT: return "short";
	case LMS_Q_NUMERICAL: return "numerical";
	case LMS_Q_MATCHING: return "matching";
	case LMS_Q_ORDERING: return "ordering";
	case LMS_Q_ESSAY: return "essay";
	case LMS_Q_DESCRIPTION: return "description";
	}
	return "?";
}

const char *lms_qformat_name(lms_qformat f)
{
	switch (f) {
	case LMS_QF_HTML: return "html";
	case LMS_QF_PLAIN: return "plain_text";
	case LMS_QF_MARKDOWN: return "markdown";
	case LMS_QF_MOODLE: break;
	}
	return "moodle_auto_format";
}

/* ---- the table of problem codes ---- */

typedef struct q_msg {
	const char *code, *en, *vi;
} q_msg;

/* "{}" is replaced by the problem's detail. Keep codes stable: clients key on them. */
static const q_msg q_msgs[] = {
	/* the whole file */
	{ "questions_file_too_big", "The file is too big ({} bytes)",
	  "Tệp quá lớn ({} byte)" },
	{ "questions_file_empty", "The file holds no questions", "Tệp không có câu hỏi nào" },
	{ "not_utf8", "Line {} is not valid UTF-8 (perhaps Windows-1258 or another legacy "
	  "encoding); save the file as UTF-8",
	  "Dòng {} không phải UTF-8 hợp lệ (có thể là Windows-1258 hoặc bảng mã cũ); hãy lưu "
	  "tệp ở dạng UTF-8" },
	{ "nul_byte", "Line {} contains a NUL byte", "Dòng {} chứa ký tự NUL" },
	{ "too_many_questions", "The file has more than {} questions; split it",
	  "Tệp có hơn {} câu hỏi; hãy chia nhỏ tệp" },
	{ "attachments_total", "The attached files together are over {} bytes",
	  "Tổng dung lượng các tệp đính kèm vượt quá {} byte" },
	{ "xml_not_well_formed", "The file is not well-formed XML: {}",
	  "Tệp không phải XML hợp lệ: {}" },
	{ "xml_doctype", "The file has a DOCTYPE, which could declare entities or load other "
	  "files; it is refused for safety",
	  "Tệp có khai báo DOCTYPE (có thể khai báo thực thể hoặc nạp tệp khác) nên bị từ chối "
	  "vì lý do an toàn" },
	{ "xml_entities", "The file declares XML entities; it is refused for safety",
	  "Tệp khai báo thực thể XML nên bị từ chối vì lý do an toàn" },
	{ "xml_external_dtd", "The file names an external DTD, which is never loaded; it is "
	  "refused for safety",
	  "Tệp tham chiếu DTD bên ngoài (không bao giờ được nạp) nên bị từ chối vì lý do an toàn" },
	{ "xml_too_many_nodes", "The file has too many XML elements ({})",
	  "Tệp có quá nhiều phần tử XML ({})" },
	{ "xml_too_deep", "XML elements are nested too deep ({})",
	  "Các phần tử XML lồng nhau quá sâu ({})" },
	{ "xml_warning", "XML warning: {}", "Cảnh báo XML: {}" },
	{ "xml_root", "The root element is <{}>, not <quiz>",
	  "Phần tử gốc là <{}>, không phải <quiz>" },
	/* reading one question */
	{ "type_unsupported", "Question type \"{}\" is not supported",
	  "Kiểu câu hỏi \"{}\" chưa được hỗ trợ" },
	{ "type_missing", "The question has no type", "Câu hỏi không có thuộc tính kiểu (type)" },
	{ "gift_brace", "An answer block is opened with { and not closed with }, or closed "
	  "without being opened",
	  "Khối đáp án mở bằng { nhưng không đóng bằng }, hoặc đóng mà chưa mở" },
	{ "gift_two_blocks", "The question has more than one answer block {...}",
	  "Câu hỏi có nhiều hơn một khối đáp án {...}" },
	{ "gift_name_unclosed", "The name starts with :: but is not closed with ::",
	  "Tên câu hỏi bắt đầu bằng :: nhưng không kết thúc bằng ::" },
	{ "gift_matching_arrow", "A matching pair has no \"->\": {}",
	  "Một cặp ghép thiếu dấu \"->\": {}" },
	{ "gift_tf_case", "The answer {} is read as a short answer; write {TRUE} or {FALSE} "
	  "(capitals) for a true/false question",
	  "Đáp án {} được hiểu là câu trả lời ngắn; hãy viết {TRUE} hoặc {FALSE} (chữ in hoa) "
	  "cho câu hỏi đúng/sai" },
	{ "gift_category_empty", "A $CATEGORY line names no category",
	  "Dòng $CATEGORY không ghi tên danh mục" },
	{ "too_few_answers", "The question needs at least {} answers",
	  "Câu hỏi cần ít nhất {} đáp án" },
	{ "bad_weight", "The grade \"{}\" is not a percentage between -100 and 100",
	  "Trọng số \"{}\" không phải tỉ lệ phần trăm trong khoảng -100 đến 100" },
	{ "bad_number", "\"{}\" is not a number", "\"{}\" không phải là số" },
	{ "xml_missing", "The element <{}> is missing", "Thiếu phần tử <{}>" },
	{ "bad_value", "The value of <{}> is not valid", "Giá trị của <{}> không hợp lệ" },
	{ "tf_answers", "A true/false question needs one \"true\" and one \"false\" answer",
	  "Câu hỏi đúng/sai cần một đáp án \"true\" và một đáp án \"false\"" },
	{ "difficulty_unknown", "The tag \"{}\" is not a difficulty (easy, medium, hard); it is "
	  "kept as a tag",
	  "Thẻ \"{}\" không phải độ khó (easy, medium, hard); được giữ như thẻ thường" },
	{ "units_ignored", "Units of a numerical question are not supported; the learner answers "
	  "with the number only",
	  "Đơn vị của câu hỏi số chưa được hỗ trợ; học viên chỉ nhập con số" },
	{ "ordering_grading", "The ordering grading type {} is not supported; it is graded by "
	  "absolute position",
	  "Cách chấm sắp xếp {} chưa được hỗ trợ; sẽ chấm theo vị trí tuyệt đối" },
	{ "ordering_select", "Showing only some of the items ({}) is not supported; every item is "
	  "shown",
	  "Chỉ hiển thị một phần các mục ({}) chưa được hỗ trợ; mọi mục đều được hiển thị" },
	{ "attachment_base64", "The attached file \"{}\" is not valid base64",
	  "Tệp đính kèm \"{}\" không phải base64 hợp lệ" },
	{ "attachment_missing", "The text refers to @@PLUGINFILE@@/{} but no such file is "
	  "attached",
	  "Nội dung tham chiếu @@PLUGINFILE@@/{} nhưng không có tệp đính kèm này" },
	{ "text_not_utf8", "{} is not valid UTF-8", "{} không phải UTF-8 hợp lệ" },
	/* the rules of lms_question_check (detail: the member at fault) */
	{ "name_missing", "The question has no name", "Câu hỏi không có tên" },
	{ "name_too_long", "The name is too long", "Tên câu hỏi quá dài" },
	{ "text_empty", "The question text is empty", "Nội dung câu hỏi trống" },
	{ "text_too_long", "A text is too long ({})", "Một đoạn văn bản quá dài ({})" },
	{ "text_control_char", "A text contains a control character ({})",
	  "Một đoạn văn bản chứa ký tự điều khiển ({})" },
	{ "too_few_options", "The question has too few answers ({})",
	  "Câu hỏi có quá ít đáp án ({})" },
	{ "too_many_options", "The question has too many answers ({})",
	  "Câu hỏi có quá nhiều đáp án ({})" },
	{ "fraction_range", "A grade is out of range ({})", "Một trọng số nằm ngoài giới hạn ({})" },
	{ "no_full_marks", "No answer gives full marks (100%)",
	  "Không có đáp án nào được trọn điểm (100%)" },
	{ "fractions_sum", "The positive grades add up to {}%, not 100%",
	  "Tổng các trọng số dương là {}%, không phải 100%" },
	{ "mark_range", "The mark is not a number from 0 to 1000",
	  "Điểm câu hỏi không phải số từ 0 đến 1000" },
	{ "penalty_range", "The penalty is not between 0 and 1",
	  "Mức trừ điểm không nằm trong khoảng 0 đến 1" },
	{ "tolerance_range", "A numerical answer or tolerance is not valid ({})",
	  "Một đáp án số hoặc sai số cho phép không hợp lệ ({})" },
	{ "answer_empty", "An answer is empty ({})", "Một đáp án bị trống ({})" },
	{ "answer_too_long", "An accepted answer is too long ({})",
	  "Một đáp án chấp nhận quá dài ({})" },
	{ "stems_too_few", "A matching question needs at least 2 pairs with a question",
	  "Câu hỏi ghép đôi cần ít nhất 2 cặp có vế hỏi" },
	{ "item_duplicate", "Two items to order have the same text ({})",
	  "Hai mục cần sắp xếp có nội dung giống nhau ({})" },
	{ "tags_too_many", "The question has too many tags", "Câu hỏi có quá nhiều thẻ" },
	{ "tag_invalid", "A tag is empty, too long or has < > or control characters ({})",
	  "Một thẻ bị trống, quá dài hoặc chứa < > hay ký tự điều khiển ({})" },
	{ "category_too_long", "The category path is too long", "Đường dẫn danh mục quá dài" },
	{ "attachment_too_big", "An attached file is too big ({})", "Tệp đính kèm quá lớn ({})" },
	{ "attachment_name", "An attached file has an invalid name or path ({})",
	  "Tệp đính kèm có tên hoặc đường dẫn không hợp lệ ({})" },
	{ "attachment_count", "A text has too many attached files ({})",
	  "Một đoạn văn bản có quá nhiều tệp đính kèm ({})" },
	{ "essay_options", "An essay option is out of range ({})",
	  "Một tùy chọn của câu tự luận nằm ngoài giới hạn ({})" },
	{ "type_invalid", "The question type is not valid", "Kiểu câu hỏi không hợp lệ" },
	/* writers */
	{ "gift_type_unsupported", "GIFT cannot express a question of type {}",
	  "Định dạng GIFT không biểu diễn được câu hỏi kiểu {}" },
	{ "gift_field_lost", "GIFT cannot hold {}; it is left out",
	  "Định dạng GIFT không lưu được {}; phần này bị bỏ qua" },
	{ "gift_arrow", "A matching stem or a short-answer text contains \"->\", which GIFT "
	  "would read as a matching pair",
	  "Vế hỏi của câu ghép đôi hoặc nội dung câu trả lời ngắn chứa \"->\", định dạng GIFT sẽ "
	  "hiểu nhầm là cặp ghép" },
};

static const q_msg *msg_find(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(q_msgs) / sizeof(q_msgs[0]); i++)
		if (strcmp(q_msgs[i].code, code) == 0)
			return &q_msgs[i];
	return NULL;
}

/* Template with its first "{}" replaced by detail, into out. */
static void msg_fill(char *out, size_t cap, const char *tmpl, const char *detail)
{
	const char *at = strstr(tmpl, "{}");

	if (!detail)
		detail = "";
	if (!at)
		snprintf(out, cap, "%s", tmpl);
	else
		snprintf(out, cap, "%.*s%s%s", (int)(at - tmpl), tmpl, detail, at + 2);
}

void lms_qreport_init(lms_qreport *r, lms_arena *a)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->max_items = 1000;
}

void lms_qreport_add(lms_qreport *r, lms_severity sev, const char *code, size_t index, int line,
                     const char *name, const char *detail)
{
	const q_msg *m = msg_find(code ? code : "");
	char en[512], vi[512];
	lms_qproblem *p;

	if (sev == LMS_SEV_ERROR)
		r->errors++;
	else
		r->warnings++;
	if (r->n >= r->max_items) {
		r->dropped++;
		return;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		lms_qproblem *bigger = lms_arena_alloc(r->arena, cap * sizeof(*bigger));
		if (r->n)
			memcpy(bigger, r->items, r->n * sizeof(*bigger));
		r->items = bigger;
		r->cap = cap;
	}
	if (m) {
		msg_fill(en, sizeof(en), m->en, detail);
		msg_fill(vi, sizeof(vi), m->vi, detail);
	} else {
		snprintf(en, sizeof(en), "Problem: %s", detail ? detail : "");
		snprintf(vi, sizeof(vi), "Lỗi: %s", detail ? detail : "");
	}
	p = &r->items[r->n++];
	p->severity = sev;
	p->code = lms_arena_strdup(r->arena, code ? code : "problem");
	p->index = index;
	p->line = line;
	p->name = lms_arena_strdup(r->arena, name ? name : "");
	p->message = lms_arena_strdup(r->arena, en);
	p->message_vi = lms_arena_strdup(r->arena, vi);
}

void lms_qreport_to_report(const lms_qreport *q, const char *file, lms_report *out)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		const lms_qproblem *p = &q->items[i];
		if (p->index == 0)
			lms_report_add(out, p->severity, p->code, file, p->line, "%s", p->message);
		else if (p->name[0])
			lms_report_add(out, p->severity, p->code, file, p->line,
			               "Question %zu (%.200s): %s", p->index, p->name, p->message);
		else
			lms_report_add(out, p->severity, p->code, file, p->line, "Question %zu: %s",
			               p->index, p->message);
	}
}

/* ---- text helpers ---- */

static bool is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static bool utf8_ok(const char *s, size_t n)
{
	return !memchr(s, 0, n) && u8_check((const uint8_t *)s, n) == NULL;
}

/* Copies a malloc'd libunistring result into a and frees it. */
static const char *take(lms_arena *a, uint8_t *r, size_t n)
{
	char *s = lms_arena_strndup(a, (const char *)r, n);

	free(r);
	return s;
}

int lms_qtext_nfc(lms_arena *a, const char *s, size_t n, const char **out, lms_err *err)
{
	uint8_t *r;
	size_t rn = 0;

	if (!utf8_ok(s, n))
		return lms_err_set(err, LMS_EINVAL, "text_not_utf8", NULL, "text is not valid UTF-8");
	if (is_ascii(s, n)) {
		*out = lms_arena_strndup(a, s, n);
		return 0;
	}
	r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &rn);
	if (!r)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not normalise text");
	*out = take(a, r, rn);
	return 0;
}

int lms_qanswer_normalize(lms_arena *a, const char *s, bool case_sensitive, bool keep_diacritics,
                          const char **out, lms_err *err)
{
	size_t n = strlen(s), rn = 0, i;
	uint8_t *r;
	const char *cur;
	char *o;
	size_t k = 0;
	bool pending = false;

	if (!utf8_ok(s, n))
		return lms_err_set(err, LMS_EINVAL, "text_not_utf8", NULL, "text is not valid UTF-8");
	if (case_sensitive)
		r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &rn);
	else
		r = u8_casefold((const uint8_t *)s, n, NULL, UNINORM_NFC, NULL, &rn);
	if (!r && n > 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not normalise text");
	cur = r ? take(a, r, rn) : "";
	n = r ? rn : 0;
	if (!keep_diacritics && !is_ascii(cur, n)) {
		/* NFD, then drop every nonspacing mark (the five tones, the circumflex, the breve,
		 * the horn) and make đ/Đ (which do not decompose) d/D. */
		uint8_t *d = u8_normalize(UNINORM_NFD, (const uint8_t *)cur, n, NULL, &rn);
		uint8_t *strip;
		size_t m = 0;
		if (!d)
			return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not normalise text");
		strip = lms_arena_alloc(a, rn + 1);
		for (i = 0; i < rn;) {
			ucs4_t uc;
			int len = u8_mbtouc(&uc, d + i, rn - i);
			if (len <= 0)
				break;
			if (uc == 0x0111)
				strip[m++] = 'd';
			else if (uc == 0x0110)
				strip[m++] = 'D';
			else if (!uc_is_general_category(uc, UC_CATEGORY_Mn)) {
				memcpy(strip + m, d + i, (size_t)len);
				m += (size_t)len;
			}
			i += (size_t)len;
		}
		free(d);
		r = u8_normalize(UNINORM_NFC, strip, m, NULL, &rn);
		if (!r && m > 0)
			return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not normalise text");
		cur = r ? take(a, r, rn) : "";
		n = r ? rn : 0;
	}
	/* White space: trimmed, each run made one space. */
	o = lms_arena_alloc(a, n + 1);
	for (i = 0; i < n;) {
		ucs4_t uc;
		int len = u8_mbtouc(&uc, (const uint8_t *)cur + i, n - i);
		if (len <= 0)
			break;
		if (uc_is_property_white_space(uc)) {
			pending = k > 0;
		} else {
			if (pending)
				o[k++] = ' ';
			pending = false;
			memcpy(o + k, cur + i, (size_t)len);
			k += (size_t)len;
		}
		i += (size_t)len;
	}
	o[k] = '\0';
	*out = o;
	return 0;
}

static bool ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool lms_qnumber_parse(const char *s, double *out)
{
	char buf[128];
	size_t n = 0, digits = 0;
	const char *p = s;
	char *end;
	double v;

	if (!s)
		return false;
	while (ascii_space((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		buf[n++] = *p++;
	while (*p >= '0' && *p <= '9' && n < sizeof(buf) - 8) {
		buf[n++] = *p++;
		digits++;
	}
	if ((*p == '.' || *p == ',') && n < sizeof(buf) - 8) {
		buf[n++] = '.';
		p++;
		while (*p >= '0' && *p <= '9' && n < sizeof(buf) - 8) {
			buf[n++] = *p++;
			digits++;
		}
	}
	if (digits == 0)
		return false;
	if ((*p == 'e' || *p == 'E') && n < sizeof(buf) - 8) {
		size_t exp_digits = 0;
		buf[n++] = 'e';
		p++;
		if (*p == '+' || *p == '-')
			buf[n++] = *p++;
		while (*p >= '0' && *p <= '9' && n < sizeof(buf) - 2) {
			buf[n++] = *p++;
			exp_digits++;
		}
		if (exp_digits == 0)
			return false;
	}
	while (ascii_space((unsigned char)*p))
		p++;
	if (*p != '\0')
		return false;
	buf[n] = '\0';
	v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

void lms_qnumber_format(double v, char out[32])
{
	int prec;
	double back;

	if (v == 0) {
		snprintf(out, 32, "0");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (lms_qnumber_parse(out, &back) && back == v)
			return;
	}
}

double lms_qfraction_from_percent(double percent)
{
	return round(percent * 100000.0) / 10000000.0;
}

/* A name for a question that has none: its text without tags, white space collapsed, the
 * first 80 characters (Moodle does the same). */
const char *lms_question_default_name(lms_arena *a, const char *text, size_t index)
{
	size_t n = strlen(text), i, k = 0, chars = 0;
	char *o = lms_arena_alloc(a, (n < 640 ? n : 640) + 2); /* 80 characters and spaces */
	bool in_tag = false, space = false;

	for (i = 0; i < n; i++) {
		char ch = text[i];
		bool lead = ((unsigned char)ch & 0xC0) != 0x80;
		if (ch == '<') {
			in_tag = true;
			continue;
		}
		if (in_tag) {
			in_tag = ch != '>';
			continue;
		}
		if (ascii_space((unsigned char)ch)) {
			space = k > 0;
			continue;
		}
		if (lead && chars >= 80)
			break; /* whole characters only */
		if (space) {
			o[k++] = ' ';
			chars++;
			space = false;
		}
		o[k++] = ch;
		chars += lead;
	}
	o[k] = '\0';
	if (k == 0) {
		char buf[40];
		snprintf(buf, sizeof(buf), "Câu hỏi %zu", index);
		return lms_arena_strdup(a, buf);
	}
	return o;
}

/* ---- pseudo-tags and categories ---- */

static bool ascii_ieq(const char *x, const char *y)
{
	for (; *x && *y; x++, y++) {
		char p = *x, q = *y;
		if (p >= 'A' && p <= 'Z')
			p = (char)(p - 'A' + 'a');
		if (q >= 'A' && q <= 'Z')
			q = (char)(q - 'A' + 'a');
		if (p != q)
			return false;
	}
	return *x == *y;
}

int lms_question_pseudo_tag(lms_question *q, const char *tag)
{
	static const char *const levels[] = { "difficulty:easy", "difficulty:medium",
		                              "difficulty:hard" };
	size_t i;

	for (i = 0; i < 3; i++)
		if (ascii_ieq(tag, levels[i])) {
			q->difficulty = (lms_qdifficulty)(LMS_QD_EASY + (int)i);
			return 1;
		}
	if (ascii_ieq(tag, "case:sensitive")) {
		q->case_sensitive = true;
		return 1;
	}
	if (ascii_ieq(tag, "diacritics:ignore")) {
		q->diacritics_must_match = false;
		return 1;
	}
	if (strncasecmp(tag, "difficulty:", 11) == 0)
		return -1;
	return 0;
}

size_t lms_question_pseudo_tags(const lms_question *q, const char *out[3])
{
	size_t n = 0;

	if (q->difficulty == LMS_QD_EASY)
		out[n++] = "difficulty:easy";
	else if (q->difficulty == LMS_QD_MEDIUM)
		out[n++] = "difficulty:medium";
	else if (q->difficulty == LMS_QD_HARD)
		out[n++] = "difficulty:hard";
	if (q->type == LMS_Q_SHORT && q->case_sensitive)
		out[n++] = "case:sensitive";
	if (q->type == LMS_Q_SHORT && !q->diacritics_must_match)
		out[n++] = "diacritics:ignore";
	return n;
}

const char *lms_qcategory_from_file(lms_arena *a, const char *prefix, const char *path,
                                    size_t len)
{
	char *o = lms_arena_alloc(a, len + (prefix ? strlen(prefix) : 0) + 2);
	size_t i = 0, k = 0, seg = 0;

	if (prefix && prefix[0]) {
		size_t pn = strlen(prefix);
		memcpy(o, prefix, pn);
		k = pn;
		while (k > 0 && o[k - 1] == '/')
			k--;
	}
	/* "$course$/", "$system$/", "$cat1$/" ...: Moodle's context, not ours. */
	if (len > 1 && path[0] == '$') {
		const char *end = memchr(path + 1, '$', len - 1);
		if (end) {
			i = (size_t)(end - path) + 1;
			if (i < len && path[i] == '/')
				i++;
		}
	}
	while (i <= len) {
		size_t s = i, e;
		while (i < len && path[i] != '/')
			i++;
		e = i;
		while (s < e && ascii_space((unsigned char)path[s]))
			s++;
		while (e > s && ascii_space((unsigned char)path[e - 1]))
			e--;
		/* a leading "top" is Moodle's root of every context */
		if (e > s && !(seg == 0 && e - s == 3 && memcmp(path + s, "top", 3) == 0)) {
			if (k > 0)
				o[k++] = '/';
			memcpy(o + k, path + s, e - s);
			k += e - s;
		}
		seg++;
		i++;
	}
	o[k] = '\0';
	return o;
}

/* ---- the rules of a question ---- */

static int check_fail(lms_err *err, const char *code, const char *field)
{
	const q_msg *m = msg_find(code);
	char en[300];

	msg_fill(en, sizeof(en), m ? m->en : code, field);
	return lms_err_set(err, LMS_EINVAL, code, field, "%s", en);
}

/* UTF-8, size, and no C0 control character other than tab, line feed and carriage return
 * (XML 1.0 cannot carry them). */
static int check_str(const char *s, size_t max, bool allow_newlines, const char *field,
                     lms_err *err)
{
	size_t n, i;

	if (!s)
		return 0;
	n = strlen(s);
	if (n > max)
		return check_fail(err, "text_too_long", field);
	if (u8_check((const uint8_t *)s, n) != NULL)
		return check_fail(err, "text_not_utf8", field);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x7f || (c < 0x20 && !(allow_newlines && (c == '\t' || c == '\n' ||
		                                                    c == '\r'))))
			return check_fail(err, "text_control_char", field);
	}
	return 0;
}

static bool file_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0, i;

	if (n == 0 || n > 255 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
			return false;
	}
	return u8_check((const uint8_t *)name, n) == NULL;
}

static bool file_path_ok(const char *path)
{
	size_t n = path ? strlen(path) : 0, i;

	if (n == 0 || n > 255 || path[0] != '/' || path[n - 1] != '/')
		return false;
	if (n == 1)
		return true;
	if (strstr(path, "//") || strstr(path, "/../") || strstr(path, "/./"))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			return false;
	}
	return u8_check((const uint8_t *)path, n) == NULL;
}

static int check_text(const lms_qtext *t, const char *field, const lms_qlimits *lim,
                      lms_err *err)
{
	size_t i;
	int rc;

	if ((rc = check_str(t->text, lim->max_text, true, field, err)) < 0)
		return rc;
	if (t->format > LMS_QF_MARKDOWN)
		return check_fail(err, "bad_value", field);
	if (t->n_files > LMS_Q_MAX_FILES)
		return check_fail(err, "attachment_count", field);
	for (i = 0; i < t->n_files; i++) {
		const lms_qfile *f = &t->files[i];
		if (!file_name_ok(f->name) || !file_path_ok(f->path))
			return check_fail(err, "attachment_name", field);
		if (f->size > lim->max_attachment)
			return check_fail(err, "attachment_too_big", field);
	}
	return 0;
}

static bool text_empty(const lms_qtext *t)
{
	return !t->text || !t->text[0];
}

static int check_options(const lms_question *q, const lms_qlimits *lim, lms_err *err)
{
	char field[64];
	double best = -2, pos = 0;
	size_t i;
	int rc;

	if (q->n_options > lim->max_options || q->n_options > LMS_Q_MAX_OPTIONS)
		return check_fail(err, "too_many_options", "options");
	if (q->n_options < (q->type == LMS_Q_SHORT ? 1u : 2u))
		return check_fail(err, "too_few_options", "options");
	for (i = 0; i < q->n_options; i++) {
		const lms_qoption *o = &q->options[i];
		double lo = q->type == LMS_Q_SHORT ? 0.0 : -1.0;
		snprintf(field, sizeof(field), "options[%zu].text", i);
		if ((rc = check_text(&o->text, field, lim, err)) < 0)
			return rc;
		if (text_empty(&o->text))
			return check_fail(err, "answer_empty", field);
		if (q->type == LMS_Q_SHORT && strlen(o->text.text) > LMS_Q_MAX_SHORT_ANSWER)
			return check_fail(err, "answer_too_long", field);
		snprintf(field, sizeof(field), "options[%zu].feedback", i);
		if ((rc = check_text(&o->feedback, field, lim, err)) < 0)
			return rc;
		if (!isfinite(o->fraction) || o->fraction < lo - 1e-9 || o->fraction > 1 + 1e-9) {
			snprintf(field, sizeof(field), "options[%zu].fraction", i);
			return check_fail(err, "fraction_range", field);
		}
		if (o->fraction > best)
			best = o->fraction;
		if (o->fraction > 0)
			pos += o->fraction;
	}
	if (q->type == LMS_Q_MULTI) {
		if (fabs(pos - 1.0) > 0.005) {
			char pct[32];
			snprintf(pct, sizeof(pct), "%.2f", pos * 100);
			return check_fail(err, "fractions_sum", pct);
		}
	} else if (best < Q_FULL) {
		return check_fail(err, "no_full_marks", "options");
	}
	return 0;
}

static int check_numerics(const lms_question *q, const lms_qlimits *lim, lms_err *err)
{
	char field[64];
	double best = -1;
	size_t i;
	int rc;

	if (q->n_numerics > lim->max_options || q->n_numerics > LMS_Q_MAX_OPTIONS)
		return check_fail(err, "too_many_options", "numerics");
	if (q->n_numerics < 1)
		return check_fail(err, "too_few_options", "numerics");
	for (i = 0; i < q->n_numerics; i++) {
		const lms_qnumeric *nu = &q->numerics[i];
		snprintf(field, sizeof(field), "numerics[%zu]", i);
		if (!nu->any && (!isfinite(nu->value) || !isfinite(nu->tolerance) ||
		                 nu->tolerance < 0))
			return check_fail(err, "tolerance_range", field);
		if (!isfinite(nu->fraction) || nu->fraction < -1e-9 || nu->fraction > 1 + 1e-9)
			return check_fail(err, "fraction_range", field);
		if (nu->fraction > best)
			best = nu->fraction;
		snprintf(field, sizeof(field), "numerics[%zu].feedback", i);
		if ((rc = check_text(&nu->feedback, field, lim, err)) < 0)
			return rc;
	}
	if (best < Q_FULL)
		return check_fail(err, "no_full_marks", "numerics");
	return 0;
}

static int check_pairs(const lms_question *q, const lms_qlimits *lim, lms_err *err)
{
	char field[64];
	size_t i, stems = 0;
	int rc;

	if (q->n_pairs > lim->max_options || q->n_pairs > LMS_Q_MAX_OPTIONS)
		return check_fail(err, "too_many_options", "pairs");
	for (i = 0; i < q->n_pairs; i++) {
		const lms_qpair *p = &q->pairs[i];
		snprintf(field, sizeof(field), "pairs[%zu].stem", i);
		if ((rc = check_text(&p->stem, field, lim, err)) < 0)
			return rc;
		snprintf(field, sizeof(field), "pairs[%zu].answer", i);
		if ((rc = check_str(p->answer, lim->max_text, false, field, err)) < 0)
			return rc;
		if (!p->answer || !p->answer[0])
			return check_fail(err, "answer_empty", field);
		if (!text_empty(&p->stem))
			stems++;
	}
	if (stems < 2)
		return check_fail(err, "stems_too_few", "pairs");
	return 0;
}

static int check_items(const lms_question *q, const lms_qlimits *lim, lms_err *err)
{
	char field[64];
	size_t i, j;
	int rc;

	if (q->n_items > lim->max_options || q->n_items > LMS_Q_MAX_OPTIONS)
		return check_fail(err, "too_many_options", "items");
	if (q->n_items < 2)
		return check_fail(err, "too_few_options", "items");
	for (i = 0; i < q->n_items; i++) {
		snprintf(field, sizeof(field), "items[%zu]", i);
		if ((rc = check_text(&q->items[i], field, lim, err)) < 0)
			return rc;
		if (text_empty(&q->items[i]))
			return check_fail(err, "answer_empty", field);
		for (j = 0; j < i; j++)
			if (strcmp(q->items[j].text, q->items[i].text) == 0)
				return check_fail(err, "item_duplicate", field);
	}
	if (q->ordering_grading > LMS_QO_ALL_OR_NOTHING)
		return check_fail(err, "bad_value", "ordering_grading");
	return 0;
}

int lms_question_check(const lms_question *q, const lms_qlimits *lim, lms_err *err)
{
	lms_qlimits deflim;
	char field[32];
	size_t i;
	int rc;

	if (!lim) {
		lms_qlimits_default(&deflim);
		lim = &deflim;
	}
	if (q->type < LMS_Q_SINGLE || q->type > LMS_Q_DESCRIPTION)
		return check_fail(err, "type_invalid", "type");
	if (!q->name || !q->name[0])
		return check_fail(err, "name_missing", "name");
	if (strlen(q->name) > LMS_Q_MAX_NAME)
		return check_fail(err, "name_too_long", "name");
	if ((rc = check_str(q->name, LMS_Q_MAX_NAME, false, "name", err)) < 0 ||
	    (rc = check_str(q->idnumber, 100, false, "idnumber", err)) < 0 ||
	    (rc = check_str(q->answer_numbering, 20, false, "answer_numbering", err)) < 0 ||
	    (rc = check_str(q->response_format, 20, false, "response_format", err)) < 0)
		return rc;
	if (q->category && strlen(q->category) > LMS_Q_MAX_CATEGORY)
		return check_fail(err, "category_too_long", "category");
	if ((rc = check_str(q->category, LMS_Q_MAX_CATEGORY, false, "category", err)) < 0)
		return rc;
	if (q->n_tags > LMS_Q_MAX_TAGS)
		return check_fail(err, "tags_too_many", "tags");
	for (i = 0; i < q->n_tags; i++) {
		const char *t = q->tags[i];
		snprintf(field, sizeof(field), "tags[%zu]", i);
		if (!t || !t[0] || strlen(t) > LMS_Q_MAX_TAG || strchr(t, '<') || strchr(t, '>') ||
		    check_str(t, LMS_Q_MAX_TAG, false, field, err) < 0)
			return check_fail(err, "tag_invalid", field);
	}
	if (!isfinite(q->default_mark) || q->default_mark < 0 || q->default_mark > 1000)
		return check_fail(err, "mark_range", "default_mark");
	if (!isfinite(q->penalty) || q->penalty < 0 || q->penalty > 1)
		return check_fail(err, "penalty_range", "penalty");
	if ((rc = check_text(&q->text, "text", lim, err)) < 0)
		return rc;
	if (text_empty(&q->text))
		return check_fail(err, "text_empty", "text");
	if ((rc = check_text(&q->general_feedback, "general_feedback", lim, err)) < 0 ||
	    (rc = check_text(&q->correct_feedback, "correct_feedback", lim, err)) < 0 ||
	    (rc = check_text(&q->partial_feedback, "partial_feedback", lim, err)) < 0 ||
	    (rc = check_text(&q->incorrect_feedback, "incorrect_feedback", lim, err)) < 0 ||
	    (rc = check_text(&q->tf_feedback_true, "tf_feedback_true", lim, err)) < 0 ||
	    (rc = check_text(&q->tf_feedback_false, "tf_feedback_false", lim, err)) < 0 ||
	    (rc = check_text(&q->grader_info, "grader_info", lim, err)) < 0 ||
	    (rc = check_text(&q->response_template, "response_template", lim, err)) < 0)
		return rc;
	switch (q->type) {
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI:
	case LMS_Q_SHORT:
		return check_options(q, lim, err);
	case LMS_Q_NUMERICAL:
		return check_numerics(q, lim, err);
	case LMS_Q_MATCHING:
		return check_pairs(q, lim, err);
	case LMS_Q_ORDERING:
		return check_items(q, lim, err);
	case LMS_Q_ESSAY:
		if (q->response_lines < 0 || q->response_lines > 1000)
			return check_fail(err, "essay_options", "response_lines");
		if (q->attachments < -1 || q->attachments > 100)
			return check_fail(err, "essay_options", "attachments");
		return 0;
	case LMS_Q_TRUEFALSE:
	case LMS_Q_DESCRIPTION:
		return 0;
	}
	return check_fail(err, "type_invalid", "type");
}

/* ---- grading ---- */

static double clamp01(double f)
{
	if (!(f > Q_SNAP))
		return 0.0;
	if (f > 1.0 - Q_SNAP)
		return 1.0;
	return f;
}

static int bad_shape(lms_err *err, const lms_question *q, const char *what)
{
	return lms_err_set(err, LMS_EINVAL, "response_shape", "response",
	                   "the response does not fit a %s question: %s", lms_qtype_name(q->type),
	                   what);
}

static lms_rkind kind_for(lms_qtype t)
{
	switch (t) {
	case LMS_Q_SINGLE: return LMS_R_CHOICE;
	case LMS_Q_MULTI: return LMS_R_CHOICES;
	case LMS_Q_TRUEFALSE: return LMS_R_BOOL;
	case LMS_Q_SHORT:
	case LMS_Q_NUMERICAL:
	case LMS_Q_ESSAY: return LMS_R_TEXT;
	case LMS_Q_MATCHING: return LMS_R_PAIRS;
	case LMS_Q_ORDERING: return LMS_R_ORDER;
	case LMS_Q_DESCRIPTION: break;
	}
	return LMS_R_NONE;
}

/* '*' matches any run of bytes, "\*" a star; both sides are normalised UTF-8, so a literal
 * run can only match at character boundaries. Greedy with one backtrack point: O(n*m). */
static bool glob_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (*p) {
			char pc = *p;
			const char *pn = p + 1;
			if (*p == '\\' && p[1] == '*') {
				pc = '*';
				pn = p + 2;
			}
			if (pc == *s) {
				p = pn;
				s++;
				continue;
			}
		}
		if (star_p) {
			p = star_p;
			s = ++star_s;
			continue;
		}
		return false;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

static int check_response_text(const lms_question *q, const char *text, size_t max,
                               lms_err *err)
{
	size_t n;

	if (!text)
		return bad_shape(err, q, "no text");
	n = strnlen(text, max + 1);
	if (n > max)
		return lms_err_set(err, LMS_ETOOBIG, "response_too_long", "response.text",
		                   "the answer is longer than %zu bytes", max);
	if (!utf8_ok(text, n))
		return lms_err_set(err, LMS_EINVAL, "response_shape", "response.text",
		                   "the answer is not valid UTF-8");
	return 0;
}

static int grade_short(const lms_question *q, const char *text, lms_grade *g, lms_err *err)
{
	lms_arena *scratch = lms_arena_new();
	const char *mine, *theirs;
	double best = -1;
	size_t i;
	int rc;

	if ((rc = lms_qanswer_normalize(scratch, text, q->case_sensitive, q->diacritics_must_match,
	                                &mine, err)) < 0)
		goto cleanup;
	for (i = 0; i < q->n_options; i++) {
		lms_err ignored;
		if (lms_qanswer_normalize(scratch, q->options[i].text.text ? q->options[i].text.text
		                                                            : "",
		                          q->case_sensitive, q->diacritics_must_match, &theirs,
		                          &ignored) < 0)
			continue;
		if (theirs[0] && glob_match(theirs, mine) && q->options[i].fraction > best) {
			best = q->options[i].fraction;
			g->matched = (int)i;
		}
	}
	g->fraction = best > 0 ? best : 0;
cleanup:
	lms_arena_free(scratch);
	return rc;
}

static void grade_numerical(const lms_question *q, const char *text, lms_grade *g)
{
	double x, best = -1;
	size_t i;

	if (!lms_qnumber_parse(text, &x)) {
		g->not_a_number = true;
		return;
	}
	for (i = 0; i < q->n_numerics; i++) {
		const lms_qnumeric *nu = &q->numerics[i];
		double slack = 1e-9 * fmax(1.0, fabs(nu->value));
		if ((nu->any || fabs(x - nu->value) <= nu->tolerance + slack) && nu->fraction > best) {
			best = nu->fraction;
			g->matched = (int)i;
		}
	}
	g->fraction = best > 0 ? best : 0;
}

static int grade_choices(const lms_question *q, const lms_response *r, lms_grade *g,
                         lms_err *err)
{
	bool chosen[LMS_Q_MAX_OPTIONS] = { false };
	double sum = 0;
	size_t i;

	if (r->kind == LMS_R_CHOICE) {
		if (r->choice >= q->n_options)
			return bad_shape(err, q, "choice out of range");
		chosen[r->choice] = true;
		g->matched = (int)r->choice;
	} else if (r->kind == LMS_R_CHOICES) {
		if (r->n_choices > q->n_options || (r->n_choices && !r->choices))
			return bad_shape(err, q, "too many choices");
		for (i = 0; i < r->n_choices; i++) {
			if (r->choices[i] >= q->n_options)
				return bad_shape(err, q, "choice out of range");
			if (chosen[r->choices[i]])
				return bad_shape(err, q, "a choice given twice");
			chosen[r->choices[i]] = true;
		}
	}
	g->n_parts = q->n_options;
	for (i = 0; i < q->n_options; i++) {
		double f = q->options[i].fraction;
		if (chosen[i]) {
			sum += f;
			if (q->type == LMS_Q_MULTI)
				g->parts[i] = f > 0 ? LMS_PART_RIGHT : LMS_PART_WRONG;
			else
				g->parts[i] = f >= 1 - Q_SNAP ? LMS_PART_RIGHT
				              : f > 0         ? LMS_PART_PARTIAL
				                              : LMS_PART_WRONG;
		} else if (q->type == LMS_Q_MULTI ? f > 0 : f >= 1 - Q_SNAP) {
			g->parts[i] = LMS_PART_MISSED;
		}
	}
	g->fraction = sum;
	return 0;
}

static int grade_matching(const lms_question *q, const lms_response *r, lms_grade *g,
                          lms_err *err)
{
	bool seen[LMS_Q_MAX_OPTIONS] = { false };
	size_t i, stems = 0, right = 0;

	g->n_parts = q->n_pairs;
	for (i = 0; i < q->n_pairs; i++)
		if (!text_empty(&q->pairs[i].stem)) {
			stems++;
			g->parts[i] = LMS_PART_MISSED;
		}
	if (r->kind == LMS_R_PAIRS) {
		if (r->n_pairs > q->n_pairs || (r->n_pairs && !r->pairs))
			return bad_shape(err, q, "too many pairs");
		for (i = 0; i < r->n_pairs; i++) {
			size_t s = r->pairs[i].stem, c = r->pairs[i].choice;
			if (s >= q->n_pairs || c >= q->n_pairs || text_empty(&q->pairs[s].stem))
				return bad_shape(err, q, "pair out of range");
			if (seen[s])
				return bad_shape(err, q, "a stem answered twice");
			seen[s] = true;
			if (strcmp(q->pairs[s].answer, q->pairs[c].answer) == 0) {
				right++;
				g->parts[s] = LMS_PART_RIGHT;
			} else {
				g->parts[s] = LMS_PART_WRONG;
			}
		}
	}
	g->fraction = stems ? (double)right / (double)stems : 0;
	return 0;
}

static int grade_ordering(const lms_question *q, const lms_response *r, lms_grade *g,
                          lms_err *err)
{
	bool seen[LMS_Q_MAX_OPTIONS] = { false };
	size_t i, right = 0;

	g->n_parts = q->n_items;
	if (r->kind == LMS_R_NONE) {
		for (i = 0; i < q->n_items; i++)
			g->parts[i] = LMS_PART_MISSED;
		return 0;
	}
	if (r->n_order != q->n_items || !r->order)
		return bad_shape(err, q, "the order must list every item once");
	for (i = 0; i < r->n_order; i++) {
		if (r->order[i] >= q->n_items || seen[r->order[i]])
			return bad_shape(err, q, "the order must list every item once");
		seen[r->order[i]] = true;
	}
	for (i = 0; i < r->n_order; i++) {
		bool ok = r->order[i] == i;
		right += ok;
		g->parts[r->order[i]] = ok ? LMS_PART_RIGHT : LMS_PART_WRONG;
	}
	if (q->ordering_grading == LMS_QO_ALL_OR_NOTHING)
		g->fraction = right == q->n_items ? 1.0 : 0.0;
	else
		g->fraction = (double)right / (double)q->n_items;
	return 0;
}

int lms_question_grade(const lms_question *q, const lms_response *r, lms_grade *out,
                       lms_err *err)
{
	lms_grade g;
	lms_rkind want = kind_for(q->type);
	int rc = 0;

	memset(&g, 0, sizeof(g));
	g.matched = -1;
	g.graded = q->type != LMS_Q_ESSAY && q->type != LMS_Q_DESCRIPTION;
	g.max_points = q->type == LMS_Q_DESCRIPTION ? 0 : q->default_mark;
	if (r->kind != LMS_R_NONE && r->kind != want)
		return bad_shape(err, q, "wrong kind of response");
	if (q->n_options > LMS_Q_MAX_OPTIONS || q->n_pairs > LMS_Q_MAX_OPTIONS ||
	    q->n_items > LMS_Q_MAX_OPTIONS)
		return lms_err_set(err, LMS_EINVAL, "question_invalid", NULL,
		                   "the question has too many options to grade");
	switch (q->type) {
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI:
		rc = grade_choices(q, r, &g, err);
		break;
	case LMS_Q_TRUEFALSE:
		if (r->kind == LMS_R_BOOL)
			g.fraction = r->value == q->tf_answer ? 1.0 : 0.0;
		break;
	case LMS_Q_SHORT:
		if (r->kind == LMS_R_TEXT &&
		    (rc = check_response_text(q, r->text, LMS_Q_MAX_RESPONSE_SHORT, err)) == 0)
			rc = grade_short(q, r->text, &g, err);
		break;
	case LMS_Q_NUMERICAL:
		if (r->kind == LMS_R_TEXT &&
		    (rc = check_response_text(q, r->text, LMS_Q_MAX_RESPONSE_SHORT, err)) == 0)
			grade_numerical(q, r->text, &g);
		break;
	case LMS_Q_MATCHING:
		rc = grade_matching(q, r, &g, err);
		break;
	case LMS_Q_ORDERING:
		rc = grade_ordering(q, r, &g, err);
		break;
	case LMS_Q_ESSAY:
		if (r->kind == LMS_R_TEXT)
			rc = check_response_text(q, r->text, LMS_Q_MAX_RESPONSE_ESSAY, err);
		g.needs_manual = true;
		break;
	case LMS_Q_DESCRIPTION:
		break;
	default:
		return lms_err_set(err, LMS_EINVAL, "question_invalid", NULL,
		                   "the question type is not valid");
	}
	if (rc < 0)
		return rc;
	g.fraction = clamp01(g.fraction);
	g.points = g.fraction * g.max_points;
	*out = g;
	return 0;
}

/* ---- the learner's view ---- */

/* splitmix64: a fixed, portable sequence from the caller's seed (presentation only: the
 * seed is drawn by the caller with RAND_bytes; nothing secret depends on this generator). */
static uint64_t mix_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void shuffle(size_t *v, size_t n, uint64_t seed, uint64_t stream)
{
	uint64_t s = seed ^ (stream * 0xD6E8FEB86659FD93ULL);
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)(mix_next(&s) % i), t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

static size_t *iota(lms_arena *a, size_t n)
{
	size_t *v = lms_arena_alloc(a, (n ? n : 1) * sizeof(*v)), i;

	for (i = 0; i < n; i++)
		v[i] = i;
	return v;
}

int lms_question_layout(const lms_question *q, uint64_t seed, lms_arena *a, lms_qlayout *out,
                        lms_err *err)
{
	lms_qlayout l;
	size_t i, j;

	memset(&l, 0, sizeof(l));
	if (q->n_options > LMS_Q_MAX_OPTIONS || q->n_pairs > LMS_Q_MAX_OPTIONS ||
	    q->n_items > LMS_Q_MAX_OPTIONS)
		return lms_err_set(err, LMS_EINVAL, "question_invalid", NULL,
		                   "the question has too many options");
	switch (q->type) {
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI:
		l.n_options = q->n_options;
		l.option_order = iota(a, l.n_options);
		if (q->shuffle)
			shuffle(l.option_order, l.n_options, seed, 1);
		break;
	case LMS_Q_ORDERING:
		l.n_options = q->n_items;
		l.option_order = iota(a, l.n_options);
		shuffle(l.option_order, l.n_options, seed, 2);
		if (l.n_options >= 2) {
			/* Never show the key itself: rotate an identity draw by one. */
			for (i = 0; i < l.n_options && l.option_order[i] == i; i++)
				;
			if (i == l.n_options)
				for (i = 0; i < l.n_options; i++)
					l.option_order[i] = (i + 1) % l.n_options;
		}
		break;
	case LMS_Q_MATCHING:
		l.stem_order = lms_arena_alloc(a, (q->n_pairs ? q->n_pairs : 1) * sizeof(size_t));
		l.choice_order = lms_arena_alloc(a, (q->n_pairs ? q->n_pairs : 1) * sizeof(size_t));
		for (i = 0; i < q->n_pairs; i++) {
			bool dup = false;
			if (!text_empty(&q->pairs[i].stem))
				l.stem_order[l.n_stems++] = i;
			for (j = 0; j < i && !dup; j++)
				dup = strcmp(q->pairs[j].answer, q->pairs[i].answer) == 0;
			if (!dup)
				l.choice_order[l.n_choices++] = i;
		}
		if (q->shuffle)
			shuffle(l.stem_order, l.n_stems, seed, 3);
		shuffle(l.choice_order, l.n_choices, seed, 4);
		break;
	default:
		break;
	}
	*out = l;
	return 0;
}

static void json_text(lms_jsonw *w, const lms_qtext *t)
{
	size_t i;

	lms_jsonw_raw(w, "{\"text\":");
	lms_jsonw_str(w, t->text ? t->text : "");
	lms_jsonw_raw(w, ",\"format\":");
	lms_jsonw_str(w, lms_qformat_name(t->format));
	if (t->n_files) {
		lms_jsonw_raw(w, ",\"files\":[");
		for (i = 0; i < t->n_files; i++) {
			if (i)
				lms_jsonw_raw(w, ",");
			lms_jsonw_str(w, t->files[i].name);
		}
		lms_jsonw_raw(w, "]");
	}
	lms_jsonw_raw(w, "}");
}

static void json_list(lms_jsonw *w, const char *key, const size_t *order, size_t n,
                      const lms_qtext *texts, size_t stride)
{
	size_t p;

	lms_jsonw_raw(w, ",\"");
	lms_jsonw_raw(w, key);
	lms_jsonw_raw(w, "\":[");
	for (p = 0; p < n; p++) {
		const lms_qtext *t = (const lms_qtext *)(const void *)((const char *)texts +
		                                                        order[p] * stride);
		if (p)
			lms_jsonw_raw(w, ",");
		lms_jsonw_raw(w, "{\"id\":");
		lms_jsonw_i64(w, (int64_t)p);
		lms_jsonw_raw(w, ",\"text\":");
		json_text(w, t);
		lms_jsonw_raw(w, "}");
	}
	lms_jsonw_raw(w, "]");
}

int lms_question_delivery_json(const lms_question *q, const lms_qlayout *layout, lms_jsonw *w,
                               lms_err *err)
{
	size_t p;

	if ((q->type == LMS_Q_SINGLE || q->type == LMS_Q_MULTI) &&
	    layout->n_options != q->n_options)
		return lms_err_set(err, LMS_EINVAL, "layout_mismatch", NULL,
		                   "the layout was made for another question");
	if (q->type == LMS_Q_ORDERING && layout->n_options != q->n_items)
		return lms_err_set(err, LMS_EINVAL, "layout_mismatch", NULL,
		                   "the layout was made for another question");
	if (q->type == LMS_Q_MATCHING &&
	    (layout->n_stems > q->n_pairs || layout->n_choices > q->n_pairs))
		return lms_err_set(err, LMS_EINVAL, "layout_mismatch", NULL,
		                   "the layout was made for another question");
	lms_jsonw_raw(w, "{\"type\":");
	lms_jsonw_str(w, lms_qtype_name(q->type));
	lms_jsonw_raw(w, ",\"text\":");
	json_text(w, &q->text);
	lms_jsonw_raw(w, ",\"points\":");
	lms_jsonw_num(w, q->type == LMS_Q_DESCRIPTION ? 0 : q->default_mark);
	switch (q->type) {
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI:
		lms_jsonw_raw(w, ",\"numbering\":");
		lms_jsonw_str(w, q->answer_numbering ? q->answer_numbering : "abc");
		json_list(w, "options", layout->option_order, layout->n_options,
		          q->options ? &q->options[0].text : NULL, sizeof(lms_qoption));
		break;
	case LMS_Q_ORDERING:
		json_list(w, "items", layout->option_order, layout->n_options, q->items,
		          sizeof(lms_qtext));
		break;
	case LMS_Q_MATCHING:
		json_list(w, "stems", layout->stem_order, layout->n_stems,
		          q->pairs ? &q->pairs[0].stem : NULL, sizeof(lms_qpair));
		lms_jsonw_raw(w, ",\"choices\":[");
		for (p = 0; p < layout->n_choices; p++) {
			if (p)
				lms_jsonw_raw(w, ",");
			lms_jsonw_raw(w, "{\"id\":");
			lms_jsonw_i64(w, (int64_t)p);
			lms_jsonw_raw(w, ",\"text\":");
			lms_jsonw_str(w, q->pairs[layout->choice_order[p]].answer);
			lms_jsonw_raw(w, "}");
		}
		lms_jsonw_raw(w, "]");
		break;
	case LMS_Q_ESSAY:
		lms_jsonw_raw(w, ",\"response_format\":");
		lms_jsonw_str(w, q->response_format ? q->response_format : "editor");
		lms_jsonw_raw(w, q->response_required ? ",\"response_required\":true"
		                                      : ",\"response_required\":false");
		lms_jsonw_raw(w, ",\"response_lines\":");
		lms_jsonw_i64(w, q->response_lines);
		lms_jsonw_raw(w, ",\"attachments\":");
		lms_jsonw_i64(w, q->attachments);
		lms_jsonw_raw(w, ",\"template\":");
		json_text(w, &q->response_template);
		break;
	default:
		break;
	}
	lms_jsonw_raw(w, "}");
	return 0;
}

static int shown_to_stored(const size_t *order, size_t n, size_t shown, size_t *out,
                           const lms_question *q, lms_err *err)
{
	if (shown >= n)
		return bad_shape(err, q, "position out of range");
	*out = order[shown];
	return 0;
}

int lms_question_response_from_delivered(const lms_question *q, const lms_qlayout *layout,
                                         const lms_response *shown, lms_arena *a,
                                         lms_response *out, lms_err *err)
{
	lms_response r = *shown;
	size_t i;
	int rc;

	switch (shown->kind) {
	case LMS_R_CHOICE:
		if ((rc = shown_to_stored(layout->option_order, layout->n_options, shown->choice,
		                          &r.choice, q, err)) < 0)
			return rc;
		break;
	case LMS_R_CHOICES:
	case LMS_R_ORDER: {
		const size_t *src = shown->kind == LMS_R_CHOICES ? shown->choices : shown->order;
		size_t n = shown->kind == LMS_R_CHOICES ? shown->n_choices : shown->n_order;
		size_t *dst;
		if (n > LMS_Q_MAX_OPTIONS || (n && !src))
			return bad_shape(err, q, "too many positions");
		dst = lms_arena_alloc(a, (n ? n : 1) * sizeof(*dst));
		for (i = 0; i < n; i++)
			if ((rc = shown_to_stored(layout->option_order, layout->n_options, src[i],
			                          &dst[i], q, err)) < 0)
				return rc;
		if (shown->kind == LMS_R_CHOICES)
			r.choices = dst;
		else
			r.order = dst;
		break;
	}
	case LMS_R_PAIRS: {
		lms_rpair *dst;
		if (shown->n_pairs > LMS_Q_MAX_OPTIONS || (shown->n_pairs && !shown->pairs))
			return bad_shape(err, q, "too many pairs");
		dst = lms_arena_alloc(a, (shown->n_pairs ? shown->n_pairs : 1) * sizeof(*dst));
		for (i = 0; i < shown->n_pairs; i++) {
			if ((rc = shown_to_stored(layout->stem_order, layout->n_stems,
			                          shown->pairs[i].stem, &dst[i].stem, q, err)) < 0 ||
			    (rc = shown_to_stored(layout->choice_order, layout->n_choices,
			                          shown->pairs[i].choice, &dst[i].choice, q, err)) < 0)
				return rc;
		}
		r.pairs = dst;
		break;
	}
	default:
		break;
	}
	*out = r;
	return 0;
}
