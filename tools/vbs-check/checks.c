// SPDX-License-Identifier: MIT
/*
 * vbs-check: requirements R1-R10 of readiness-spec §3 (docs/readiness.md).
 * gather_*() read evidence, judge_*() decide; see checks.h.
 */
#include "checks.h"
#include "text.h"

#include "fw/dmar.h"
#include "fw/ivrs.h"
#include "fw/mor.h"
#include "fw/rules.h"
#include "fw/tpm2.h"
#include "fw/wsmt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define ACPI_TABLES "/sys/firmware/acpi/tables"
#define EFIVARS "/sys/firmware/efi/efivars"
#define EFI_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"

/* ---- check records ---------------------------------------------------- */

void vc_check_init(struct vc_check *c, const struct vc_check_def *def)
{
	memset(c, 0, sizeof(*c));
	c->def = def;
	c->result = VC_UNKNOWN;
	c->result_code = "unknown";
	fw_report_init(&c->findings, c->finding_store, VC_MAX_FINDINGS);
}

void vc_evidence_add(struct vc_check *c, const char *source, const char *key,
		     const char *quality, const char *fmt, ...)
{
	if (c->n_evidence >= VC_MAX_EVIDENCE)
		return;
	struct vc_evidence *e = &c->evidence[c->n_evidence++];
	va_list ap;
	snprintf(e->source, sizeof(e->source), "%s", source);
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->quality = quality;
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
}

static void set(struct vc_check *c, enum vc_result r, const char *code,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set(struct vc_check *c, enum vc_result r, const char *code,
		const char *fmt, ...)
{
	va_list ap;
	c->result = r;
	c->result_code = code;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
}

static void flag(struct vc_check *c, const char *f)
{
	if (c->n_flags < 4)
		c->flags[c->n_flags++] = f;
}

/* Why evidence could not be read, in words a user can act on. */
static const char *why(int err, const char *path)
{
	static char buf[192];
	if (err == -EACCES || err == -EPERM)
		snprintf(buf, sizeof(buf), "%s: permission denied (run as root)",
			 path);
	else if (err == -ENOENT && strncmp(path, "/dev/cpu/", 9) == 0)
		snprintf(buf, sizeof(buf), "%s not present (modprobe msr)", path);
	else
		snprintf(buf, sizeof(buf), "%s: %s (%s)", path, strerror(-err),
			 ev_errname(err));
	return buf;
}

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

static bool is_amd(const struct vc_cpu_facts *f)
{
	return !strcmp(f->vendor, "AuthenticAMD") ||
	       !strcmp(f->vendor, "HygonGenuine");
}

/* Which extension to judge: the vendor's own, else whichever is there. */
static bool use_svm(const struct vc_cpu_facts *f)
{
	if (f->svm && f->vmx)
		return is_amd(f);
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
	const char *np = is_amd(f) ? "/sys/module/kvm_amd/parameters/nested"
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
		set(c, VC_UNKNOWN, "unknown", "CPUID not available: %s",
		    why(f->cpuid_err, "cpuid"));
		return false;
	}
	if (!f->lm) {
		set(c, VC_FAIL, "not-supported",
		    "CPU is not 64-bit (CPUID 0x80000001 EDX[29] clear)");
		flag(c, "action-contact-oem");
		return false;
	}
	if (!f->vmx && !f->svm) {
		if (f->hypervisor)
			set(c, VC_FAIL, "not-supported",
			    "host does not expose virtualization extensions "
			    "(guest of %s: no VMX/SVM in CPUID)",
			    f->hv_vendor[0] ? f->hv_vendor : "a hypervisor");
		else
			set(c, VC_FAIL, "not-supported",
			    "CPU has no VT-x/AMD-V (CPUID 1 ECX[5], "
			    "0x80000001 ECX[2] clear)");
		flag(c, "action-contact-oem");
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
	set(c, VC_UNKNOWN, "unknown", "cannot read %s: %s", name,
	    why(err, path));
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
		set(c, VC_FAIL, "not-enabled",
		    "AMD-V disabled in firmware (VM_CR.SVMDIS set on cpu %u%s)",
		    f->cpu[i], f->vm_cr[i].val & VM_CR_LOCK ? ", locked" : "");
		flag(c, "action-config-fw");
		return;
	}
	if (f->klog_virt_disabled) {
		vc_evidence_add(c, "dmesg", "SVM disabled (by BIOS)",
				"kernel-log", "present");
		set(c, VC_FAIL, "not-enabled",
		    "AMD-V disabled in firmware (kernel log)");
		flag(c, "action-config-fw");
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
		set(c, VC_WARN, "enabled",
		    "AMD-V enabled, but VM_CR differs between CPUs");
		return;
	}
	set(c, VC_PASS, "enabled", "AMD-V (SVM) available, 64-bit");
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
			set(c, VC_FAIL, "not-enabled",
			    "VT-x disabled in firmware (IA32_FEATURE_CONTROL "
			    "locked without VMX-outside-SMX on cpu %u)",
			    f->cpu[i]);
			flag(c, "action-config-fw");
			return;
		}
		if (!(m->val & FC_LOCK))
			unlocked = true;
	}
	if (f->klog_virt_disabled) {
		vc_evidence_add(c, "dmesg", "VMX (outside TXT) disabled by BIOS",
				"kernel-log", "present");
		set(c, VC_FAIL, "not-enabled",
		    "VT-x disabled in firmware (kernel log)");
		flag(c, "action-config-fw");
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
		set(c, VC_WARN, "enabled",
		    "VT-x enabled, but IA32_FEATURE_CONTROL differs between CPUs");
		return;
	}
	set(c, VC_PASS, "enabled", "VT-x available, 64-bit");
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
			set(c, VC_PASS, "enabled",
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
		set(c, VC_FAIL, "not-supported",
		    f->hypervisor ? "host does not expose virtualization "
				    "extensions (no EPT on the vCPU)"
				  : "no EPT (IA32_VMX_PROCBASED_CTLS2 bit 33)");
		flag(c, "action-contact-oem");
		return;
	}
	set(c, VC_PASS, "enabled", "EPT%s", mbec ? " with MBEC" : "");
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
		set(c, VC_FAIL, "not-supported",
		    f->hypervisor ? "host does not expose virtualization "
				    "extensions (no NPT on the vCPU)"
				  : "no NPT (CPUID 0x8000000A EDX[0] clear)");
		flag(c, "action-contact-oem");
		return;
	}
	set(c, VC_PASS, "enabled", "NPT%s", f->gmet ? " with GMET" : "");
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
		set(c, VC_UNKNOWN, "unknown", "CPUID not available");
		return;
	}
	if (!f->hypervisor) {
		set(c, VC_NA, "not-supported", "not a guest (CPUID 1 ECX[31] clear)");
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
		set(c, VC_FAIL, "not-supported",
		    "host does not expose virtualization extensions to this "
		    "guest (%s)", f->hv_vendor);
		flag(c, "action-config-os");
		return;
	}
	if (r2.result == VC_FAIL) {
		set(c, VC_FAIL, "not-supported",
		    "host does not expose virtualization extensions (no "
		    "EPT/NPT on the vCPU of %s)", f->hv_vendor);
		flag(c, "action-config-os");
		return;
	}
	if (r2.result == VC_UNKNOWN) {
		set(c, VC_UNKNOWN, "unknown", "%s", r2.message);
		return;
	}
	set(c, VC_PASS, "enabled", "guest of %s with %s and %s", f->hv_vendor,
	    use_svm(f) ? "SVM" : "VMX", use_svm(f) ? "NPT" : "EPT");
}

