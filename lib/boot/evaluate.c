// SPDX-License-Identifier: MIT
/*
 * Readiness R1-R10 in firmware (lib/boot/evaluate.h; rules and sources:
 * docs/readiness.md, readiness-spec.md §3).
 */
#include "boot/evaluate.h"
#include "boot/checks.h"
#include "fw/dmar.h"
#include "fw/ivrs.h"
#include "fw/mat.h"
#include "fw/wsmt.h"

#define MAT_MAX 512u
#define MEMMAP_MAX 1024u
#define FINDINGS_MAX 32u

static void add(struct vbs_boot_report *rep, const struct vbs_check_def *d,
		bool guest, enum vbs_result res, uint64_t value, const char *msg)
{
	bool required = vbs_check_required(d, rep->profile, guest, false);

	vbs_boot_report_add(rep, d->id, d->req, res, required, d->level, value,
			    msg);
}

/* R1: CPUID 0x80000001 EDX[29] LM; SVM ECX[2] / VMX 1:ECX[5]; firmware gates. */
static void check_virt(const struct vbs_fw_evidence *ev,
		       struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_CPU_VIRT];
	bool lm = ev->ext1_edx & (1u << 29);
	bool svm = ev->ext1_ecx & (1u << 2);
	bool vmx = ev->cpuid1_ecx & (1u << 5);

	if (!lm)
		return add(rep, d, guest, VBS_RESULT_FAIL, ev->ext1_edx,
			   "no 64-bit long mode");
	if (svm) {
		if (ev->vm_cr_valid && (ev->vm_cr & 0x10))
			return add(rep, d, guest, VBS_RESULT_FAIL, ev->vm_cr,
				   "SVM disabled in firmware (VM_CR.SVMDIS)");
		return add(rep, d, guest, VBS_RESULT_PASS, ev->vm_cr, "AMD-V");
	}
	if (vmx) {
		uint64_t fc = ev->feature_control;

		if (ev->feature_control_valid && (fc & 1) && !(fc & 4))
			return add(rep, d, guest, VBS_RESULT_FAIL, fc,
				   "VMX disabled in firmware (FEATURE_CONTROL)");
		if (ev->feature_control_valid && !(fc & 1))
			return add(rep, d, guest, VBS_RESULT_NOTE, fc,
				   "VT-x; FEATURE_CONTROL not locked yet");
		return add(rep, d, guest, VBS_RESULT_PASS, fc, "VT-x");
	}
	add(rep, d, guest, VBS_RESULT_FAIL, ev->ext1_ecx,
	    guest ? "host does not expose virtualization extensions" :
		    "no VT-x or AMD-V");
}

/* R2: AMD CPUID 0x8000000A EDX[0] NPT, EDX[17] GMET; Intel 0x48B bit 33/54. */
static void check_slat(const struct vbs_fw_evidence *ev,
		       struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_CPU_SLAT];

	if (ev->ext1_ecx & (1u << 2)) {
		if (!(ev->svm_edx & 1))
			return add(rep, d, guest, VBS_RESULT_FAIL, ev->svm_edx,
				   "no nested paging (NPT)");
		if (!(ev->svm_edx & (1u << 17)))
			return add(rep, d, guest, VBS_RESULT_NOTE, ev->svm_edx,
				   "NPT; no GMET (slower HVCI)");
		return add(rep, d, guest, VBS_RESULT_PASS, ev->svm_edx,
			   "NPT with GMET");
	}
	if ((ev->cpuid1_ecx & (1u << 5)) && ev->procbased_valid) {
		bool ept = (ev->procbased >> 63) & 1 &&
			   (ev->procbased2 >> 33) & 1;
		bool mbec = (ev->procbased2 >> 54) & 1;

		if (!ept)
			return add(rep, d, guest, VBS_RESULT_FAIL,
				   ev->procbased2, "no EPT");
		return add(rep, d, guest, mbec ? VBS_RESULT_PASS :
			   VBS_RESULT_NOTE, ev->procbased2,
			   mbec ? "EPT with MBEC" : "EPT; no MBEC (slower HVCI)");
	}
	add(rep, d, guest, VBS_RESULT_FAIL, 0, "no SLAT without VT-x/AMD-V");
}

/*
 * R3 coverage (readiness-spec.md §3 R3, "Table coverage"): the bus numbers
 * behind a bridge, for dmar_covers(), from the enumerated functions.
 */
