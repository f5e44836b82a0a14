// SPDX-License-Identifier: MIT
/*
 * vbs-check verdicts: judge_r*() on facts, per requirement and profile,
 * exit codes and required-ness. No live system is touched.
 */
#include "check_util.h"
#include "fw/acpi.h"
#include "fw/mor.h"

#include <errno.h>
#include <stdio.h>

enum { I_R1, I_R2, I_R3, I_R4, I_R5, I_R6, I_R7, I_R8, I_R9, I_R10 };

static struct vc_cpu_facts *cpu_amd(bool guest, bool svm, bool npt)
{
	struct vc_cpu_facts *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	strcpy(f->vendor, "AuthenticAMD");
	f->lm = true;
	f->svm = svm;
	f->npt = npt;
	f->hypervisor = guest;
	if (guest)
		strcpy(f->hv_vendor, "TCGTCGTCGTCG");
	f->ncpu = 2;
	f->cpu[0] = 0;
	f->cpu[1] = 1;
	return f;
}

static struct vc_cpu_facts *cpu_intel(void)
{
	struct vc_cpu_facts *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	strcpy(f->vendor, "GenuineIntel");
	f->lm = f->vmx = true;
	f->ncpu = 1;
	return f;
}

static void r1_guest_without_svm_fails(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_cpu_facts *f = cpu_amd(true, false, false);
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_non_null(strstr(c.message,
			       "host does not expose virtualization extensions"));
	new_check(&c, I_R9);
	judge_r9(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_non_null(strstr(c.message, "host does not expose"));
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	free(f);
}

static void r1_svmdis_on_one_cpu_fails(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_cpu_facts *f = cpu_amd(false, true, true);
	f->vm_cr[0].val = 0;
	f->vm_cr[1].val = 0x18; /* LOCK | SVMDIS */
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_string_equal(c.result_code, "not-enabled");
	assert_non_null(strstr(c.message, "disabled in firmware"));
	assert_non_null(strstr(c.message, "cpu 1"));
	free(f);
}

static void r1_msr_unreadable_is_unknown_with_reason(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_cpu_facts *f = cpu_amd(false, true, true);
	f->vm_cr[0].err = -ENOENT;
	f->vm_cr[1].err = -ENOENT;
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_non_null(strstr(c.message,
			       "/dev/cpu/0/msr not present (modprobe msr)"));
	f->vm_cr[0].err = -EACCES;
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_non_null(strstr(c.message, "run as root"));
	/* the kernel log alone can still prove "disabled by BIOS" */
	f->klog_virt_disabled = true;
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	free(f);
}

static void r1_r2_amd_pass_and_gmet_note(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_cpu_facts *f = cpu_amd(false, true, true);
	f->vm_cr[0].val = f->vm_cr[1].val = 0x8; /* locked, enabled */
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_PASS);
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_true(c.has_note); /* no GMET */
	f->gmet = true;
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_false(c.has_note);
	f->npt = false;
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	/* disagreement between CPUs is reported */
	f->vm_cr[1].val = 0;
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_WARN);
	free(f);
}

