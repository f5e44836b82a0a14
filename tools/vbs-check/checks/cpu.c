// SPDX-License-Identifier: MIT
/*
 * vbs-check R1, R2, R9: the CPU and its virtualization extensions
 * (readiness-spec §3 R1, R2, R9; docs/readiness.md).
 */
#include "common.h"

/* ---- R1, R2, R9: CPU (readiness-spec §3 R1, R2, R9) -------------------- */

#define MSR_IA32_FEATURE_CONTROL 0x3au
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482u
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48bu
#define MSR_VM_CR 0xc0010114u
/* SDM3 §24.6.2 "Processor-Based VM-Execution Controls" (allowed-1 = high) */
#define PROCBASED_SECONDARY (1ull << 63)
#define PROCBASED2_EPT (1ull << 33)
#define PROCBASED2_MBEC (1ull << 54)
/* SDM4 "IA32_FEATURE_CONTROL" bits 0 (lock), 2 (VMX outside SMX) */
#define FC_LOCK 0x1ull
#define FC_VMX_OUTSIDE_SMX 0x4ull
/* APM2 §15.30.1 "VM_CR MSR": bit 3 LOCK, bit 4 SVMDIS */
#define VM_CR_LOCK 0x8ull
#define VM_CR_SVMDIS 0x10ull

/* Register bytes as a string; stops at a NUL ("KVMKVMKVM\0\0\0"). */
static void cpuid_str(const uint32_t *regs, int n, char *out)
{
	int len = 0;
	for (int i = 0; i < n; i++)
		for (int b = 0; b < 4; b++) {
			char ch = (char)(regs[i] >> (8 * b));
			if (ch == '\0')
				goto done;
			out[len++] = ch >= 0x20 && ch < 0x7f ? ch : '.';
		}
done:
	out[len] = '\0';
}

bool vc_is_amd(const struct vc_cpu_facts *f)
{
	return !strcmp(f->vendor, "AuthenticAMD") ||
	       !strcmp(f->vendor, "HygonGenuine");
}

/* Which extension to judge: the vendor's own, else whichever is there. */
static bool use_svm(const struct vc_cpu_facts *f)
{
	if (f->svm && f->vmx)
		return vc_is_amd(f);
	return f->svm;
}

static void gather_cpulist(struct ev *ev, struct vc_cpu_facts *f)
{
	char s[4096];
	static unsigned tmp[65536];
	f->cpulist_err = ev_read_str(ev, "/sys/devices/system/cpu/online", s,
				     sizeof(s));
	int n = f->cpulist_err ? -1 : text_cpulist(s, tmp, 65536);
	if (n <= 0) {
		if (!f->cpulist_err)
			f->cpulist_err = -EINVAL;
		f->ncpu = 1; /* at least CPU 0 */
		f->cpu[0] = 0;
		return;
	}
	f->cpus_truncated = n > VC_MAX_CPUS;
	f->ncpu = n > VC_MAX_CPUS ? VC_MAX_CPUS : n;
	memcpy(f->cpu, tmp, (size_t)f->ncpu * sizeof(*tmp));
}

static void gather_msrs(struct ev *ev, struct vc_cpu_facts *f)
{
	for (int i = 0; i < f->ncpu; i++) {
		unsigned cpu = f->cpu[i];
		if (use_svm(f)) {
			f->vm_cr[i].err = ev_rdmsr(ev, cpu, MSR_VM_CR,
						   &f->vm_cr[i].val);
			continue;
		}
		f->feature_control[i].err =
			ev_rdmsr(ev, cpu, MSR_IA32_FEATURE_CONTROL,
				 &f->feature_control[i].val);
		f->procbased[i].err = ev_rdmsr(ev, cpu,
					       MSR_IA32_VMX_PROCBASED_CTLS,
					       &f->procbased[i].val);
		/* 0x48B exists only if secondary controls may be 1 */
		if (!f->procbased[i].err &&
		    (f->procbased[i].val & PROCBASED_SECONDARY))
			f->procbased2[i].err =
				ev_rdmsr(ev, cpu, MSR_IA32_VMX_PROCBASED_CTLS2,
					 &f->procbased2[i].val);
		else
			f->procbased2[i].err = f->procbased[i].err;
	}
}

