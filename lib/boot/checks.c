// SPDX-License-Identifier: MIT
/*
 * The table of readiness checks (include/vbs/checks.h) and the text line
 * both the loader and vbs-check print for a check (lib/boot/checks.h;
 * readiness-spec.md §5 "vbs-check output").
 */
#include "boot/checks.h"

#define OEM VBS_NEED_OEM
#define MIN VBS_NEED_MINIMUM

/* readiness-spec.md §3 (requirements), §5 (profiles), §4 [FW] (levels) */
const struct vbs_check_def vbs_checks[VBS_CHECK_COUNT] = {
	[VBS_CHECK_CPU_VIRT] = { "vbs.cpu.virt", "R1",
		"for 64-bit CPU with VT-x/AMD-V", 1, OEM | MIN },
	[VBS_CHECK_CPU_SLAT] = { "vbs.cpu.slat", "R2",
		"for second-level address translation (EPT/NPT)", 1, OEM | MIN },
	[VBS_CHECK_IOMMU] = { "vbs.iommu", "R3",
		"for an IOMMU in front of all DMA-capable devices", 2,
		OEM | VBS_NEED_DMA },
	[VBS_CHECK_TPM] = { "vbs.tpm.v20", "R4", "for TPM 2.0", 1, OEM },
	[VBS_CHECK_SMM] = { "vbs.smm.wsmt", "R5", "for SMM protection (WSMT)",
		1, OEM },
	[VBS_CHECK_MAT] = { "vbs.mat.valid", "R6",
		"for a valid UEFI Memory Attributes Table", 3, OEM },
	[VBS_CHECK_MOR] = { "vbs.mor.secure", "R7", "for Secure MOR revision 2",
		2, OEM },
	[VBS_CHECK_DRIVERS] = { "vbs.drivers.hvci", "R8",
		"for memory-integrity-compatible drivers", 4, 0 },
	[VBS_CHECK_NESTED] = { "vbs.nested", "R9",
		"for virtualization extensions in this guest", 1,
		VBS_NEED_GUEST },
	[VBS_CHECK_SECUREBOOT] = { "vbs.secureboot", "R10",
		"for UEFI Secure Boot enabled", 1, OEM | MIN },
};

const struct vbs_check_def *vbs_check_find(const char *id)
{
	size_t i;

	for (i = 0; i < VBS_CHECK_COUNT; i++)
		if (vbs_strcmp(vbs_checks[i].id, id) == 0)
			return &vbs_checks[i];
	return NULL;
}

bool vbs_check_required(const struct vbs_check_def *d, uint8_t profile,
			bool guest, bool require_dma)
{
	if (d->need & VBS_NEED_GUEST)
		return guest;
	if (profile == VBS_PROFILE_OEM)
		return d->need & VBS_NEED_OEM;
	return (d->need & VBS_NEED_MINIMUM) ||
	       (require_dma && (d->need & VBS_NEED_DMA));
}

#define C_RED "\033[1;31m"
#define C_GREEN "\033[1;32m"
#define C_YELLOW "\033[1;33m"
#define C_OFF "\033[0m"

const char *vbs_result_word(uint8_t result)
{
	static const char *const word[] = {
		[VBS_RESULT_PASS] = "PASS", [VBS_RESULT_FAIL] = "FAIL",
		[VBS_RESULT_WARN] = "WARN", [VBS_RESULT_UNKNOWN] = "UNKNOWN",
		[VBS_RESULT_NOT_APPLICABLE] = "SKIP",
		[VBS_RESULT_ERROR] = "ERROR", [VBS_RESULT_NOTE] = "NOTE",
	};

	return result < VBS_ARRAY_SIZE(word) ? word[result] : "?";
}

static const char *colour_of(uint8_t result, bool required)
{
	switch (result) {
	case VBS_RESULT_PASS:
		return C_GREEN;
	case VBS_RESULT_FAIL:
		return required ? C_RED : C_YELLOW;
	case VBS_RESULT_NOT_APPLICABLE:
		return "";
	case VBS_RESULT_ERROR:
		return C_RED;
	default:
		return C_YELLOW;
	}
}

static size_t append(char *out, size_t cap, size_t at, const char *s)
{
	while (s && *s && at + 1 < cap)
		out[at++] = *s++;
	out[at] = 0;
	return at;
}

size_t vbs_format_check(const struct vbs_check_line *l, char *out, size_t cap)
{
	const char *col = l->colour ? colour_of(l->result, l->required) : "";
	size_t at, start;

	if (cap == 0)
		return 0;
	out[0] = 0;
	/* virt-host-validate: "%6s: Checking %-60s: " */
	at = append(out, cap, 0, "   VBS: Checking ");
	start = at;
	at = append(out, cap, at, l->desc);
	if (!l->required)
		at = append(out, cap, at, " (advisory)");
	while (at - start < 60 && at + 1 < cap)
		at = append(out, cap, at, " ");
	at = append(out, cap, at, ": ");
	at = append(out, cap, at, col);
	at = append(out, cap, at, vbs_result_word(l->result));
	if (*col)
		at = append(out, cap, at, C_OFF);
	if (l->result != VBS_RESULT_PASS && l->message && l->message[0]) {
		at = append(out, cap, at, " (");
		at = append(out, cap, at, l->message);
		at = append(out, cap, at, ")");
	}
	return append(out, cap, at, l->suffix);
}

size_t vbs_format_result(const struct vbs_check_result *c, char *out,
			 size_t cap)
{
	const struct vbs_check_def *d = vbs_check_find(c->id);
	struct vbs_check_line l = {
		.desc = d ? d->desc : c->id,
		.required = c->required,
		.result = c->result,
		.message = c->message,
	};

	return vbs_format_check(&l, out, cap);
}
