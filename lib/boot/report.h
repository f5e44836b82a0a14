/* SPDX-License-Identifier: MIT */
/*
 * Encode and decode the loader's report (include/vbs/boot_report.h).
 *
 * The loader encodes; vbs-check decodes what the OS read from the UEFI
 * variable. Both sides go through these functions, by explicit offset, so
 * the bytes are the single source of truth and untrusted input (a variable
 * anyone with root can rewrite) is bounds-checked field by field.
 */
#ifndef VBS_LIB_BOOT_REPORT_H
#define VBS_LIB_BOOT_REPORT_H

#include "base/base.h"
#include "vbs/boot_report.h"

struct vbs_check_result {
	char id[24];
	char requirement[4];
	uint8_t result;   /* enum vbs_result */
	uint8_t required;
	uint8_t level;
	uint64_t value;
	char message[56];
};

struct vbs_boot_report {
	uint32_t flags;
	uint8_t profile, verdict, policy_source, action;
	char loader_version[16];
	char hv_vendor[13];
	uint16_t check_count;
	struct vbs_check_result checks[VBS_BOOT_REPORT_MAX_CHECKS];
};

/* Errors of vbs_boot_report_decode (negative). */
#define VBS_REPORT_ESHORT   (-1) /* fewer bytes than the header says */
#define VBS_REPORT_EMAGIC   (-2)
#define VBS_REPORT_EVERSION (-3) /* unknown major version */
#define VBS_REPORT_ELAYOUT  (-4) /* hdr/check size or count inconsistent */
#define VBS_REPORT_EFIELD   (-5) /* a field value out of range */

/* Copy src into a fixed field of n bytes: truncated, NUL-padded. */
void vbs_field_set(char *dst, size_t n, const char *src);

/* Append a check; returns false (and sets nothing) when full. */
bool vbs_boot_report_add(struct vbs_boot_report *rep, const char *id,
			 const char *requirement, enum vbs_result result,
			 bool required, uint8_t level, uint64_t value,
			 const char *message);

/* Encoded size of rep in bytes. */
size_t vbs_boot_report_size(const struct vbs_boot_report *rep);

/* Encode into out[cap]; returns the size written, 0 if cap is too small. */
size_t vbs_boot_report_encode(const struct vbs_boot_report *rep, uint8_t *out,
			      size_t cap);

/* Decode len untrusted bytes; 0 or a VBS_REPORT_E* error. */
int vbs_boot_report_decode(const uint8_t *buf, size_t len,
			   struct vbs_boot_report *out);

/* What a VBS_REPORT_E* error means, in words (static). */
const char *vbs_boot_report_strerror(int err);

/* Names (static strings; "?" for out-of-range values). */
const char *vbs_result_name(uint8_t result);
const char *vbs_profile_name(uint8_t profile);
const char *vbs_verdict_name(uint8_t verdict);
const char *vbs_policy_source_name(uint8_t source);
const char *vbs_action_name(uint8_t action);

#endif