static void gather_cpu_klog(struct ev *ev, struct vc_cpu_facts *f)
{
	struct ev_buf b = { 0 };
	f->klog_err = ev->ops->klog(ev, &b);
	if (f->klog_err)
		return;
	/* arch/x86/kernel/cpu/feat_ctl.c, amd.c */
	if (strstr((char *)b.data, "VMX (outside TXT) disabled by BIOS") ||
	    strstr((char *)b.data, "SVM disabled (by BIOS)"))
		f->klog_virt_disabled = true;
	ev_buf_free(&b);
}

static void gather_cpuinfo(struct ev *ev, struct vc_cpu_facts *f)
{
	struct ev_buf b = { 0 };
	f->cpuinfo_err = ev_read(ev, "/proc/cpuinfo", &b);
	if (f->cpuinfo_err)
		return;
	/* first processor's "vmx flags" line (Linux >= 5.8) */
	char *l = strstr((char *)b.data, "\nvmx flags");
	if (l) {
		char *end = strchr(l + 1, '\n');
		if (end)
			*end = '\0';
		f->cpuinfo_ept = text_has_word(l, "ept");
		f->cpuinfo_mbec = text_has_word(l, "ept_mode_based_exec");
	}
	ev_buf_free(&b);
}

int gather_cpu(struct ev *ev, struct vc_cpu_facts *f)
{
	uint32_t r[4], max, maxext = 0;

	memset(f, 0, sizeof(*f));
	f->cpuid_err = ev_cpuid(ev, 0, 0, r);
	if (f->cpuid_err)
		return f->cpuid_err;
	max = r[0];
	uint32_t v[3] = { r[1], r[3], r[2] }; /* EBX EDX ECX */
	cpuid_str(v, 3, f->vendor);
	if (max >= 1 && !ev_cpuid(ev, 1, 0, r)) {
		f->vmx = r[2] & (1u << 5);
		f->hypervisor = r[2] & (1u << 31); /* TLFS "Feature Discovery" */
	}
	if (!ev_cpuid(ev, 0x80000000u, 0, r))
		maxext = r[0];
	if (maxext >= 0x80000001u && !ev_cpuid(ev, 0x80000001u, 0, r)) {
		f->lm = r[3] & (1u << 29);
		f->svm = r[2] & (1u << 2);
	}
	/* APM3 "CPUID Fn8000_000A_EDX SVM Features": NP bit 0, GMET bit 17 */
	if (f->svm && maxext >= 0x8000000au && !ev_cpuid(ev, 0x8000000au, 0, r)) {
		f->npt = r[3] & 1u;
		f->gmet = r[3] & (1u << 17);
	}
	if (f->hypervisor && !ev_cpuid(ev, 0x40000000u, 0, r)) {
		uint32_t h[3] = { r[1], r[2], r[3] };
		cpuid_str(h, 3, f->hv_vendor);
	}
	gather_cpulist(ev, f);
	if (f->vmx || f->svm)
		gather_msrs(ev, f);
	gather_cpu_klog(ev, f);
	if (f->vmx && !use_svm(f))
		gather_cpuinfo(ev, f);
	const char *np = vc_is_amd(f) ? "/sys/module/kvm_amd/parameters/nested"
				   : "/sys/module/kvm_intel/parameters/nested";
	if (ev_read_str(ev, np, f->kvm_nested, sizeof(f->kvm_nested)))
		f->kvm_nested[0] = '\0';
	return 0;
}

static void add_cpuid_evidence(const struct vc_cpu_facts *f,
			       struct vc_check *c)
{
	vc_evidence_add(c, "cpuid", "vendor", NULL, "%s", f->vendor);
	vc_evidence_add(c, "cpuid", "lm,vmx,svm,hypervisor", NULL, "%d,%d,%d,%d",
			f->lm, f->vmx, f->svm, f->hypervisor);
}