static int pci_bridge_range(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
			    uint8_t fn, uint8_t *secondary, uint8_t *subordinate)
{
	const struct vbs_fw_evidence *ev = ctx;
	size_t i;

	for (i = 0; i < ev->pci_count; i++) {
		const struct vbs_pci_function *p = &ev->pci[i];

		if (p->bridge && p->seg == seg && p->bus == bus &&
		    p->dev == dev && p->fn == fn) {
			*secondary = p->secondary;
			*subordinate = p->subordinate;
			return 0;
		}
	}
	return -1;
}

/* FW_COVERED, FW_NOT_COVERED, FW_IS_IOMMU or FW_EBADF for one function. */
static int pci_covered(const struct vbs_fw_evidence *ev,
		       const struct vbs_pci_function *p)
{
	if (ev->dmar)
		return dmar_covers(ev->dmar, ev->dmar_len, p->seg, p->bus,
				   p->dev, p->fn, pci_bridge_range, (void *)ev);
	return ivrs_covers(ev->ivrs, ev->ivrs_len, p->seg,
			   ivrs_devid(p->bus, p->dev, p->fn));
}

static void put_hex(char *out, size_t *at, unsigned v, unsigned digits)
{
	while (digits--)
		out[(*at)++] = "0123456789abcdef"[(v >> (4 * digits)) & 0xf];
}

/* "<n> PCI function(s) not covered; first SSSS:BB:DD.F" */
static void uncovered_msg(char *out, size_t n, const struct vbs_pci_function *p)
{
	char num[12];
	size_t at = 0, len = 0;

	do {
		num[len++] = (char)('0' + n % 10);
		n /= 10;
	} while (n && len < sizeof(num));
	while (len)
		out[at++] = num[--len];
	vbs_memcpy(out + at, " PCI fn not covered; first ", 27);
	at += 27;
	put_hex(out, &at, p->seg, 4);
	out[at++] = ':';
	put_hex(out, &at, p->bus, 2);
	out[at++] = ':';
	put_hex(out, &at, p->dev, 2);
	out[at++] = '.';
	put_hex(out, &at, p->fn, 1);
	out[at] = 0;
}

/*
 * Every enumerated PCI function against the table's translation scopes
 * (lib/fw dmar_covers / ivrs_covers). The IOMMU's own function is no DMA
 * master and is skipped. Returns the number of uncovered functions (first
 * in *first), or -1 when the table is unusable for coverage.
 */
static long pci_uncovered(const struct vbs_fw_evidence *ev,
			  const struct vbs_pci_function **first)
{
	long missing = 0;
	size_t i;

	*first = NULL;
	for (i = 0; i < ev->pci_count; i++) {
		int c = pci_covered(ev, &ev->pci[i]);

		if (c == FW_EBADF)
			return -1;
		if (c != FW_NOT_COVERED)
			continue;
		if (!missing++)
			*first = &ev->pci[i];
	}
	return missing;
}

/* R3: the firmware's DMAR/IVRS judged for validity, then coverage. */
static void check_iommu(const struct vbs_fw_evidence *ev,
			struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_IOMMU];
	const struct vbs_pci_function *first;
	struct fw_finding store[FINDINGS_MAX];
	struct fw_report r;
	bool opt_in;
	char msg[56];
	long missing;

	fw_report_init(&r, store, FINDINGS_MAX);
	if (!ev->xsdt_found)
		return add(rep, d, guest, VBS_RESULT_UNKNOWN, 0,
			   "no ACPI XSDT found");
	if (ev->dmar) {
		struct dmar dm;

		if (dmar_parse(ev->dmar, ev->dmar_len, &dm, &r) ||
		    fw_report_worst(&r) == FW_SEV_FAIL)
			return add(rep, d, guest, VBS_RESULT_FAIL, ev->dmar_len,
				   "DMAR table malformed");
		opt_in = dm.flags & DMAR_DMA_CTRL_PLATFORM_OPT_IN;
	} else if (ev->ivrs) {
		struct ivrs iv;

		if (ivrs_parse(ev->ivrs, ev->ivrs_len, &iv, &r) ||
		    fw_report_worst(&r) == FW_SEV_FAIL)
			return add(rep, d, guest, VBS_RESULT_FAIL, ev->ivrs_len,
				   "IVRS table malformed");
		opt_in = iv.ivinfo & IVRS_IVINFO_DMA_REMAP;
	} else {
		return add(rep, d, guest, guest ? VBS_RESULT_NOT_APPLICABLE :
			   VBS_RESULT_FAIL, 0, guest ?
			   "guest without a virtual IOMMU" :
			   "no DMAR or IVRS table");
	}
	if (!ev->pci_enumerated)
		return add(rep, d, guest, VBS_RESULT_UNKNOWN, 0,
			   "table valid; PCI functions not enumerated");
	missing = pci_uncovered(ev, &first);
	if (missing < 0)
		return add(rep, d, guest, VBS_RESULT_FAIL, 0,
			   "IOMMU table unusable for coverage");
	if (missing > 0) {
		uncovered_msg(msg, (size_t)missing, first);
		return add(rep, d, guest, VBS_RESULT_FAIL, (uint64_t)missing,
			   msg);
	}
	if (!opt_in)
		return add(rep, d, guest, VBS_RESULT_WARN, ev->pci_count,
			   "all PCI fns covered; DMA opt-in flag clear");
	if (fw_report_worst(&r) == FW_SEV_WARN)
		return add(rep, d, guest, VBS_RESULT_WARN, ev->pci_count,
			   "all PCI fns covered; table has warnings");
	add(rep, d, guest, VBS_RESULT_PASS, ev->pci_count,
	    "all PCI functions covered (value: functions)");
}

