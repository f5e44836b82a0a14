/* SPDX-License-Identifier: MIT */
/*
 * Module signature verification against given certificates (--cert):
 * the PKCS#7/CMS detached signature of a Linux module (kernel
 * scripts/sign-file format) over the module's bytes before the trailer.
 * Host only: OpenSSL libcrypto.
 */
#ifndef VBS_DRVCHECK_SIGVERIFY_H
#define VBS_DRVCHECK_SIGVERIFY_H

#include "analyze.h"

struct drv_certs;

/* Add the certificates of a PEM (one or more) or DER file; -1 on error. */
int drv_certs_add(struct drv_certs **certs, const char *path);
void drv_certs_free(struct drv_certs *certs);

/* Verify res's signature (drv_analyze of buf first); adds ELF-SIG-UNTRUSTED. */
void drv_sig_verify(const struct drv_certs *certs, const uint8_t *buf,
		    struct drv_result *res);

#endif