/* ---- R3: IOMMU (readiness-spec §3 R3; sysfs-kernel-iommu_groups ABI) ---- */

static bool parse_bdf(const char *s, struct vc_pci_dev *d)
{
	unsigned seg, bus, dev, fn;
	char tail;
	if (sscanf(s, "%4x:%2x:%2x.%1x%c", &seg, &bus, &dev, &fn, &tail) != 4 ||
	    dev > 31 || fn > 7)
		return false;
	d->seg = (uint16_t)seg;
	d->bus = (uint8_t)bus;
	d->dev = (uint8_t)dev;
	d->fn = (uint8_t)fn;
	return true;
}

static void gather_pci_dev(struct ev *ev, struct vc_pci_dev *d)
{
	char p[160], link[256], s[32];
	struct ev_buf cfg = { 0 };

	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/iommu_group", d->name);
	d->group = -1;
	d->group_err = ev_readlink(ev, p, link, sizeof(link));
	if (!d->group_err) {
		const char *base = strrchr(link, '/');
		uint64_t g;
		if (base && text_parse_u64(base + 1, &g) && g < 1u << 30)
			d->group = (int)g;
		snprintf(p, sizeof(p), "/sys/kernel/iommu_groups/%d/type",
			 d->group);
		if (d->group >= 0 &&
		    ev_read_str(ev, p, d->group_type, sizeof(d->group_type)))
			d->group_type[0] = '\0';
	} else if (d->group_err == -ENOENT) {
		d->group_err = 0; /* no group */
	}
	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/removable", d->name);
	if (!ev_read_str(ev, p, s, sizeof(s)))
		d->removable = !strcmp(s, "removable");
	/* PCI 3.0 §6.1 "Configuration Space Organization": header type @0x0E,
	 * type 1 (bridge) secondary bus @0x19, subordinate bus @0x1A */
	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/config", d->name);
	if (!ev_read(ev, p, &cfg) && cfg.len >= 0x1b) {
		d->class_code = (uint32_t)cfg.data[0x0b] << 16 |
				(uint32_t)cfg.data[0x0a] << 8 | cfg.data[0x09];
		if ((cfg.data[0x0e] & 0x7f) == 1) {
			d->bridge = true;
			d->secondary = cfg.data[0x19];
			d->subordinate = cfg.data[0x1a];
		}
	}
	ev_buf_free(&cfg);
}

static bool has_name(const struct ev_list *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (!strcmp(l->names[i], name))
			return true;
	return false;
}

/* Reads an ACPI table; -ENOENT when the (world-readable) listing lacks it. */
static int read_table(struct ev *ev, const struct ev_list *tables,
		      int tables_err, const char *sig, struct ev_buf *out)
{
	char p[64];
	if (!tables_err && !has_name(tables, sig))
		return -ENOENT;
	snprintf(p, sizeof(p), ACPI_TABLES "/%s", sig);
	return ev_read(ev, p, out);
}

void gather_iommu(struct ev *ev, bool guest, struct vc_iommu_facts *f)
{
	struct ev_list l = { 0 };

	memset(f, 0, sizeof(*f));
	f->guest = guest;
	f->tables_err = ev_ls(ev, ACPI_TABLES, &l);
	f->dmar_err = read_table(ev, &l, f->tables_err, "DMAR", &f->dmar);
	f->ivrs_err = read_table(ev, &l, f->tables_err, "IVRS", &f->ivrs);
	ev_list_free(&l);
	f->class_err = ev_ls(ev, "/sys/class/iommu", &l);
	f->n_iommu_class = l.count;
	ev_list_free(&l);
	f->groups_err = ev_ls(ev, "/sys/kernel/iommu_groups", &l);
	f->n_groups = l.count;
	ev_list_free(&l);
	f->pci_err = ev_ls(ev, "/sys/bus/pci/devices", &l);
	f->pci = calloc(l.count ? l.count : 1, sizeof(*f->pci));
	for (size_t i = 0; f->pci && i < l.count; i++) {
		struct vc_pci_dev *d = &f->pci[f->n_pci];
		if (!parse_bdf(l.names[i], d))
			continue;
		snprintf(d->name, sizeof(d->name), "%s", l.names[i]);
		gather_pci_dev(ev, d);
		f->n_pci++;
	}
	ev_list_free(&l);
	/* ABI sysfs-bus-thunderbolt: domainX/iommu_dma_protection */
	if (!ev_ls(ev, "/sys/bus/thunderbolt/devices", &l)) {
		for (size_t i = 0; i < l.count; i++) {
			char p[160], v[8];
			if (strncmp(l.names[i], "domain", 6))
				continue;
			snprintf(p, sizeof(p), "/sys/bus/thunderbolt/devices/%s/"
				 "iommu_dma_protection", l.names[i]);
			if (!ev_read_str(ev, p, v, sizeof(v)) && !strcmp(v, "0"))
				f->n_tbt_unprotected++;
		}
		ev_list_free(&l);
	}
	struct ev_buf k = { 0 };
	if (!ev->ops->klog(ev, &k)) {
		/* drivers/iommu/intel/iommu.c platform_optin_force_iommu() */
		f->klog_forced_optin = strstr((char *)k.data,
			"Intel-IOMMU force enabled due to platform opt in");
		ev_buf_free(&k);
	}
}

void free_iommu(struct vc_iommu_facts *f)
{
	ev_buf_free(&f->dmar);
	ev_buf_free(&f->ivrs);
	free(f->pci);
	f->pci = NULL;
}

static int bridge_lookup(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
			 uint8_t fn, uint8_t *secondary, uint8_t *subordinate)
{
	const struct vc_iommu_facts *f = ctx;
	for (size_t i = 0; i < f->n_pci; i++) {
		const struct vc_pci_dev *d = &f->pci[i];
		if (d->seg == seg && d->bus == bus && d->dev == dev &&
		    d->fn == fn && d->bridge) {
			*secondary = d->secondary;
			*subordinate = d->subordinate;
			return 0;
		}
	}
	return -1;
}

static enum vc_result worst_of(const struct fw_report *r)
{
	switch (fw_report_worst(r)) {
	case FW_SEV_FAIL: return VC_FAIL;
	case FW_SEV_UNKNOWN: return VC_UNKNOWN;
	case FW_SEV_WARN: return VC_WARN;
	default: return VC_PASS;
	}
}