/*
 * Common gate of R1/R2: 64-bit and some virtualization extension.
 * Returns false (verdict set) when the check is decided here.
 */
static bool cpu_gate(const struct vc_cpu_facts *f, struct vc_check *c)
{
	if (f->cpuid_err) {
		vc_set(c, VC_UNKNOWN, "unknown", "CPUID not available: %s",
		    vc_why(f->cpuid_err, "cpuid"));
		return false;
	}
	if (!f->lm) {
		vc_set(c, VC_FAIL, "not-supported",
		    "CPU is not 64-bit (CPUID 0x80000001 EDX[29] clear)");
		vc_flag(c, "action-contact-oem");
		return false;
	}
	if (!f->vmx && !f->svm) {
		if (f->hypervisor)
			vc_set(c, VC_FAIL, "not-supported",
			    "host does not expose virtualization extensions "
			    "(guest of %s: no VMX/SVM in CPUID)",
			    f->hv_vendor[0] ? f->hv_vendor : "a hypervisor");
		else
			vc_set(c, VC_FAIL, "not-supported",
			    "CPU has no VT-x/AMD-V (CPUID 1 ECX[5], "
			    "0x80000001 ECX[2] clear)");
		vc_flag(c, "action-contact-oem");
		return false;
	}
	return true;
}

/* Scans one per-CPU MSR: first error, disagreement between CPUs. */
static int msr_scan(const struct vc_cpu_facts *f, const struct vc_msr *m,
		    unsigned *err_cpu, bool *differ)
{
	*differ = false;
	for (int i = 0; i < f->ncpu; i++) {
		if (m[i].err) {
			*err_cpu = f->cpu[i];
			return m[i].err;
		}
		if (m[i].val != m[0].val)
			*differ = true;
	}
	return 0;
}

static void msr_unknown(struct vc_check *c, const char *name, unsigned cpu,
			int err)
{
	char path[40];
	snprintf(path, sizeof(path), "/dev/cpu/%u/msr", cpu);
	vc_set(c, VC_UNKNOWN, "unknown", "cannot read %s: %s", name,
	    vc_why(err, path));
}

static void judge_r1_svm(const struct vc_cpu_facts *f, struct vc_check *c)
{
	unsigned ecpu = 0;
	bool differ;
	int err = msr_scan(f, f->vm_cr, &ecpu, &differ);

	for (int i = 0; i < f->ncpu; i++) {
		if (f->vm_cr[i].err || !(f->vm_cr[i].val & VM_CR_SVMDIS))
			continue;
		vc_evidence_add(c, "msr", "VM_CR", NULL, "cpu %u: 0x%llx",
				f->cpu[i], (unsigned long long)f->vm_cr[i].val);
		vc_set(c, VC_FAIL, "not-enabled",
		    "AMD-V disabled in firmware (VM_CR.SVMDIS set on cpu %u%s)",
		    f->cpu[i], f->vm_cr[i].val & VM_CR_LOCK ? ", locked" : "");
		vc_flag(c, "action-config-fw");
		return;
	}
	if (f->klog_virt_disabled) {
		vc_evidence_add(c, "dmesg", "SVM disabled (by BIOS)",
				"kernel-log", "present");
		vc_set(c, VC_FAIL, "not-enabled",
		    "AMD-V disabled in firmware (kernel log)");
		vc_flag(c, "action-config-fw");
		return;
	}
	if (err) {
		msr_unknown(c, "VM_CR (0xC0010114)", ecpu, err);
		return;
	}
	vc_evidence_add(c, "msr", "VM_CR", NULL, "0x%llx on %d cpus%s",
			(unsigned long long)f->vm_cr[0].val, f->ncpu,
			differ ? " (differs)" : "");
	if (differ) {
		vc_set(c, VC_WARN, "enabled",
		    "AMD-V enabled, but VM_CR differs between CPUs");
		return;
	}
	vc_set(c, VC_PASS, "enabled", "AMD-V (SVM) available, 64-bit");
}