static void r1_r2_intel(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_cpu_facts *f = cpu_intel();
	f->feature_control[0].val = 0x1; /* locked, VMX outside SMX off */
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	f->feature_control[0].val = 0x0; /* unlocked: the OS sets it */
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_true(c.has_note);
	f->feature_control[0].val = 0x5;
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_false(c.has_note);
	f->procbased[0].val = 1ull << 63;
	f->procbased2[0].val = 1ull << 33 | 1ull << 54;
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_false(c.has_note);
	f->procbased2[0].val = 1ull << 54; /* no EPT */
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	f->procbased[0].err = f->procbased2[0].err = -ENOENT;
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	f->cpuinfo_ept = true;
	new_check(&c, I_R2);
	judge_r2(f, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_string_equal(c.evidence[0].quality, "cpuinfo");
	f->lm = false;
	new_check(&c, I_R1);
	judge_r1(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	free(f);
}

static void r9_host_and_good_guest(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_cpu_facts *f = cpu_amd(false, true, true);
	new_check(&c, I_R9);
	judge_r9(f, &c);
	assert_int_equal(c.result, VC_NA);
	f->hypervisor = true;
	strcpy(f->hv_vendor, "KVMKVMKVM");
	new_check(&c, I_R9);
	judge_r9(f, &c);
	assert_int_equal(c.result, VC_PASS);
	f->npt = false;
	new_check(&c, I_R9);
	judge_r9(f, &c);
	assert_int_equal(c.result, VC_FAIL);
	free(f);
}

/* ---- R3 -------------------------------------------------------------- */

/* Intel VT-d §8.1 DMAR with one DRHD (segment 0) at 0xfed90000. */
static struct ev_buf dmar_table(uint8_t flags, bool include_all)
{
	uint8_t t[64] = { 'D', 'M', 'A', 'R', 64, 0, 0, 0, 1 };
	memcpy(t + 10, "OVBSTS", 6);
	t[36] = 38;         /* HAW 39 bits */
	t[37] = flags;
	t[48] = 0;          /* DRHD */
	t[50] = 16;         /* length */
	t[52] = include_all ? 1 : 0;
	t[58] = 0x00, t[59] = 0x90, t[60] = 0xfd, t[61] = 0xfe; /* base */
	t[4] = 64;
	t[9] = (uint8_t)(0x100 - acpi_checksum(t, 64));
	return buf_of(t, 64);
}

static struct vc_iommu_facts iommu(size_t n_pci)
{
	struct vc_iommu_facts f = { .ivrs_err = -ENOENT };
	f.dmar = dmar_table(0x5, true);
	f.n_iommu_class = 1;
	f.n_groups = n_pci;
	f.pci = calloc(n_pci, sizeof(*f.pci));
	assert_non_null(f.pci);
	f.n_pci = n_pci;
	for (size_t i = 0; i < n_pci; i++) {
		snprintf(f.pci[i].name, sizeof(f.pci[i].name), "0000:00:%02zx.0", i);
		f.pci[i].dev = (uint8_t)i;
		f.pci[i].group = (int)i;
		strcpy(f.pci[i].group_type, "DMA");
	}
	return f;
}

static void r3_iommu(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_iommu_facts f = iommu(3);

	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_PASS);
	/* a function without a group, with the driver active */
	f.pci[1].group = -1;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_true(has_rule(&c, "R3-GROUP"));
	assert_non_null(strstr(c.message, "0000:00:01.0"));
	/* driver not active: table-only verdict, a warning */
	f.n_iommu_class = 0;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_WARN);
	assert_true(has_rule(&c, "R3-ACTIVE"));
	f.n_iommu_class = 1;
	/* the IOMMU's own PCI function (class 0806h) needs no group */
	f.pci[1].class_code = 0x080600;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_PASS);
	f.pci[1].class_code = 0;
	f.pci[1].group = 1;
	/* removable device left untranslated */
	f.pci[2].removable = true;
	strcpy(f.pci[2].group_type, "identity");
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_WARN);
	assert_true(has_rule(&c, "R3-IDENTITY"));
	f.pci[2].removable = false;
	/* a Thunderbolt domain without IOMMU DMA protection */
	f.n_tbt_unprotected = 1;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_WARN);
	assert_true(has_rule(&c, "R3-TBT"));
	f.n_tbt_unprotected = 0;
	/* no INCLUDE_PCI_ALL and no scopes: nothing is covered */
	ev_buf_free(&f.dmar);
	f.dmar = dmar_table(0x5, false);
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_int_equal(fw_report_count_rule(&c.findings, "R3-COVER"), 3);
	/* pre-boot DMA opt-in clear: warning from lib/fw */
	ev_buf_free(&f.dmar);
	f.dmar = dmar_table(0x1, true);
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_WARN);
	assert_true(has_rule(&c, "DMAR-F1"));
	/* truncated table: malformed, never a pass */
	f.dmar.len = 40;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_FAIL);
	f.dmar.len = 64;
	/* table not readable (not root) */
	f.dmar_err = -EACCES;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_non_null(strstr(c.message, "run as root"));
	/* no table: fail on a host, not applicable in a guest */
	f.dmar_err = -ENOENT;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_FAIL);
	f.guest = true;
	new_check(&c, I_R3);
	judge_r3(&f, &c);
	assert_int_equal(c.result, VC_NA);
	free_iommu(&f);
}

/* ---- R4 -------------------------------------------------------------- */

