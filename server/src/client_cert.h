/* client_cert.h — client certificates of the personnel system: mutual TLS, terminated by
 * nginx (server/nginx/parlearn.conf, the hr-api server). nginx verifies the certificate
 * against the personnel system's CA and passes it on, URL-escaped PEM, in X-Client-Cert, with
 * X-Client-Verify; parlearn trusts both only from the trusted proxy and identifies the
 * certificate by the SHA-256 of its DER bytes, registered with `parlearn apikey create
 * --client-cert FILE`. OpenSSL stays in client_cert.c. */
#ifndef SRV_CLIENT_CERT_H
#define SRV_CLIENT_CERT_H

#include "lms/error.h"

#include <stddef.h>

/* The SHA-256 of the DER form of the certificate in pem[0..len) (PEM text). LMS_EINVAL when
 * it is not one certificate. */
int srv_cert_pem_sha256(const char *pem, size_t len, unsigned char out[32], lms_err *err);

/* The same for nginx's $ssl_client_escaped_cert (URL-escaped PEM). */
int srv_cert_escaped_sha256(const char *escaped, unsigned char out[32], lms_err *err);

#endif