/* PCI 3.0 Appendix D: class 08h subclass 06h is an IOMMU. */
#define PCI_CLASS_IOMMU 0x0806u

/*
 * Table coverage of every PCI function (kernel-independent). The IOMMU's
 * own function (IVRS: the IVHD's DeviceId; any: class 0806h) is not a DMA
 * master to be judged: is_iommu[i] marks it for r3_groups().
 */
static void r3_coverage(const struct vc_iommu_facts *f, bool intel,
			bool *is_iommu, struct vc_check *c)
{
	const struct ev_buf *t = intel ? &f->dmar : &f->ivrs;
	for (size_t i = 0; i < f->n_pci; i++) {
		const struct vc_pci_dev *d = &f->pci[i];
		int cov = intel ?
			dmar_covers(t->data, t->len, d->seg, d->bus, d->dev,
				    d->fn, bridge_lookup, (void *)f) :
			ivrs_covers(t->data, t->len, d->seg,
				    ivrs_devid(d->bus, d->dev, d->fn));
		is_iommu[i] = cov == FW_IS_IOMMU ||
			      d->class_code >> 8 == PCI_CLASS_IOMMU;
		if (cov == FW_NOT_COVERED && !is_iommu[i])
			fw_report_add(&c->findings, "R3-COVER", FW_SEV_FAIL,
				      (int32_t)i, (uint64_t)d->seg << 16 |
				      ivrs_devid(d->bus, d->dev, d->fn),
				      "PCI function not covered by the IOMMU table");
	}
}

/* The running IOMMU driver: every PCI function in a group. */
static void r3_groups(const struct vc_iommu_facts *f, const bool *is_iommu,
		      struct vc_check *c)
{
	for (size_t i = 0; i < f->n_pci; i++) {
		const struct vc_pci_dev *d = &f->pci[i];
		if (is_iommu[i])
			continue;
		uint64_t bdf = (uint64_t)d->seg << 16 |
			       ivrs_devid(d->bus, d->dev, d->fn);
		if (d->group_err)
			fw_report_add(&c->findings, "R3-GROUP", FW_SEV_UNKNOWN,
				      (int32_t)i, bdf,
				      "iommu_group link not readable");
		else if (d->group < 0)
			fw_report_add(&c->findings, "R3-GROUP", FW_SEV_FAIL,
				      (int32_t)i, bdf,
				      "PCI function has no IOMMU group");
		else if (d->removable && !strcmp(d->group_type, "identity"))
			fw_report_add(&c->findings, "R3-IDENTITY", FW_SEV_WARN,
				      (int32_t)i, bdf,
				      "removable device in an identity "
				      "(untranslated) IOMMU group");
	}
}

static const char *first_finding_msg(const struct vc_check *c,
				     enum fw_sev sev)
{
	for (uint32_t i = 0; i < c->findings.count; i++)
		if (c->findings.items[i].sev == sev)
			return c->findings.items[i].msg;
	return "";
}

/* Name of the PCI function of the first finding with this rule. */
static const char *first_dev(const struct vc_iommu_facts *f,
			     const struct vc_check *c, const char *rule)
{
	for (uint32_t i = 0; i < c->findings.count; i++) {
		const struct fw_finding *x = &c->findings.items[i];
		if (!strcmp(x->rule, rule) && x->index >= 0 &&
		    (size_t)x->index < f->n_pci)
			return f->pci[x->index].name;
	}
	return "?";
}

void judge_r3(const struct vc_iommu_facts *f, struct vc_check *c)
{
	bool intel = !f->dmar_err, amd = !f->ivrs_err;

	if (!intel && !amd) {
		int e = f->dmar_err != -ENOENT ? f->dmar_err : f->ivrs_err;
		if (e != -ENOENT) {
			set(c, VC_UNKNOWN, "unknown", "cannot read the IOMMU table: %s",
			    why(e, f->dmar_err != -ENOENT ? ACPI_TABLES "/DMAR"
							  : ACPI_TABLES "/IVRS"));
			return;
		}
		if (f->guest) {
			set(c, VC_NA, "not-found",
			    "guest without a virtual IOMMU (no DMAR/IVRS table)");
			return;
		}
		set(c, VC_FAIL, "not-found",
		    "no DMAR/IVRS ACPI table: no IOMMU, or disabled in firmware");
		flag(c, "action-config-fw");
		return;
	}
	if (intel) {
		struct dmar d;
		vc_evidence_add(c, "acpi", "DMAR", NULL, "%zu bytes", f->dmar.len);
		if (dmar_parse(f->dmar.data, f->dmar.len, &d, &c->findings)) {
			set(c, VC_FAIL, "not-valid", "DMAR table malformed");
			flag(c, "action-contact-oem");
			return;
		}
		vc_evidence_add(c, "acpi", "DMAR flags", NULL, "0x%02x", d.flags);
	} else {
		struct ivrs v;
		vc_evidence_add(c, "acpi", "IVRS", NULL, "%zu bytes", f->ivrs.len);
		if (ivrs_parse(f->ivrs.data, f->ivrs.len, &v, &c->findings)) {
			set(c, VC_FAIL, "not-valid", "IVRS table malformed");
			flag(c, "action-contact-oem");
			return;
		}
		vc_evidence_add(c, "acpi", "IVRS IVinfo", NULL, "0x%08x", v.ivinfo);
	}
	if (f->pci_err)
		fw_report_add(&c->findings, "R3-PCI", FW_SEV_UNKNOWN, FW_NO_INDEX,
			      0, "PCI devices not listable");
	bool *is_iommu = calloc(f->n_pci ? f->n_pci : 1, sizeof(*is_iommu));
	if (!is_iommu) {
		set(c, VC_ERROR, "unknown", "out of memory");
		return;
	}
	r3_coverage(f, intel, is_iommu, c);
	bool active = !f->class_err && f->n_iommu_class > 0;
	vc_evidence_add(c, "sysfs", "/sys/class/iommu", NULL, "%zu",
			f->n_iommu_class);
	vc_evidence_add(c, "sysfs", "/sys/kernel/iommu_groups", NULL, "%zu",
			f->n_groups);
	if (f->n_tbt_unprotected)
		fw_report_add(&c->findings, "R3-TBT", FW_SEV_WARN, FW_NO_INDEX,
			      f->n_tbt_unprotected, "Thunderbolt domain without "
			      "IOMMU DMA protection");
	if (active)
		r3_groups(f, is_iommu, c);
	free(is_iommu);
	if (!active)
		fw_report_add(&c->findings, "R3-ACTIVE", FW_SEV_WARN, FW_NO_INDEX,
			      0, "IOMMU driver not active (disabled on the "
			      "kernel command line?): table-only verdict");
	c->result = worst_of(&c->findings);
	uint32_t gaps = fw_report_count_rule(&c->findings, "R3-COVER");
	uint32_t nogroup = 0;
	for (uint32_t i = 0; i < c->findings.count; i++)
		nogroup += !strcmp(c->findings.items[i].rule, "R3-GROUP") &&
			   c->findings.items[i].sev == FW_SEV_FAIL;
	switch (c->result) {
	case VC_FAIL:
		if (gaps)
			set(c, VC_FAIL, "not-valid", "%u PCI function(s) not "
			    "covered by the %s table (%s%s)", gaps,
			    intel ? "DMAR" : "IVRS", first_dev(f, c, "R3-COVER"),
			    gaps > 1 ? ", ..." : "");
		else if (nogroup)
			set(c, VC_FAIL, "not-valid", "%u PCI function(s) without "
			    "an IOMMU group (%s%s)", nogroup,
			    first_dev(f, c, "R3-GROUP"), nogroup > 1 ? ", ..." : "");
		else
			set(c, VC_FAIL, "not-valid", "%s",
			    first_finding_msg(c, FW_SEV_FAIL));
		flag(c, "action-contact-oem");
		break;
	case VC_UNKNOWN:
		set(c, VC_UNKNOWN, "unknown", "%s",
		    first_finding_msg(c, FW_SEV_UNKNOWN));
		break;
	case VC_WARN:
		set(c, VC_WARN, "enabled", "%s", first_finding_msg(c, FW_SEV_WARN));
		break;
	default:
		set(c, VC_PASS, "enabled", "%s IOMMU active, %zu PCI functions "
		    "covered", intel ? "VT-d" : "AMD-Vi", f->n_pci);
	}
}