static void r4_profiles(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_tpm_facts t = { .class_err = -ENOENT, .tpm2_err = -ENOENT };
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_FAIL);
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_MINIMUM, &c);
	assert_int_equal(c.result, VC_WARN);
	t.class_err = 0;
	t.tpm0 = true;
	strcpy(t.version_major, "2");
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_PASS);
	strcpy(t.version_major, "1");
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_non_null(strstr(c.message, "1.2"));
	/* old kernel: no tpm_version_major; a 1.2 TPM has pcrs */
	t.version_err = -ENOENT;
	t.pcrs = true;
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_FAIL);
	t.pcrs = false;
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	t.tpmrm0 = true;
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_PASS);
	t.class_err = -EACCES;
	new_check(&c, I_R4);
	judge_r4(&t, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
}

/* ---- R5 -------------------------------------------------------------- */

static struct ev_buf wsmt(uint32_t flags, bool bad_sum)
{
	uint8_t t[40] = { 'W', 'S', 'M', 'T', 40, 0, 0, 0, 1 };
	memcpy(t + 10, "OVBSTS", 6);
	t[36] = (uint8_t)flags;
	t[37] = (uint8_t)(flags >> 8);
	t[9] = (uint8_t)(0x100 - acpi_checksum(t, 40));
	if (bad_sum)
		t[9] ^= 1;
	return buf_of(t, sizeof(t));
}

static void r5_wsmt(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_wsmt_facts w = { .err = -ENOENT };
	new_check(&c, I_R5);
	judge_r5(&w, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_string_equal(c.result_code, "not-found");
	w.err = -EACCES;
	new_check(&c, I_R5);
	judge_r5(&w, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_non_null(strstr(c.message, "run as root"));
	const struct { uint32_t flags; bool bad; enum vc_result r; } cases[] = {
		{ 7, false, VC_PASS }, { 1, false, VC_WARN }, { 5, false, VC_WARN },
		{ 2, false, VC_FAIL }, { 7, true, VC_FAIL }, { 0x107, false, VC_WARN },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		w.err = 0;
		w.wsmt = wsmt(cases[i].flags, cases[i].bad);
		new_check(&c, I_R5);
		judge_r5(&w, &c);
		assert_int_equal(c.result, cases[i].r);
		ev_buf_free(&w.wsmt);
	}
}

/* ---- R6 -------------------------------------------------------------- */

static void feed(struct vc_mat_facts *f, const char *line)
{
	assert_int_equal(mat_facts_klog_line(f, line, strlen(line)), 0);
}

static void r6_absent_and_unknown(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_mat_facts f = { .efi_err = -ENOENT };
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_MINIMUM, &c);
	assert_int_equal(c.result, VC_WARN);
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_FAIL);
	f.efi = true;
	f.efi_err = 0;
	f.klog_err = -EPERM;
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_non_null(strstr(c.message, "run as root"));
	f.klog_err = 0;
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_UNKNOWN); /* log has no EFI lines */
	feed(&f, "efi: EFI v2.70 by EDK II");
	feed(&f, "efi: SMBIOS=0x7f98a000 ACPI=0x7fb7e000 ACPI 2.0=0x7fb7e014");
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_string_equal(c.result_code, "not-found");
	feed(&f, "efi: SMBIOS=0x7f98a000 ACPI=0x7fb7e000 MEMATTR=0x7ec63018");
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_UNKNOWN); /* entries not visible */
	assert_non_null(strstr(c.message, "efi=debug"));
	free_mat(&f);
}

static void r6_rejected_entry_without_ro_xp_fails(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_mat_facts f = { .efi = true };
	feed(&f, "efi: EFI v2.70 by EDK II");
	feed(&f, "efi: SMBIOS=0x7f98a000 MEMATTR=0x7ec63018");
	feed(&f, "efi: memattr: Entry attributes invalid: RO and XP bits both "
		 "cleared");
	feed(&f, "efi: memattr: ! 0x000000090000-0x000000090fff [Runtime Code|"
		 "RUN|  |  |  |  |  |  |  |  |   |  |  |  |  ]");
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_true(has_rule(&c, "MAT-E2"));
	assert_string_equal(c.evidence[0].quality, "kernel-log");
	free_mat(&f);
}