static void judge_r1_vmx(const struct vc_cpu_facts *f, struct vc_check *c)
{
	unsigned ecpu = 0;
	bool differ, unlocked = false;
	int err = msr_scan(f, f->feature_control, &ecpu, &differ);

	for (int i = 0; i < f->ncpu; i++) {
		const struct vc_msr *m = &f->feature_control[i];
		if (m->err)
			continue;
		if ((m->val & FC_LOCK) && !(m->val & FC_VMX_OUTSIDE_SMX)) {
			vc_evidence_add(c, "msr", "IA32_FEATURE_CONTROL", NULL,
					"cpu %u: 0x%llx", f->cpu[i],
					(unsigned long long)m->val);
			vc_set(c, VC_FAIL, "not-enabled",
			    "VT-x disabled in firmware (IA32_FEATURE_CONTROL "
			    "locked without VMX-outside-SMX on cpu %u)",
			    f->cpu[i]);
			vc_flag(c, "action-config-fw");
			return;
		}
		if (!(m->val & FC_LOCK))
			unlocked = true;
	}
	if (f->klog_virt_disabled) {
		vc_evidence_add(c, "dmesg", "VMX (outside TXT) disabled by BIOS",
				"kernel-log", "present");
		vc_set(c, VC_FAIL, "not-enabled",
		    "VT-x disabled in firmware (kernel log)");
		vc_flag(c, "action-config-fw");
		return;
	}
	if (err) {
		msr_unknown(c, "IA32_FEATURE_CONTROL (0x3A)", ecpu, err);
		return;
	}
	vc_evidence_add(c, "msr", "IA32_FEATURE_CONTROL", NULL,
			"0x%llx on %d cpus%s",
			(unsigned long long)f->feature_control[0].val, f->ncpu,
			differ ? " (differs)" : "");
	if (differ) {
		vc_set(c, VC_WARN, "enabled",
		    "VT-x enabled, but IA32_FEATURE_CONTROL differs between CPUs");
		return;
	}
	vc_set(c, VC_PASS, "enabled", "VT-x available, 64-bit");
	if (unlocked) {
		c->has_note = true;
		snprintf(c->message, sizeof(c->message),
			 "IA32_FEATURE_CONTROL not locked by firmware "
			 "(the OS locks it)");
	}
}

void judge_r1(const struct vc_cpu_facts *f, struct vc_check *c)
{
	if (!f->cpuid_err)
		add_cpuid_evidence(f, c);
	if (!cpu_gate(f, c))
		return;
	if (use_svm(f))
		judge_r1_svm(f, c);
	else
		judge_r1_vmx(f, c);
}

static void judge_r2_vmx(const struct vc_cpu_facts *f, struct vc_check *c)
{
	unsigned ecpu = 0;
	bool d1, d2, ept = true, mbec = true;
	int err = msr_scan(f, f->procbased, &ecpu, &d1);

	if (!err)
		err = msr_scan(f, f->procbased2, &ecpu, &d2);
	if (err) {
		if (f->cpuinfo_ept) {
			vc_evidence_add(c, "cpuinfo", "vmx flags", "cpuinfo",
					"ept%s", f->cpuinfo_mbec ?
					" ept_mode_based_exec" : "");
			vc_set(c, VC_PASS, "enabled",
			    "EPT (from /proc/cpuinfo; MSRs not readable)");
			if (!f->cpuinfo_mbec) {
				c->has_note = true;
				snprintf(c->message, sizeof(c->message),
					 "EPT without MBEC: HVCI uses slower "
					 "Restricted User Mode");
			}
			return;
		}
		msr_unknown(c, "IA32_VMX_PROCBASED_CTLS2 (0x48B)", ecpu, err);
		return;
	}
	for (int i = 0; i < f->ncpu; i++) {
		bool sec = f->procbased[i].val & PROCBASED_SECONDARY;
		if (!sec || !(f->procbased2[i].val & PROCBASED2_EPT))
			ept = false;
		if (!sec || !(f->procbased2[i].val & PROCBASED2_MBEC))
			mbec = false;
	}
	vc_evidence_add(c, "msr", "IA32_VMX_PROCBASED_CTLS2", NULL, "0x%llx",
			(unsigned long long)f->procbased2[0].val);
	if (!ept) {
		vc_set(c, VC_FAIL, "not-supported",
		    f->hypervisor ? "host does not expose virtualization "
				    "extensions (no EPT on the vCPU)"
				  : "no EPT (IA32_VMX_PROCBASED_CTLS2 bit 33)");
		vc_flag(c, "action-contact-oem");
		return;
	}
	vc_set(c, VC_PASS, "enabled", "EPT%s", mbec ? " with MBEC" : "");
	if (!mbec) {
		c->has_note = true;
		snprintf(c->message, sizeof(c->message),
			 "EPT without MBEC: HVCI uses slower Restricted User Mode");
	}
}

