/* SPDX-License-Identifier: MIT */
/*
 * The boot policy: a small signed key=value text on the ESP
 * (docs/boot.md "Policy format").
 *
 *   # comment
 *   openvbs-policy=1
 *   profile=oem|minimum
 *   on_missing=halt|boot-unprotected
 *   kernel=\vmlinuz
 *   initrd=\initrd.img          (optional)
 *   cmdline=console=ttyS0       (optional)
 *   hypervisor=on|off           (optional; default on: the hypervisor
 *                                starts when \EFI\OpenVBS\hv.bin is there)
 *
 * The parser is strict: unknown, duplicate or missing keys, bytes outside
 * printable ASCII, over-long values and unsafe paths are errors, reported
 * with a line number and a static message. Nothing allocates.
 */
#ifndef VBS_LIB_BOOT_POLICY_H
#define VBS_LIB_BOOT_POLICY_H

#include "base/base.h"
#include "vbs/boot_report.h"

#define VBS_POLICY_FORMAT 1u
#define VBS_POLICY_MAX_SIZE 8192u
#define VBS_POLICY_PATH_MAX 128u   /* including the NUL */
#define VBS_POLICY_CMDLINE_MAX 1024u /* including the NUL */

enum vbs_on_missing {
	VBS_ON_MISSING_HALT = 0,
	VBS_ON_MISSING_BOOT_UNPROTECTED = 1,
};

struct vbs_policy {
	uint32_t format;                  /* openvbs-policy= */
	enum vbs_profile profile;
	enum vbs_on_missing on_missing;
	char kernel[VBS_POLICY_PATH_MAX]; /* ESP path, '\' separated */
	char initrd[VBS_POLICY_PATH_MAX]; /* "" when none */
	char cmdline[VBS_POLICY_CMDLINE_MAX];
	bool hypervisor_off;              /* hypervisor=off */
};

struct vbs_policy_error {
	uint32_t line; /* 1-based; 0 when not tied to a line */
	const char *msg;
};

/*
 * The built-in default, used whenever the ESP's policy is missing,
 * unsigned, badly signed or malformed: the strictest policy (profile oem,
 * halt when a required property is missing), kernel \vmlinuz, initrd
 * \initrd.img, empty command line.
 */
void vbs_policy_default(struct vbs_policy *out);

/*
 * Parse len untrusted bytes. On success returns 0 and fills *out; on error
 * returns -1, fills *err and sets *out to the built-in default.
 */
int vbs_policy_parse(const uint8_t *buf, size_t len, struct vbs_policy *out,
		     struct vbs_policy_error *err);

const char *vbs_on_missing_name(enum vbs_on_missing m);

#endif