static void r6_debug_listing(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_mat_facts f = { .efi = true };
	struct efi_md map[2] = {
		{ .type = 5, .phys = 0x7f5e0000, .pages = 4,
		  .attr = EFI_MEMORY_RUNTIME | EFI_MEMORY_WB },
		{ .type = 6, .phys = 0x7f5e4000, .pages = 4,
		  .attr = EFI_MEMORY_RUNTIME | EFI_MEMORY_WB },
	};
	feed(&f, "efi: SMBIOS=0x7f98a000 MEMATTR=0x7ec63018");
	feed(&f, "efi: memattr: Processing EFI Memory Attributes table:");
	feed(&f, "efi: memattr:  0x00007f5e0000-0x00007f5e3fff [Runtime Code|RUN|"
		 "  |  |  |  |  |  |  |RO|   |WB|  |  |  ]");
	feed(&f, "efi: memattr:  0x00007f5e4000-0x00007f5e7fff [Runtime Data|RUN|"
		 "  |  |  |  |XP|  |  |  |   |WB|  |  |  ]");
	/* no runtime-map: C1/C2 unknown -> pass with a note */
	f.map_err = -EACCES;
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_true(c.has_note);
	f.map = map;
	f.n_map = 2;
	f.map_err = 0;
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_false(c.has_note);
	/* runtime code that is writable and executable */
	feed(&f, "efi: memattr:  0x00007f5e8000-0x00007f5e8fff [Runtime Code|RUN|"
		 "  |  |  |  |  |  |  |  |   |WB|  |  |  ]");
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_true(has_rule(&c, "MAT-E2"));
	f.map = NULL;
	free_mat(&f);
}

static void r6_malformed_log_never_passes(void **state)
{
	(void)state;
	struct vc_check c;
	struct vc_mat_facts f = { .efi = true };
	feed(&f, "efi: SMBIOS=0x7f98a000 MEMATTR=0x7ec63018");
	feed(&f, "efi: memattr: ! 0x1000-0x1fff [Runtime Code|RUN|ZZ]");
	new_check(&c, I_R6);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	assert_int_not_equal(c.result, VC_PASS);
	free_mat(&f);
}

/* ---- R7 -------------------------------------------------------------- */

