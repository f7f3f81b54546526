/* qfile_reply.h — sending one file of a question version (an image of a Moodle XML question)
 * to a browser: GET /api/questions/file (h_questions.c) and GET /api/my/attempt/file
 * (h_assess.c), docs/question-bank.md "Images and rich text". */
#ifndef SRV_QFILE_REPLY_H
#define SRV_QFILE_REPLY_H

#include "http.h"

#include "lms/assess_files.h"

/* Sends f with status 200 (or 304 when the request's If-None-Match names its ETag): inline
 * with its type when lms_qfile_inline_type allows it, otherwise as a download
 * (application/octet-stream, Content-Disposition: attachment); always with nosniff, a
 * sandboxing Content-Security-Policy, Cross-Origin-Resource-Policy: same-origin,
 * Cache-Control: private, max-age=max_age_s (a version's files never change) and
 * ETag: "<sha256>". Returns the status sent. */
int srv_reply_qfile(srv_req *r, const lms_qfile_row *f, int max_age_s);

#endif