/* R4: EFI_TCG2_PROTOCOL GetCapability (TCG EFI Protocol Spec §6.4.4). */
static void check_tpm(const struct vbs_fw_evidence *ev,
		      struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_TPM];
	enum vbs_result miss = rep->profile == VBS_PROFILE_MINIMUM ?
			       VBS_RESULT_WARN : VBS_RESULT_FAIL;

	if (!ev->tcg2_present)
		return add(rep, d, guest, miss, 0, "no EFI_TCG2_PROTOCOL");
	if (!ev->tpm_present_flag)
		return add(rep, d, guest, miss, 0, "TCG2 present, TPM absent");
	rep->flags |= VBS_REPORT_F_TPM2;
	add(rep, d, guest, VBS_RESULT_PASS, ev->active_pcr_banks,
	    "TPM 2.0 present");
}

/* R5: WSMT ProtectionFlags (lib/fw/wsmt.h). */
static void check_wsmt(const struct vbs_fw_evidence *ev,
		       struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_SMM];
	struct fw_finding store[FINDINGS_MAX];
	struct fw_report r;
	struct wsmt w;

	fw_report_init(&r, store, FINDINGS_MAX);
	if (!ev->xsdt_found)
		return add(rep, d, guest, VBS_RESULT_UNKNOWN, 0,
			   "no ACPI XSDT found");
	if (!ev->wsmt)
		return add(rep, d, guest, VBS_RESULT_FAIL, 0, "no WSMT table");
	if (wsmt_parse(ev->wsmt, ev->wsmt_len, &w, &r) ||
	    w.verdict == WSMT_NOT_VALID)
		return add(rep, d, guest, VBS_RESULT_FAIL, w.flags,
			   "WSMT malformed");
	if (w.verdict == WSMT_WARN)
		return add(rep, d, guest, VBS_RESULT_WARN, w.flags,
			   "WSMT protection flags missing (value: flags)");
	add(rep, d, guest, VBS_RESULT_PASS, w.flags, "all WSMT protections");
}

/* R6: the MAT from the configuration table, cross-checked with the map. */
static void check_mat(const struct vbs_fw_evidence *ev,
		      struct vbs_boot_report *rep, bool guest)
{
	static struct efi_md mat[MAT_MAX], map[MEMMAP_MAX];
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_MAT];
	struct fw_finding store[FINDINGS_MAX];
	size_t n = 0, map_n = 0;
	struct fw_report r;
	struct mat_hdr hdr;
	bool have_map;

	fw_report_init(&r, store, FINDINGS_MAX);
	if (!ev->mat)
		return add(rep, d, guest, rep->profile == VBS_PROFILE_MINIMUM ?
			   VBS_RESULT_WARN : VBS_RESULT_FAIL, 0,
			   "no Memory Attributes Table");
	have_map = ev->memmap &&
		   efi_memmap_parse(ev->memmap, ev->memmap_len,
				    ev->memmap_desc_size, map, MEMMAP_MAX,
				    &map_n) == 0;
	if (mat_parse(ev->mat, ev->mat_len, have_map ? ev->memmap_desc_size : 0,
		      &hdr, mat, MAT_MAX, &n, &r) != 0)
		return add(rep, d, guest, VBS_RESULT_FAIL, ev->mat_len,
			   "MAT header invalid or too many entries");
	mat_check_entries(mat, n, 4096, &r);
	mat_check_memmap(mat, n, have_map ? map : NULL, map_n, &r);
	switch (fw_report_worst(&r)) {
	case FW_SEV_FAIL:
		return add(rep, d, guest, VBS_RESULT_FAIL, r.count,
			   "MAT violates VBS rules (value: findings)");
	case FW_SEV_UNKNOWN:
		return add(rep, d, guest, VBS_RESULT_UNKNOWN, n,
			   "MAT not cross-checked with the memory map");
	case FW_SEV_WARN:
		return add(rep, d, guest, VBS_RESULT_WARN, n,
			   "MAT valid with warnings (value: entries)");
	case FW_SEV_NOTE:
		break;
	}
	add(rep, d, guest, VBS_RESULT_PASS, n,
	    "MAT valid, matches memory map (value: entries)");
}