static void r7_mor(void **state)
{
	(void)state;
	struct vc_check c;
	const uint8_t ctl[5] = { 7, 0, 0, 0, 0 }, lock[5] = { 7, 0, 0, 0, 0 };
	const uint8_t badlock[5] = { 3, 0, 0, 0, 0 };
	struct vc_mor_facts m = { .efi = false };
	new_check(&c, I_R7);
	judge_r7(&m, &c);
	assert_int_equal(c.result, VC_FAIL);
	m.efi = true;
	m.control_err = m.lock_err = -ENOENT;
	new_check(&c, I_R7);
	judge_r7(&m, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_string_equal(c.result_code, "not-found");
	m.control_err = m.lock_err = 0;
	m.control = buf_of(ctl, 5);
	m.lock = buf_of(lock, 5);
	new_check(&c, I_R7);
	judge_r7(&m, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_true(c.has_note); /* revision 2 unverified */
	m.probed = true;
	m.probe = MOR_PROBE_REV2;
	new_check(&c, I_R7);
	judge_r7(&m, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_false(c.has_note);
	m.probe = MOR_PROBE_REV1;
	strcpy(m.probe_rules, "MOR-P1");
	new_check(&c, I_R7);
	judge_r7(&m, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_true(has_rule(&c, "MOR-P1"));
	m.probed = false;
	ev_buf_free(&m.lock);
	m.lock = buf_of(badlock, 5);
	new_check(&c, I_R7);
	judge_r7(&m, &c);
	assert_int_equal(c.result, VC_FAIL);
	m.lock_err = -EACCES;
	new_check(&c, I_R7);
	judge_r7(&m, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	ev_buf_free(&m.control);
	ev_buf_free(&m.lock);
}

/* ---- R10 ------------------------------------------------------------- */

static void r10_secure_boot(void **state)
{
	(void)state;
	struct vc_check c;
	const uint8_t on[5] = { 6, 0, 0, 0, 1 }, off[5] = { 6, 0, 0, 0, 0 };
	struct vc_sb_facts s = { .efi = true };
	s.var = buf_of(on, 5);
	new_check(&c, I_R10);
	judge_r10(&s, &c);
	assert_int_equal(c.result, VC_PASS);
	ev_buf_free(&s.var);
	s.var = buf_of(off, 5);
	new_check(&c, I_R10);
	judge_r10(&s, &c);
	assert_int_equal(c.result, VC_FAIL);
	ev_buf_free(&s.var);
	s.var = buf_of(on, 4); /* truncated: never a pass */
	new_check(&c, I_R10);
	judge_r10(&s, &c);
	assert_int_equal(c.result, VC_FAIL);
	ev_buf_free(&s.var);
	s.err = -ENOENT;
	new_check(&c, I_R10);
	judge_r10(&s, &c);
	assert_int_equal(c.result, VC_FAIL);
	s.err = -EIO;
	new_check(&c, I_R10);
	judge_r10(&s, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	s.efi = false;
	new_check(&c, I_R10);
	judge_r10(&s, &c);
	assert_int_equal(c.result, VC_FAIL);
}

/* ---- exit codes, profiles ------------------------------------------- */

static void exit_codes(void **state)
{
	(void)state;
	struct vc_check c[3];
	for (int i = 0; i < 3; i++) {
		new_check(&c[i], (size_t)i);
		c[i].result = VC_PASS;
	}
	assert_int_equal(vc_exit_code(c, 3, false), 0);
	c[1].result = VC_WARN;
	assert_int_equal(vc_exit_code(c, 3, false), 0);
	assert_int_equal(vc_exit_code(c, 3, true), 3);
	c[2].result = VC_UNKNOWN;
	assert_int_equal(vc_exit_code(c, 3, true), 2);
	c[0].result = VC_FAIL;
	assert_int_equal(vc_exit_code(c, 3, true), 1);
	/* advisory checks never change the exit code */
	c[0].required = c[1].required = c[2].required = false;
	assert_int_equal(vc_exit_code(c, 3, true), 0);
	c[0].required = true;
	c[0].result = VC_ERROR;
	assert_int_equal(vc_exit_code(c, 3, false), 2);
	assert_string_equal(vc_verdict(0), "ready");
	assert_string_equal(vc_verdict(1), "not-ready");
	assert_string_equal(vc_verdict(2), "indeterminate");
	assert_string_equal(vc_verdict(3), "ready");
}

/* The shared table's row of a requirement ("R3"). */
static const struct vbs_check_def *spec_of(const char *req)
{
	for (size_t i = 0; i < VBS_CHECK_COUNT; i++)
		if (!strcmp(vbs_checks[i].req, req))
			return &vbs_checks[i];
	fail_msg("no row for %s", req);
	return NULL;
}

static void profiles(void **state)
{
	(void)state;
	struct vc_opts min = { .profile = VC_PROFILE_MINIMUM };
	struct vc_opts oem = { .profile = VC_PROFILE_OEM };
	const char *all[] = { "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8",
			      "R10" };
	const bool want_min[] = { 1, 1, 0, 0, 0, 0, 0, 0, 1 };
	const bool want_oem[] = { 1, 1, 1, 1, 1, 1, 1, 0, 1 };
	for (size_t i = 0; i < 9; i++) {
		assert_int_equal(vc_required(spec_of(all[i]), &min, false), want_min[i]);
		assert_int_equal(vc_required(spec_of(all[i]), &oem, false), want_oem[i]);
	}
	min.require_dma = true;
	assert_true(vc_required(spec_of("R3"), &min, false));
	assert_false(vc_required(spec_of("R9"), &oem, false));
	assert_true(vc_required(spec_of("R9"), &oem, true));
	assert_true(vc_required(spec_of("R9"), &min, true));
	assert_string_equal(vc_result_name(VC_NA), "not-applicable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(r1_guest_without_svm_fails),
		cmocka_unit_test(r1_svmdis_on_one_cpu_fails),
		cmocka_unit_test(r1_msr_unreadable_is_unknown_with_reason),
		cmocka_unit_test(r1_r2_amd_pass_and_gmet_note),
		cmocka_unit_test(r1_r2_intel),
		cmocka_unit_test(r9_host_and_good_guest),
		cmocka_unit_test(r3_iommu),
		cmocka_unit_test(r4_profiles),
		cmocka_unit_test(r5_wsmt),
		cmocka_unit_test(r6_absent_and_unknown),
		cmocka_unit_test(r6_rejected_entry_without_ro_xp_fails),
		cmocka_unit_test(r6_debug_listing),
		cmocka_unit_test(r6_malformed_log_never_passes),
		cmocka_unit_test(r7_mor),
		cmocka_unit_test(r10_secure_boot),
		cmocka_unit_test(exit_codes),
		cmocka_unit_test(profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