/* ---- R4: TPM 2.0 (readiness-spec §3 R4; ABI tpm_version_major) --------- */

void gather_tpm(struct ev *ev, struct vc_tpm_facts *f)
{
	struct ev_list l = { 0 };
	struct ev_buf b = { 0 };

	memset(f, 0, sizeof(*f));
	f->class_err = ev_ls(ev, "/sys/class/tpm", &l);
	f->tpm0 = !f->class_err && has_name(&l, "tpm0");
	ev_list_free(&l);
	if (!ev_ls(ev, "/sys/class/tpmrm", &l))
		f->tpmrm0 = has_name(&l, "tpmrm0");
	ev_list_free(&l);
	if (f->tpm0) {
		f->version_err = ev_read_str(ev,
			"/sys/class/tpm/tpm0/tpm_version_major",
			f->version_major, sizeof(f->version_major));
		/* TPM 1.2 only: drivers/char/tpm/tpm-sysfs.c "pcrs" */
		f->pcrs = !ev_read(ev, "/sys/class/tpm/tpm0/pcrs", &b);
		ev_buf_free(&b);
	}
	if (ev_ls(ev, ACPI_TABLES, &l) == 0 && !has_name(&l, "TPM2"))
		f->tpm2_err = -ENOENT;
	else
		f->tpm2_err = ev_read(ev, ACPI_TABLES "/TPM2", &f->tpm2);
	ev_list_free(&l);
}

void free_tpm(struct vc_tpm_facts *f)
{
	ev_buf_free(&f->tpm2);
}

void judge_r4(const struct vc_tpm_facts *f, enum vc_profile p,
	      struct vc_check *c)
{
	/* MS-VBS: "TPM is not a must requirement" -> WARN under minimum */
	enum vc_result bad = p == VC_PROFILE_OEM ? VC_FAIL : VC_WARN;
	char how[64] = "";

	if (!f->tpm2_err) {
		struct tpm2 t;
		struct fw_report r;
		struct fw_finding st[8];
		fw_report_init(&r, st, 8);
		if (!tpm2_parse(f->tpm2.data, f->tpm2.len, &t, &r)) {
			snprintf(how, sizeof(how), ", start method %s",
				 t.start_method_name);
			vc_evidence_add(c, "acpi", "TPM2 StartMethod", NULL,
					"%u (%s)", t.start_method,
					t.start_method_name);
		}
	}
	if (f->class_err && f->class_err != -ENOENT) {
		set(c, VC_UNKNOWN, "unknown", "%s", why(f->class_err,
							"/sys/class/tpm"));
		return;
	}
	if (!f->tpm0) {
		set(c, bad, "not-found", "no TPM (/sys/class/tpm/tpm0 absent)");
		flag(c, "action-config-fw");
		return;
	}
	if (!f->version_err)
		vc_evidence_add(c, "sysfs", "tpm_version_major", NULL, "%s",
				f->version_major);
	if ((!f->version_err && !strcmp(f->version_major, "1")) || f->pcrs) {
		set(c, bad, "not-enabled", "TPM 1.2, not 2.0");
		flag(c, "action-contact-oem");
		return;
	}
	if ((!f->version_err && !strcmp(f->version_major, "2")) ||
	    (f->version_err == -ENOENT && f->tpmrm0)) {
		set(c, VC_PASS, "found", "TPM 2.0%s", how);
		return;
	}
	set(c, VC_UNKNOWN, "unknown", "TPM version not known: %s",
	    f->version_err ? why(f->version_err,
				 "/sys/class/tpm/tpm0/tpm_version_major")
			   : f->version_major);
}

/* ---- R5: SMM protection, WSMT (readiness-spec §3 R5, §1.2) ------------- */

void gather_wsmt(struct ev *ev, struct vc_wsmt_facts *f)
{
	struct ev_list l = { 0 };
	memset(f, 0, sizeof(*f));
	f->tables_err = ev_ls(ev, ACPI_TABLES, &l);
	f->err = read_table(ev, &l, f->tables_err, "WSMT", &f->wsmt);
	ev_list_free(&l);
}

#define MSR_AMD_HWCR 0xc0010015u
#define MSR_SMM_FEATURE_CONTROL 0x4e0u

/*
 * Corroborating locks, reported as evidence only (they never change the
 * verdict): AMD HWCR bit 0 SmmLock; Intel SMM_FEATURE_CONTROL bit 0 LOCK,
 * bit 2 SMM_CODE_CHK_EN (readiness-spec §3 R5).
 */
static void r5_smm_lock(const struct vc_wsmt_facts *f, struct vc_check *c)
{
	const char *key = f->amd ? "HWCR SmmLock" : "SMM_FEATURE_CONTROL";
	if (f->smm_lock.err)
		vc_evidence_add(c, "msr", key, NULL, "unreadable (%s)",
				ev_errname(f->smm_lock.err));
	else if (f->amd)
		vc_evidence_add(c, "msr", key, NULL, "%u",
				(unsigned)(f->smm_lock.val & 1));
	else
		vc_evidence_add(c, "msr", key, NULL, "lock %u, code check %u",
				(unsigned)(f->smm_lock.val & 1),
				(unsigned)(f->smm_lock.val >> 2 & 1));
}

