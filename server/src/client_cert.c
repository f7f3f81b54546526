/* client_cert.c — the fingerprint of a client certificate (client_cert.h), with OpenSSL. */
#include "client_cert.h"

#include <civetweb.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdlib.h>
#include <string.h>

#define MAX_PEM 16384

int srv_cert_pem_sha256(const char *pem, size_t len, unsigned char out[32], lms_err *err)
{
	BIO *bio = NULL;
	X509 *x = NULL;
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	int n, rc = LMS_OK;

	if (len == 0 || len > MAX_PEM || !(bio = BIO_new_mem_buf(pem, (int)len)) ||
	    !(x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) || (n = i2d_X509(x, &der)) <= 0 ||
	    !EVP_Digest(der, (size_t)n, out, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		rc = lms_err_set(err, LMS_EINVAL, "invalid_certificate", "certificate",
		                 "not a PEM certificate");
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(bio);
	return rc;
}

int srv_cert_escaped_sha256(const char *escaped, unsigned char out[32], lms_err *err)
{
	size_t len = escaped ? strlen(escaped) : 0;
	char *pem;
	int n, rc;

	if (len == 0 || len > 3 * MAX_PEM)
		return lms_err_set(err, LMS_EINVAL, "invalid_certificate", "certificate",
		                   "no client certificate");
	if (!(pem = malloc(len + 1)))
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	n = mg_url_decode(escaped, (int)len, pem, (int)len + 1, 0);
	rc = n > 0 ? srv_cert_pem_sha256(pem, (size_t)n, out, err)
	           : lms_err_set(err, LMS_EINVAL, "invalid_certificate", "certificate",
	                         "the client certificate is not URL-escaped PEM");
	free(pem);
	return rc;
}