void judge_r2(const struct vc_cpu_facts *f, struct vc_check *c)
{
	if (!cpu_gate(f, c))
		return;
	if (!use_svm(f)) {
		judge_r2_vmx(f, c);
		return;
	}
	vc_evidence_add(c, "cpuid", "0x8000000A EDX NP,GMET", NULL, "%d,%d",
			f->npt, f->gmet);
	if (!f->npt) {
		vc_set(c, VC_FAIL, "not-supported",
		    f->hypervisor ? "host does not expose virtualization "
				    "extensions (no NPT on the vCPU)"
				  : "no NPT (CPUID 0x8000000A EDX[0] clear)");
		vc_flag(c, "action-contact-oem");
		return;
	}
	vc_set(c, VC_PASS, "enabled", "NPT%s", f->gmet ? " with GMET" : "");
	if (!f->gmet) {
		c->has_note = true;
		snprintf(c->message, sizeof(c->message),
			 "NPT without GMET: HVCI uses slower Restricted User Mode");
	}
}

void judge_r9(const struct vc_cpu_facts *f, struct vc_check *c)
{
	struct vc_check r1, r2;

	if (f->cpuid_err) {
		vc_set(c, VC_UNKNOWN, "unknown", "CPUID not available");
		return;
	}
	if (!f->hypervisor) {
		vc_set(c, VC_NA, "not-supported", "not a guest (CPUID 1 ECX[31] clear)");
		if (f->kvm_nested[0]) {
			vc_evidence_add(c, "sysfs", "kvm nested", NULL, "%s",
					f->kvm_nested);
			snprintf(c->message, sizeof(c->message),
				 "not a guest; KVM nested=%s for guests of this "
				 "host", f->kvm_nested);
		}
		return;
	}
	vc_evidence_add(c, "cpuid", "0x40000000 vendor", NULL, "%s",
			f->hv_vendor);
	vc_check_init(&r1, c->def);
	vc_check_init(&r2, c->def);
	judge_r1(f, &r1);
	judge_r2(f, &r2);
	if (r1.result == VC_FAIL && !(f->vmx || f->svm)) {
		vc_set(c, VC_FAIL, "not-supported",
		    "host does not expose virtualization extensions to this "
		    "guest (%s)", f->hv_vendor);
		vc_flag(c, "action-config-os");
		return;
	}
	if (r2.result == VC_FAIL) {
		vc_set(c, VC_FAIL, "not-supported",
		    "host does not expose virtualization extensions (no "
		    "EPT/NPT on the vCPU of %s)", f->hv_vendor);
		vc_flag(c, "action-config-os");
		return;
	}
	if (r2.result == VC_UNKNOWN) {
		vc_set(c, VC_UNKNOWN, "unknown", "%s", r2.message);
		return;
	}
	vc_set(c, VC_PASS, "enabled", "guest of %s with %s and %s", f->hv_vendor,
	    use_svm(f) ? "SVM" : "VMX", use_svm(f) ? "NPT" : "EPT");
}

void vc_eval_r1(struct vc_ctx *x, struct vc_check *c)
{
	judge_r1(x->cpu, c);
}

void vc_eval_r2(struct vc_ctx *x, struct vc_check *c)
{
	judge_r2(x->cpu, c);
}

void vc_eval_r9(struct vc_ctx *x, struct vc_check *c)
{
	judge_r9(x->cpu, c);
}