void judge_r5(const struct vc_wsmt_facts *f, struct vc_check *c)
{
	struct wsmt w;

	if (f->err == -ENOENT) {
		set(c, VC_FAIL, "not-found", "no WSMT ACPI table");
		flag(c, "action-contact-oem");
		return;
	}
	if (f->err) {
		set(c, VC_UNKNOWN, "unknown", "%s", why(f->err, ACPI_TABLES "/WSMT"));
		return;
	}
	if (wsmt_parse(f->wsmt.data, f->wsmt.len, &w, &c->findings) ||
	    w.verdict == WSMT_NOT_VALID) {
		set(c, VC_FAIL, "not-valid", "WSMT table malformed");
		flag(c, "action-contact-oem");
		return;
	}
	vc_evidence_add(c, "acpi", "WSMT ProtectionFlags", NULL, "0x%x", w.flags);
	r5_smm_lock(f, c);
	if (w.verdict == WSMT_PASS && !w.reserved) {
		set(c, VC_PASS, "enabled", "WSMT protection flags 0x%x", w.flags);
		return;
	}
	char miss[96] = "";
	if (w.missing & WSMT_FIXED_COMM_BUFFERS)
		strcat(miss, " FIXED_COMM_BUFFERS");
	if (w.missing & WSMT_COMM_BUFFER_NESTED_PTR_PROTECTION)
		strcat(miss, " NESTED_PTR_PROTECTION");
	if (w.missing & WSMT_SYSTEM_RESOURCE_PROTECTION)
		strcat(miss, " SYSTEM_RESOURCE_PROTECTION");
	if (w.missing)
		set(c, VC_WARN, "not-enabled", "WSMT flags 0x%x, missing:%s",
		    w.flags, miss);
	else
		set(c, VC_WARN, "enabled", "WSMT reserved flag bits set (0x%x)",
		    w.flags);
	flag(c, "action-contact-oem");
}

/* ---- R6: EFI Memory Attributes Table (readiness-spec §3 R6, §2) -------- */

#define MAT_LOG_MAX 8192

int mat_facts_klog_line(struct vc_mat_facts *f, const char *line, size_t len)
{
	struct memattr_line m;
	uint64_t addr;

	if (len >= 5 && !memcmp(line, "efi: ", 5))
		f->efi_lines = true;
	if (text_efi_memattr_addr(line, len, &addr)) {
		f->memattr_found = true;
		f->memattr_addr = addr;
		return 0;
	}
	switch (text_memattr_parse(line, len, &m)) {
	case MEMATTR_HEADER:
		f->debug_listing = true;
		break;
	case MEMATTR_MALFORMED:
		f->n_malformed++;
		break;
	case MEMATTR_ENTRY:
		if (f->n_log >= MAT_LOG_MAX)
			return -ENOSPC;
		if (!f->log_entries) {
			f->log_entries = calloc(MAT_LOG_MAX, sizeof(*f->log_entries));
			f->log_invalid = calloc(MAT_LOG_MAX, sizeof(*f->log_invalid));
			if (!f->log_entries || !f->log_invalid)
				return -ENOMEM;
		}
		f->log_entries[f->n_log] = (struct efi_md){
			.type = m.type, .phys = m.start, .pages = m.pages,
			.attr = m.attr,
		};
		f->log_invalid[f->n_log++] = m.invalid;
		break;
	default:
		break;
	}
	return 0;
}

static void gather_runtime_map(struct ev *ev, struct vc_mat_facts *f)
{
	static const char base[] = "/sys/firmware/efi/runtime-map";
	struct ev_list l = { 0 };

	f->map_err = ev_ls(ev, base, &l);
	if (f->map_err)
		return;
	f->map = calloc(l.count ? l.count : 1, sizeof(*f->map));
	if (!f->map) {
		f->map_err = -ENOMEM;
		ev_list_free(&l);
		return;
	}
	for (size_t i = 0; i < l.count; i++) {
		char p[128];
		uint64_t type = 0;
		struct efi_md *md = &f->map[f->n_map];
		int err = 0;
#define RTMAP(field, dst)                                                  \
		snprintf(p, sizeof(p), "%s/%s/" field, base, l.names[i]);  \
		err = err ? err : ev_read_u64(ev, p, dst)
		RTMAP("type", &type);
		RTMAP("phys_addr", &md->phys);
		RTMAP("num_pages", &md->pages);
		RTMAP("attribute", &md->attr);
#undef RTMAP
		if (err) {
			f->map_err = err;
			break;
		}
		md->type = (uint32_t)type;
		f->n_map++;
	}
	ev_list_free(&l);
}

/* --devmem-mat: header first, then 16 + N*stride bytes, bounded. */
static void gather_raw_mat(struct ev *ev, struct vc_mat_facts *f)
{
	struct ev_buf h = { 0 };
	f->raw_err = ev->ops->physmem(ev, f->memattr_addr, MAT_HDR_LEN, &h);
	if (f->raw_err)
		return;
	uint64_t n = le32(h.data, 4), stride = le32(h.data, 8), total;
	ev_buf_free(&h);
	if (n > MAT_MAX_ENTRIES || stride > 4096 ||
	    __builtin_mul_overflow(n, stride, &total) ||
	    __builtin_add_overflow(total, MAT_HDR_LEN, &total) ||
	    total > EV_MAT_MAX) {
		/* read only the header: the MAT-H* rules will say why */
		total = MAT_HDR_LEN;
	}
	f->raw_err = ev->ops->physmem(ev, f->memattr_addr, (size_t)total,
				      &f->raw);
}

void gather_mat(struct ev *ev, bool devmem, struct vc_mat_facts *f)
{
	struct ev_list l = { 0 };
	struct ev_buf k = { 0 };

	memset(f, 0, sizeof(*f));
	f->raw_err = -ENOENT;
	f->efi_err = ev_ls(ev, "/sys/firmware/efi", &l);
	f->efi = !f->efi_err;
	ev_list_free(&l);
	if (!f->efi)
		return;
	f->klog_err = ev->ops->klog(ev, &k);
	if (!f->klog_err) {
		const char *s = (const char *)k.data;
		for (size_t i = 0; i < k.len;) {
			const char *nl = memchr(s + i, '\n', k.len - i);
			size_t end = nl ? (size_t)(nl - s) : k.len;
			if (mat_facts_klog_line(f, s + i, end - i) == -ENOMEM)
				break;
			i = end + 1;
		}
		ev_buf_free(&k);
	}
	gather_runtime_map(ev, f);
	/* a capture holding efi/mat.bin is used by --root without asking */
	if (f->memattr_found && devmem)
		gather_raw_mat(ev, f);
}

void free_mat(struct vc_mat_facts *f)
{
	free(f->log_entries);
	free(f->log_invalid);
	free(f->map);
	ev_buf_free(&f->raw);
	memset(f, 0, sizeof(*f));
}

/*
 * readiness-spec §2.2: the MAT passes iff no rule fails; C1/C2 are unknown
 * without a memory map, which leaves a pass with a note.
 */
