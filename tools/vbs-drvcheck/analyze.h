/* SPDX-License-Identifier: MIT */
/*
 * vbs-drvcheck static analysis (docs/drvcheck.md): one driver image in
 * memory (Linux module ELF or Windows PE driver) -> findings. No I/O here,
 * so that unit tests and the fuzzer call exactly what the tool calls.
 */
#ifndef VBS_DRVCHECK_ANALYZE_H
#define VBS_DRVCHECK_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

enum drv_severity { DRV_NOTE, DRV_WARN, DRV_UNKNOWN, DRV_FAIL };
enum drv_format { DRV_FMT_UNKNOWN, DRV_FMT_ELF, DRV_FMT_PE };

#define DRV_MAX_FINDINGS 64
#define DRV_DETAIL_LEN 192

struct drv_finding {
	const char *id;           /* e.g. "ELF-WX" (static) */
	enum drv_severity severity;
	char detail[DRV_DETAIL_LEN]; /* which section / symbol, and why */
};

struct drv_result {
	enum drv_format format;
	const char *error;        /* static message when the input is invalid */
	size_t count;
	size_t dropped;           /* findings beyond DRV_MAX_FINDINGS */
	/* ELF: a well-formed module signature trailer, if any. */
	int is_signed;
	uint8_t sig_id_type;      /* struct module_signature id_type (2 = PKCS#7) */
	size_t body_len;          /* the signed bytes: [0, body_len) */
	size_t sig_off, sig_len;  /* the signature: [sig_off, +sig_len) */
	struct drv_finding findings[DRV_MAX_FINDINGS];
};

/* Analyse buf[0, len); returns 0, or -1 with res->error set. */
int drv_analyze(const uint8_t *buf, size_t len, struct drv_result *res);
int drv_analyze_elf(const uint8_t *buf, size_t len, struct drv_result *res);
int drv_analyze_pe(const uint8_t *buf, size_t len, struct drv_result *res);

/* True when res has a finding with this id. */
int drv_has(const struct drv_result *res, const char *id);

const char *drv_severity_name(enum drv_severity s);
const char *drv_format_name(enum drv_format f);

#endif
