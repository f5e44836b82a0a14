/* SPDX-License-Identifier: MIT */
/*
 * The one text line per check that the loader and vbs-check print
 * (readiness-spec §5, in the style of libvirt's virt-host-validate):
 *
 *   "   VBS: Checking <desc padded to 60>: PASS"
 *   "   VBS: Checking <desc padded to 60>: FAIL (hint)"
 *
 * Advisory (not required) checks say so after the description. Freestanding:
 * the loader prints it on the UEFI console, vbs-check on stdout.
 */
#ifndef VBS_LIB_BOOT_CHECKS_H
#define VBS_LIB_BOOT_CHECKS_H

#include "base/base.h"
#include "boot/report.h"
#include "vbs/checks.h"

struct vbs_check_line {
	const char *desc;     /* vbs_checks[].desc */
	bool required;        /* false: " (advisory)" after desc */
	uint8_t result;       /* enum vbs_result */
	const char *message;  /* hint printed after any word but PASS */
	const char *suffix;   /* NULL, or appended as is (a second column) */
	bool colour;          /* ANSI colour around the word */
};

/* The word for a result: PASS NOTE WARN FAIL SKIP UNKNOWN ERROR ("?"). */
const char *vbs_result_word(uint8_t result);

/* Formats one line into out[cap]; NUL-terminated, truncated; returns its
 * length. */
size_t vbs_format_check(const struct vbs_check_line *l, char *out, size_t cap);

/* The line of one entry of a loader report (desc from vbs_checks[]). */
size_t vbs_format_result(const struct vbs_check_result *c, char *out,
			 size_t cap);

#endif