static void r6_verdict(struct vc_check *c, const char *what)
{
	enum fw_sev worst = fw_report_worst(&c->findings);
	bool unknown = false;

	for (uint32_t i = 0; i < c->findings.count; i++)
		unknown |= c->findings.items[i].sev == FW_SEV_UNKNOWN;
	if (worst == FW_SEV_FAIL) {
		set(c, VC_FAIL, "not-valid", "%s: %s", what,
		    first_finding_msg(c, FW_SEV_FAIL));
		flag(c, "action-contact-oem");
		return;
	}
	for (uint32_t i = 0; i < c->findings.count; i++)
		if (c->findings.items[i].sev == FW_SEV_WARN) {
			set(c, VC_WARN, "valid", "%s: %s", what,
			    c->findings.items[i].msg);
			return;
		}
	set(c, VC_PASS, "valid", "%s%s", what, unknown ?
	    ": memory-map cross-check not done (no runtime-map)" : "");
	c->has_note = unknown;
}

static void judge_raw_mat(const struct vc_mat_facts *f, struct vc_check *c)
{
	struct mat_hdr h;
	size_t n = 0;
	struct efi_md *e = calloc(MAT_MAX_ENTRIES, sizeof(*e));

	if (!e) {
		set(c, VC_ERROR, "unknown", "out of memory");
		return;
	}
	vc_evidence_add(c, "devmem", "MAT", NULL, "%zu bytes at 0x%llx",
			f->raw.len, (unsigned long long)f->memattr_addr);
	int rc = mat_parse(f->raw.data, f->raw.len, 0, &h, e, MAT_MAX_ENTRIES,
			   &n, &c->findings);
	if (rc != FW_EBADF) {
		mat_check_entries(e, n, 0, &c->findings);
		mat_check_memmap(e, n, f->map_err ? NULL : f->map, f->n_map,
				 &c->findings);
	}
	free(e);
	if (rc == FW_EBADF && fw_report_worst(&c->findings) != FW_SEV_FAIL) {
		set(c, VC_UNKNOWN, "unknown", "raw MAT not judged: %s",
		    first_finding_msg(c, FW_SEV_UNKNOWN));
		return;
	}
	r6_verdict(c, "raw MAT");
}

static void judge_log_mat(const struct vc_mat_facts *f, struct vc_check *c)
{
	size_t n_invalid = 0;
	for (size_t i = 0; i < f->n_log; i++)
		n_invalid += f->log_invalid[i];
	vc_evidence_add(c, "dmesg", "efi: MEMATTR", "kernel-log", "0x%llx",
			(unsigned long long)f->memattr_addr);
	vc_evidence_add(c, "dmesg", "efi: memattr entries", "kernel-log",
			"%zu listed, %zu invalid%s", f->n_log, n_invalid,
			f->debug_listing ? " (efi=debug)" : "");
	if (f->n_malformed)
		fw_report_add(&c->findings, "R6-LOG", FW_SEV_WARN, FW_NO_INDEX,
			      f->n_malformed, "memattr log lines did not parse");
	if (f->debug_listing) {
		/* every entry is in the log: the full entry rules apply */
		mat_check_entries(f->log_entries, f->n_log, 0, &c->findings);
		mat_check_memmap(f->log_entries, f->n_log,
				 f->map_err ? NULL : f->map, f->n_map,
				 &c->findings);
		r6_verdict(c, "MAT (kernel log, efi=debug)");
		return;
	}
	if (n_invalid) {
		/* only Linux-rejected entries are printed: judge those */
		mat_check_entries(f->log_entries, f->n_log, 0, &c->findings);
		if (worst_of(&c->findings) == VC_FAIL) {
			r6_verdict(c, "MAT (kernel log)");
			return;
		}
		fw_report_add(&c->findings, "R6-LINUX", FW_SEV_FAIL, FW_NO_INDEX,
			      n_invalid, "Linux rejected MAT entries");
		r6_verdict(c, "MAT (kernel log)");
		return;
	}
	set(c, VC_UNKNOWN, "unknown",
	    "MAT present at 0x%llx, entries not visible: boot with efi=debug "
	    "or use --devmem-mat", (unsigned long long)f->memattr_addr);
}

void judge_r6(const struct vc_mat_facts *f, enum vc_profile p,
	      struct vc_check *c)
{
	enum vc_result absent = p == VC_PROFILE_OEM ? VC_FAIL : VC_WARN;

	if (!f->efi) {
		if (f->efi_err != -ENOENT)
			set(c, VC_UNKNOWN, "unknown", "%s",
			    why(f->efi_err, "/sys/firmware/efi"));
		else
			set(c, absent, "not-found",
			    "not booted through UEFI: no Memory Attributes Table");
		return;
	}
	if (f->raw.data) {
		judge_raw_mat(f, c);
		return;
	}
	if (f->klog_err) {
		set(c, VC_UNKNOWN, "unknown", "kernel log not readable: %s",
		    why(f->klog_err, "syslog"));
		return;
	}
	if (!f->memattr_found) {
		if (!f->efi_lines) {
			set(c, VC_UNKNOWN, "unknown",
			    "the kernel log no longer holds the EFI boot lines");
			return;
		}
		set(c, absent, "not-found",
		    "firmware publishes no EFI Memory Attributes Table");
		flag(c, "action-contact-oem");
		return;
	}
	judge_log_mat(f, c);
}

/* ---- R7: Secure MOR revision 2 (readiness-spec §3 R7, §1.7) ------------ */

struct efivar_ctx {
	struct ev *ev;
};

static const char *mor_path(enum mor_var_id v)
{
	return v == MOR_VAR_CONTROL ?
		EFIVARS "/" MOR_CONTROL_NAME "-" MOR_CONTROL_GUID :
		EFIVARS "/" MOR_LOCK_NAME "-" MOR_LOCK_GUID;
}

static int efivar_get(void *ctx, enum mor_var_id var, uint32_t *attrs,
		      uint8_t *data, size_t cap, size_t *size)
{
	struct efivar_ctx *e = ctx;
	struct ev_buf b = { 0 };
	if (ev_read(e->ev, mor_path(var), &b) || b.len < 4) {
		ev_buf_free(&b);
		return -1;
	}
	*attrs = le32(b.data, 0);
	*size = b.len - 4;
	memcpy(data, b.data + 4, *size < cap ? *size : cap);
	ev_buf_free(&b);
	return 0;
}

static int efivar_set(void *ctx, enum mor_var_id var, uint32_t attrs,
		      const uint8_t *data, size_t size)
{
	struct efivar_ctx *e = ctx;
	uint8_t buf[4 + 16];
	if (size > 16)
		return -1;
	buf[0] = (uint8_t)attrs;
	buf[1] = (uint8_t)(attrs >> 8);
	buf[2] = (uint8_t)(attrs >> 16);
	buf[3] = (uint8_t)(attrs >> 24);
	memcpy(buf + 4, data, size);
	return e->ev->ops->write_file(e->ev, mor_path(var), buf, 4 + size);
}