/* R7: MemoryOverwriteRequestControlLock present with attributes 0x7. */
static void check_mor(const struct vbs_fw_evidence *ev,
		      struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_MOR];

	if (!ev->mor_lock.present)
		return add(rep, d, guest, VBS_RESULT_FAIL, 0,
			   "no MemoryOverwriteRequestControlLock");
	if (ev->mor_lock.attrs != 0x7 || ev->mor_lock.size != 1)
		return add(rep, d, guest, VBS_RESULT_FAIL, ev->mor_lock.attrs,
			   "MOR lock variable malformed (value: attrs)");
	add(rep, d, guest, VBS_RESULT_NOTE, ev->mor_lock.value,
	    "MOR lock present; rev 2 unverified");
}

/* R9: CPUID.1:ECX[31] says a hypervisor runs us. */
static void check_nested(const struct vbs_fw_evidence *ev,
			 struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_NESTED];
	bool virt = (ev->ext1_ecx & (1u << 2)) || (ev->cpuid1_ecx & (1u << 5));

	if (!guest)
		return add(rep, d, guest, VBS_RESULT_NOT_APPLICABLE, 0,
			   "not a guest");
	add(rep, d, guest, virt ? VBS_RESULT_PASS : VBS_RESULT_FAIL, 0,
	    virt ? "guest sees VT-x/AMD-V" :
		   "host does not expose virtualization extensions");
}

/* R10: SecureBoot-8be4df61-... data byte == 1. */
static void check_secure_boot(const struct vbs_fw_evidence *ev,
			      struct vbs_boot_report *rep, bool guest)
{
	const struct vbs_check_def *d = &vbs_checks[VBS_CHECK_SECUREBOOT];

	if (ev->secure_boot.present && ev->secure_boot.size == 1 &&
	    ev->secure_boot.value == 1) {
		rep->flags |= VBS_REPORT_F_SECURE_BOOT;
		return add(rep, d, guest, VBS_RESULT_PASS, 1, "enabled");
	}
	add(rep, d, guest, VBS_RESULT_FAIL, ev->secure_boot.value,
	    ev->secure_boot.present ? "disabled" : "no SecureBoot variable");
}

static enum vbs_verdict verdict_of(const struct vbs_boot_report *rep)
{
	bool unknown = false;
	size_t i;

	for (i = 0; i < rep->check_count; i++) {
		const struct vbs_check_result *c = &rep->checks[i];

		if (!c->required)
			continue;
		if (c->result == VBS_RESULT_FAIL || c->result == VBS_RESULT_ERROR)
			return VBS_VERDICT_NOT_READY;
		if (c->result == VBS_RESULT_UNKNOWN)
			unknown = true;
	}
	return unknown ? VBS_VERDICT_INDETERMINATE : VBS_VERDICT_READY;
}

void vbs_evaluate(const struct vbs_fw_evidence *ev, struct vbs_boot_report *rep)
{
	bool guest = ev->cpuid1_ecx & (1u << 31);

	if (guest) {
		rep->flags |= VBS_REPORT_F_GUEST;
		vbs_field_set(rep->hv_vendor, sizeof(rep->hv_vendor),
			      ev->hv_vendor);
	}
	check_virt(ev, rep, guest);
	check_slat(ev, rep, guest);
	check_iommu(ev, rep, guest);
	check_tpm(ev, rep, guest);
	check_wsmt(ev, rep, guest);
	check_mat(ev, rep, guest);
	check_mor(ev, rep, guest);
	add(rep, &vbs_checks[VBS_CHECK_DRIVERS], guest, VBS_RESULT_NOT_APPLICABLE, 0,
	    "not observable from firmware");
	check_nested(ev, rep, guest);
	check_secure_boot(ev, rep, guest);
	rep->verdict = (uint8_t)verdict_of(rep);
}
