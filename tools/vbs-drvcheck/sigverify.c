// SPDX-License-Identifier: MIT
/*
 * Module signature verification (sigverify.h). The trailer layout is
 * Linux include/linux/module_signature.h; id_type PKEY_ID_PKCS7 (2) is
 * the only one the kernel accepts (kernel/module/signing.c). The signer
 * is found among the given certificates by issuer and serial number; the
 * certificates themselves are trusted as given (no chain is built).
 */
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "sigverify.h"

#define PKEY_ID_PKCS7 2

struct drv_certs {
	STACK_OF(X509) *stack;
};

int drv_certs_add(struct drv_certs **certs, const char *path)
{
	BIO *in = BIO_new_file(path, "rb");
	X509 *x;
	int added = 0;

	if (!in)
		return -1;
	if (!*certs) {
		*certs = calloc(1, sizeof(**certs));
		if (!*certs || !((*certs)->stack = sk_X509_new_null())) {
			BIO_free(in);
			return -1;
		}
	}
	while ((x = PEM_read_bio_X509(in, NULL, NULL, NULL))) {
		sk_X509_push((*certs)->stack, x);
		added++;
	}
	if (!added) { /* not PEM: one DER certificate */
		ERR_clear_error();
		(void)BIO_reset(in);
		x = d2i_X509_bio(in, NULL);
		if (x) {
			sk_X509_push((*certs)->stack, x);
			added++;
		}
	}
	ERR_clear_error();
	BIO_free(in);
	return added ? 0 : -1;
}

void drv_certs_free(struct drv_certs *certs)
{
	if (!certs)
		return;
	sk_X509_pop_free(certs->stack, X509_free);
	free(certs);
}

static int cms_ok(const struct drv_certs *certs, const uint8_t *buf,
		  const struct drv_result *res)
{
	const unsigned char *p = buf + res->sig_off;
	CMS_ContentInfo *cms;
	BIO *data;
	int ok;

	if (res->sig_len > (size_t)LONG_MAX)
		return 0;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)res->sig_len);
	if (!cms)
		return 0;
	data = BIO_new_mem_buf(buf, (int)res->body_len);
	ok = data && res->body_len <= (size_t)INT_MAX &&
	     CMS_verify(cms, certs->stack, NULL, data, NULL,
			CMS_BINARY | CMS_NOINTERN |
				CMS_NO_SIGNER_CERT_VERIFY) == 1;
	BIO_free(data);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return ok;
}

void drv_sig_verify(const struct drv_certs *certs, const uint8_t *buf,
		    struct drv_result *res)
{
	struct drv_finding *f;

	if (!certs || res->format != DRV_FMT_ELF || !res->is_signed)
		return;
	if (res->sig_id_type == PKEY_ID_PKCS7 && cms_ok(certs, buf, res))
		return;
	if (res->count >= DRV_MAX_FINDINGS) {
		res->dropped++;
		return;
	}
	f = &res->findings[res->count++];
	f->id = "ELF-SIG-UNTRUSTED";
	f->severity = DRV_FAIL;
	if (res->sig_id_type == PKEY_ID_PKCS7)
		snprintf(f->detail, sizeof(f->detail), "%s",
			 "module signature does not verify against the given certificates");
	else
		snprintf(f->detail, sizeof(f->detail),
			 "module signature is not PKCS#7 (id_type %u): the kernel rejects it",
			 res->sig_id_type);
}