static void run_probe(struct ev *ev, struct vc_mor_facts *f)
{
	struct efivar_ctx ctx = { ev };
	struct mor_ops ops = { &ctx, efivar_get, efivar_set };
	uint8_t key[MOR_KEY_LEN];
	struct fw_finding st[8];
	struct fw_report r;
	enum mor_rev rev = MOR_REV_UNKNOWN;

	fw_report_init(&r, st, 8);
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return;
	f->probed = true;
	/*
	 * A refused 8-byte write means revision 1 only if writes work at all:
	 * first rewrite MOR with its own value (harmless while unlocked). If
	 * even that fails (not root, efivarfs read-only), decide nothing.
	 */
	if (f->control_err || f->control.len != 5 ||
	    efivar_set(&ctx, MOR_VAR_CONTROL, MOR_ATTRS, f->control.data + 4, 1)) {
		f->probe = MOR_PROBE_UNDECIDED; /* no rule applies: not probed */
		return;
	}
	if (mor_probe(&ops, key, &rev, &r))
		rev = MOR_REV_UNKNOWN;
	f->probe = rev == MOR_REV_2 ? MOR_PROBE_REV2 :
		   rev == MOR_REV_1 ? MOR_PROBE_REV1 : MOR_PROBE_UNDECIDED;
	for (uint32_t i = 0; i < r.count; i++) {
		if (f->probe_rules[0])
			strncat(f->probe_rules, ",", sizeof(f->probe_rules) -
				strlen(f->probe_rules) - 1);
		strncat(f->probe_rules, r.items[i].rule, sizeof(f->probe_rules) -
			strlen(f->probe_rules) - 1);
	}
}

void gather_mor(struct ev *ev, bool probe, struct vc_mor_facts *f)
{
	struct ev_list l = { 0 };
	char v[120];

	memset(f, 0, sizeof(*f));
	f->efi = !ev_ls(ev, "/sys/firmware/efi", &l);
	ev_list_free(&l);
	if (!f->efi)
		return;
	f->control_err = ev_read(ev, mor_path(MOR_VAR_CONTROL), &f->control);
	f->lock_err = ev_read(ev, mor_path(MOR_VAR_LOCK), &f->lock);
	/* the probe's outcome is a fact of the capture (replay cannot write) */
	if (!ev->ops->fact_get(ev, "morlock-probe", v, sizeof(v))) {
		f->probed = true;
		f->probe = v[0] == '2' ? MOR_PROBE_REV2 :
			   v[0] == '1' ? MOR_PROBE_REV1 : MOR_PROBE_UNDECIDED;
		if (!ev->ops->fact_get(ev, "morlock-probe-rules", v, sizeof(v)))
			snprintf(f->probe_rules, sizeof(f->probe_rules), "%s", v);
		return;
	}
	if (!probe || f->lock_err || f->lock.len != 5)
		return;
	if (f->lock.data[4] != MOR_LOCK_UNLOCKED) {
		/* readiness-spec §3 R7: probe only an unlocked lock */
		snprintf(f->probe_rules, sizeof(f->probe_rules), "MOR-P3");
		return;
	}
	run_probe(ev, f);
	if (f->probed) {
		ev->ops->fact_put(ev, "morlock-probe",
				  f->probe == MOR_PROBE_REV2 ? "2" :
				  f->probe == MOR_PROBE_REV1 ? "1" : "undecided");
		ev->ops->fact_put(ev, "morlock-probe-rules", f->probe_rules);
		/* re-read: the capture must hold the state after the probe */
		ev_buf_free(&f->lock);
		f->lock_err = ev_read(ev, mor_path(MOR_VAR_LOCK), &f->lock);
	}
}

static void add_probe_findings(const struct vc_mor_facts *f,
			       struct vc_check *c)
{
	char rules[128], *save = NULL;
	snprintf(rules, sizeof(rules), "%s", f->probe_rules);
	for (char *t = strtok_r(rules, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		const struct fw_rule_desc *d = fw_rule_find(t);
		if (d)
			fw_report_add(&c->findings, d->id, d->sev, FW_NO_INDEX,
				      0, d->text);
	}
}

void judge_r7(const struct vc_mor_facts *f, struct vc_check *c)
{
	struct mor m;

	if (!f->efi) {
		set(c, VC_FAIL, "not-found",
		    "not booted through UEFI: no MOR variables");
		return;
	}
	int err = f->lock_err && f->lock_err != -ENOENT ? f->lock_err :
		  f->control_err && f->control_err != -ENOENT ? f->control_err
							       : 0;
	if (err) {
		set(c, VC_UNKNOWN, "unknown", "%s", why(err, f->lock_err ?
			mor_path(MOR_VAR_LOCK) : mor_path(MOR_VAR_CONTROL)));
		return;
	}
	mor_parse(f->control_err ? NULL : f->control.data, f->control.len,
		  f->lock_err ? NULL : f->lock.data, f->lock.len, &m,
		  &c->findings);
	if (m.lock.present)
		vc_evidence_add(c, "efivarfs", MOR_LOCK_NAME, NULL,
				"attrs 0x%x size %u value 0x%02x", m.lock.attrs,
				m.lock.size, m.lock.value);
	add_probe_findings(f, c);
	enum vc_result r = worst_of(&c->findings);
	if (r == VC_FAIL) {
		set(c, VC_FAIL, !m.lock.present ? "not-found" : "not-valid",
		    "%s", first_finding_msg(c, FW_SEV_FAIL));
		flag(c, "action-contact-oem");
		return;
	}
	if (f->probed && f->probe == MOR_PROBE_REV2) {
		set(c, VC_PASS, "locked", "Secure MOR revision 2 (probed)");
		return;
	}
	if (f->probed && f->probe == MOR_PROBE_UNDECIDED) {
		set(c, VC_UNKNOWN, "unknown", "MOR lock probe undecided "
		    "(EFI variables not writable?)");
		return;
	}
	set(c, r == VC_WARN ? VC_WARN : VC_PASS, "locked",
	    "Secure MOR lock present (revision 2 unverified: --probe-morlock)");
	c->has_note = true;
}

/* ---- R10: Secure Boot (readiness-spec §3 R10; UEFI 2.10 §3.3) ---------- */

void gather_sb(struct ev *ev, struct vc_sb_facts *f)
{
	struct ev_list l = { 0 };
	memset(f, 0, sizeof(*f));
	f->efi = !ev_ls(ev, "/sys/firmware/efi", &l);
	ev_list_free(&l);
	if (f->efi)
		f->err = ev_read(ev, EFIVARS "/SecureBoot-" EFI_GLOBAL_GUID,
				 &f->var);
}

void judge_r10(const struct vc_sb_facts *f, struct vc_check *c)
{
	if (!f->efi) {
		set(c, VC_FAIL, "not-supported",
		    "not booted through UEFI: no Secure Boot");
		flag(c, "action-config-fw");
		return;
	}
	if (f->err == -ENOENT) {
		set(c, VC_FAIL, "not-found", "no SecureBoot variable");
		flag(c, "action-config-fw");
		return;
	}
	if (f->err) {
		set(c, VC_UNKNOWN, "unknown", "%s",
		    why(f->err, EFIVARS "/SecureBoot-" EFI_GLOBAL_GUID));
		return;
	}
	/* efivarfs: 4-byte attributes, then the data byte (UEFI 2.10 §3.3) */
	if (f->var.len != 5) {
		set(c, VC_FAIL, "not-valid", "SecureBoot variable is %zu bytes, "
		    "expected 4+1", f->var.len);
		return;
	}
	vc_evidence_add(c, "efivarfs", "SecureBoot", NULL, "%u",
			f->var.data[4]);
	if (f->var.data[4] == 1)
		set(c, VC_PASS, "enabled", "Secure Boot enabled");
	else {
		set(c, VC_FAIL, "not-enabled", "Secure Boot disabled");
		flag(c, "action-config-fw");
	}
}

/* ---- the table ------------------------------------------------------- */

static void eval_r1(struct vc_ctx *x, struct vc_check *c) { judge_r1(x->cpu, c); }
static void eval_r2(struct vc_ctx *x, struct vc_check *c) { judge_r2(x->cpu, c); }
static void eval_r9(struct vc_ctx *x, struct vc_check *c) { judge_r9(x->cpu, c); }

static void eval_r3(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_iommu_facts f;
	gather_iommu(x->ev, x->guest, &f);
	judge_r3(&f, c);
	free_iommu(&f);
}

static void eval_r4(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_tpm_facts f;
	gather_tpm(x->ev, &f);
	judge_r4(&f, x->opt.profile, c);
	free_tpm(&f);
}

static void eval_r5(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_wsmt_facts f;
	gather_wsmt(x->ev, &f);
	f.amd = is_amd(x->cpu);
	f.smm_lock.err = ev_rdmsr(x->ev, x->cpu->cpu[0],
				  f.amd ? MSR_AMD_HWCR : MSR_SMM_FEATURE_CONTROL,
				  &f.smm_lock.val);
	judge_r5(&f, c);
	ev_buf_free(&f.wsmt);
}

static void eval_r6(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_mat_facts f;
	/* replay: efi/mat.bin in the capture is used when it is there */
	gather_mat(x->ev, x->opt.devmem_mat || x->opt.replay, &f);
	judge_r6(&f, x->opt.profile, c);
	free_mat(&f);
}

static void eval_r7(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_mor_facts f;
	gather_mor(x->ev, x->opt.probe_morlock, &f);
	judge_r7(&f, c);
	ev_buf_free(&f.control);
	ev_buf_free(&f.lock);
}

static void eval_r8(struct vc_ctx *x, struct vc_check *c)
{
	(void)x;
	set(c, VC_NA, "not-supported",
	    "not observable from Linux: use Driver Verifier and the HLK "
	    "HVCI readiness test");
}

static void eval_r10(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_sb_facts f;
	gather_sb(x->ev, &f);
	judge_r10(&f, c);
	ev_buf_free(&f.var);
}

const struct vc_check_def vc_checks[] = {
	{ "vbs.cpu.virt", "R1", "for 64-bit CPU with VT-x/AMD-V", 1, eval_r1, NULL },
	{ "vbs.cpu.slat", "R2", "for second level address translation (EPT/NPT)",
	  1, eval_r2, NULL },
	{ "vbs.iommu", "R3", "for an IOMMU in front of all DMA-capable devices",
	  2, eval_r3, NULL },
	{ "vbs.tpm.v20", "R4", "for TPM 2.0", 1, eval_r4, NULL },
	{ "vbs.smm.wsmt", "R5", "for SMM protection (WSMT)", 1, eval_r5, NULL },
	{ "vbs.mat.valid", "R6", "for a valid UEFI Memory Attributes Table", 3,
	  eval_r6, NULL },
	{ "vbs.mor.secure", "R7", "for Secure MOR revision 2", 2, eval_r7, NULL },
	{ "vbs.drivers.hvci", "R8", "for memory-integrity-compatible drivers", 4,
	  eval_r8, NULL },
	{ "vbs.nested", "R9", "for virtualization extensions in this guest", 1,
	  eval_r9, NULL },
	{ "vbs.secureboot", "R10", "for UEFI Secure Boot enabled", 1, eval_r10,
	  NULL },
};
const size_t vc_checks_count = sizeof(vc_checks) / sizeof(vc_checks[0]);

bool vc_required(const char *req, const struct vc_opts *o, bool guest)
{
	if (!strcmp(req, "R9"))
		return guest;
	if (!strcmp(req, "R1") || !strcmp(req, "R2") || !strcmp(req, "R10"))
		return true;
	if (!strcmp(req, "R3"))
		return o->profile == VC_PROFILE_OEM || o->require_dma;
	if (!strcmp(req, "R8"))
		return false; /* advisory */
	return o->profile == VC_PROFILE_OEM; /* R4-R7 */
}

int vc_run(struct vc_ctx *ctx, struct vc_check *checks)
{
	ctx->cpu = calloc(1, sizeof(*ctx->cpu));
	if (!ctx->cpu)
		return -ENOMEM;
	ctx->ev->ops->host(ctx->ev, &ctx->host);
	gather_cpu(ctx->ev, ctx->cpu);
	ctx->guest = ctx->cpu->hypervisor;
	struct ev_list l = { 0 };
	ctx->efi = !ev_ls(ctx->ev, "/sys/firmware/efi", &l);
	ev_list_free(&l);
	for (size_t i = 0; i < vc_checks_count; i++) {
		vc_check_init(&checks[i], &vc_checks[i]);
		checks[i].required = vc_required(vc_checks[i].req, &ctx->opt,
						 ctx->guest);
		vc_checks[i].linux_eval(ctx, &checks[i]);
	}
	return 0;
}

void vc_ctx_free(struct vc_ctx *ctx)
{
	free(ctx->cpu);
	ctx->cpu = NULL;
}

int vc_exit_code(const struct vc_check *c, size_t n, bool strict)
{
	bool fail = false, unknown = false, warn = false;
	for (size_t i = 0; i < n; i++) {
		if (!c[i].required)
			continue; /* advisory checks never change the exit code */
		fail |= c[i].result == VC_FAIL;
		unknown |= c[i].result == VC_UNKNOWN || c[i].result == VC_ERROR;
		warn |= c[i].result == VC_WARN;
	}
	if (fail)
		return 1;
	if (unknown)
		return 2;
	if (strict && warn)
		return 3;
	return 0;
}

const char *vc_verdict(int exit_code)
{
	switch (exit_code) {
	case 0:
	case 3: return "ready";
	case 1: return "not-ready";
	default: return "indeterminate";
	}
}

const char *vc_result_name(enum vc_result r)
{
	static const char *const names[] = {
		[VC_PASS] = "pass", [VC_WARN] = "warn", [VC_FAIL] = "fail",
		[VC_UNKNOWN] = "unknown", [VC_NA] = "not-applicable",
		[VC_ERROR] = "error",
	};
	return r <= VC_ERROR ? names[r] : "error";
}
