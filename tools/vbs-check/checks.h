/* SPDX-License-Identifier: MIT */
/*
 * vbs-check: the readiness checks R1-R10 (docs/readiness.md).
 *
 * Each requirement is split in two: gather_*() reads evidence through an
 * evidence source (ev.h) into a plain facts struct, judge_*() turns facts
 * into a verdict with no I/O at all, so unit tests drive the verdict logic
 * directly. The table of checks (vc_checks[]) is data: each row points at
 * the shared row of include/vbs/checks.h; the second evidence column, the
 * UEFI loader's firmware report, is matched to it by id (checks/loader.c).
 */
#ifndef VBS_CHECK_CHECKS_H
#define VBS_CHECK_CHECKS_H

#include "ev.h"
#include "fw/report.h"
#include "fw/mat.h"
#include "boot/report.h"
#include "vbs/checks.h"

#define VC_MAX_CPUS 256
#define VC_MAX_FINDINGS 64
#define VC_MAX_EVIDENCE 12

enum vc_result {
	VC_PASS = 0,
	VC_WARN,
	VC_FAIL,
	VC_UNKNOWN,
	VC_NA,       /* not-applicable */
	VC_ERROR,    /* the checker itself failed (out of memory, ...) */
};

enum vc_profile { VC_PROFILE_MINIMUM = 0, VC_PROFILE_OEM = 1 };

struct vc_opts {
	enum vc_profile profile;
	bool require_dma;
	bool strict;
	bool probe_morlock;
	bool devmem_mat;
	bool replay;      /* --root: evidence from a capture */
};

struct vc_evidence {
	char source[16];   /* "cpuid", "msr", "sysfs", "acpi", "efivarfs", "dmesg" */
	char key[96];
	char value[160];
	const char *quality; /* NULL, or "kernel-log", "cpuinfo" */
};

struct vc_check;
struct vc_ctx;
typedef void (*vc_eval_fn)(struct vc_ctx *ctx, struct vc_check *c);

/*
 * One row of vbs-check's table: the shared row (id, requirement,
 * description, level, profiles: include/vbs/checks.h) and how this Linux
 * system is judged. The second evidence column, the UEFI loader's report,
 * is matched to the row by id (struct vc_check.fw).
 */
struct vc_check_def {
	const struct vbs_check_def *spec;
	vc_eval_fn linux_eval;
	/*
	 * A verdict on the platform's virtualization (R1, R2, R9): under
	 * OpenVBS, SVM is hidden from the OS, so the loader's verdict stands.
	 */
	bool platform_virt;
};

struct vc_check {
	const struct vc_check_def *def;
	enum vc_result result;
	bool required;
	bool has_note;             /* pass/warn with a note worth printing */
	const char *result_code;   /* fwupd HsiResult string */
	char message[256];
	struct fw_report findings;
	struct fw_finding finding_store[VC_MAX_FINDINGS];
	struct vc_evidence evidence[VC_MAX_EVIDENCE];
	int n_evidence;
	const char *flags[4];      /* fwupd flags: "action-contact-oem", ... */
	int n_flags;
	/* the loader's finding for this check (valid report only), or NULL */
	const struct vbs_check_result *fw;
};

/* ---- facts ------------------------------------------------------------ */

struct vc_msr {
	int err;        /* 0 or -errno */
	uint64_t val;
};

struct vc_cpu_facts {
	int cpuid_err;
	char vendor[13];
	bool lm, vmx, svm, hypervisor, npt, gmet;
	char hv_vendor[13];
	int ncpu;                     /* online CPUs (>= 1) */
	unsigned cpu[VC_MAX_CPUS];
	bool cpus_truncated;
	int cpulist_err;
	/* per online CPU, only the MSRs that the vendor has */
	struct vc_msr feature_control[VC_MAX_CPUS]; /* 0x3A */
	struct vc_msr procbased[VC_MAX_CPUS];       /* 0x482 */
	struct vc_msr procbased2[VC_MAX_CPUS];      /* 0x48B */
	struct vc_msr vm_cr[VC_MAX_CPUS];           /* 0xC0010114 */
	int klog_err;
	bool klog_virt_disabled;      /* "disabled by BIOS" lines */
	int cpuinfo_err;
	bool cpuinfo_ept, cpuinfo_mbec;
	char kvm_nested[8];           /* kvm_{intel,amd} nested= ("" unknown) */
};

struct vc_pci_dev {
	char name[16];           /* "0000:00:1f.2" */
	uint16_t seg;
	uint8_t bus, dev, fn;
	int group;               /* iommu group number, -1 none */
	int group_err;           /* readlink error other than ENOENT */
	char group_type[16];     /* "DMA", "DMA-FQ", "identity", "" unknown */
	bool removable;
	bool bridge;             /* PCI header type 1 */
	uint32_t class_code;     /* config @0x09, 24 bits; 0 if unread */
	uint8_t secondary, subordinate;
};

struct vc_iommu_facts {
	int tables_err;          /* listing /sys/firmware/acpi/tables */
	int dmar_err, ivrs_err;  /* -ENOENT absent */
	struct ev_buf dmar, ivrs;
	int class_err;
	size_t n_iommu_class;    /* /sys/class/iommu entries */
	int groups_err;
	size_t n_groups;
	int pci_err;
	struct vc_pci_dev *pci;
	size_t n_pci;
	bool guest;
	bool klog_forced_optin;  /* "Intel-IOMMU force enabled due to platform opt in" */
	size_t n_tbt_unprotected; /* thunderbolt domains without DMA protection */
};

struct vc_tpm_facts {
	int class_err;
	bool tpm0;
	int version_err;
	char version_major[8];
	bool pcrs;               /* TPM 1.2 pcrs file present */
	bool tpmrm0;
	int tpm2_err;            /* TPM2 ACPI table */
	struct ev_buf tpm2;
};

struct vc_wsmt_facts {
	int tables_err;
	int err;
	struct ev_buf wsmt;
	/* corroborating SMM lock MSR of CPU 0 (informational only) */
	bool amd;
	struct vc_msr smm_lock;  /* AMD HWCR 0xC0010015 / Intel 0x4E0 */
};

struct vc_mat_facts {
	bool efi;                /* /sys/firmware/efi present */
	int efi_err;
	int klog_err;
	bool efi_lines;          /* any "efi: " line in the log */
	bool memattr_found;
	uint64_t memattr_addr;
	bool debug_listing;      /* "Processing EFI Memory Attributes table:" */
	struct efi_md *log_entries;   /* entries printed by Linux */
	bool *log_invalid;            /* '!' per entry */
	size_t n_log;
	size_t n_malformed;
	int map_err;             /* /sys/firmware/efi/runtime-map */
	struct efi_md *map;
	size_t n_map;
	int raw_err;             /* --devmem-mat / efi/mat.bin */
	struct ev_buf raw;
};

struct vc_mor_facts {
	bool efi;
	int control_err, lock_err;
	struct ev_buf control, lock;
	bool probed;
	enum mor_rev_fact { MOR_PROBE_NONE, MOR_PROBE_REV1, MOR_PROBE_REV2,
			    MOR_PROBE_UNDECIDED } probe;
	char probe_rules[128];   /* comma-separated rule ids from the probe */
};

struct vc_sb_facts {
	bool efi;
	int err;
	struct ev_buf var;
};

/*
 * The UEFI loader's report (OpenVbsReport variable, docs/boot.md), as
 * read through efivarfs: the firmware's own findings.
 */
enum vc_loader_state {
	VC_LOADER_ABSENT = 0,  /* no variable (or no UEFI) */
	VC_LOADER_VALID,
	VC_LOADER_MALFORMED,   /* present, not trusted: reason says why */
	VC_LOADER_UNREADABLE,  /* present, could not be read */
};

struct vc_loader {
	enum vc_loader_state state;
	int err;                  /* -errno, or a VBS_REPORT_E* code */
	uint32_t attrs;           /* efivarfs attribute word */
	char reason[160];
	struct vbs_boot_report rep;
};

struct vc_ctx {
	struct ev *ev;
	struct vc_opts opt;
	struct ev_host host;
	struct vc_cpu_facts *cpu;    /* gathered once, shared by R1/R2/R9 */
	bool guest;
	bool efi;                    /* /sys/firmware/efi present */
	bool openvbs;                /* CPUID 0x40000000 is OpenVBS's */
	struct vc_loader *loader;    /* gathered once */
};

/* ---- the table and the run ------------------------------------------- */

extern const struct vc_check_def vc_checks[];
extern const size_t vc_checks_count;

/* Runs every check; checks[] has vc_checks_count entries. */
int vc_run(struct vc_ctx *ctx, struct vc_check *checks);
void vc_ctx_free(struct vc_ctx *ctx);

/* Exit code of spec §5: 0, 1, 2 or 3. */
int vc_exit_code(const struct vc_check *checks, size_t n, bool strict);
const char *vc_verdict(int exit_code);
const char *vc_result_name(enum vc_result r);

/* Is this check required under these options (and guest-ness)? */
bool vc_required(const struct vbs_check_def *spec, const struct vc_opts *o,
		 bool guest);

/* ---- gather / judge, per requirement (unit-tested) ------------------- */

void vc_check_init(struct vc_check *c, const struct vc_check_def *def);
void vc_evidence_add(struct vc_check *c, const char *source, const char *key,
		     const char *quality, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

int gather_cpu(struct ev *ev, struct vc_cpu_facts *f);
void judge_r1(const struct vc_cpu_facts *f, struct vc_check *c);
void judge_r2(const struct vc_cpu_facts *f, struct vc_check *c);
void judge_r9(const struct vc_cpu_facts *f, struct vc_check *c);

void gather_iommu(struct ev *ev, bool guest, struct vc_iommu_facts *f);
void judge_r3(const struct vc_iommu_facts *f, struct vc_check *c);
void free_iommu(struct vc_iommu_facts *f);

void gather_tpm(struct ev *ev, struct vc_tpm_facts *f);
void judge_r4(const struct vc_tpm_facts *f, enum vc_profile p,
	      struct vc_check *c);
void free_tpm(struct vc_tpm_facts *f);

void gather_wsmt(struct ev *ev, struct vc_wsmt_facts *f);
void judge_r5(const struct vc_wsmt_facts *f, struct vc_check *c);

void gather_mat(struct ev *ev, bool devmem, struct vc_mat_facts *f);
void judge_r6(const struct vc_mat_facts *f, enum vc_profile p,
	      struct vc_check *c);
void free_mat(struct vc_mat_facts *f);
/* Feeds one kernel log line to the MAT facts (used by gather_mat). */
int mat_facts_klog_line(struct vc_mat_facts *f, const char *line, size_t len);

void gather_mor(struct ev *ev, bool probe, struct vc_mor_facts *f);
void judge_r7(const struct vc_mor_facts *f, struct vc_check *c);

void gather_sb(struct ev *ev, struct vc_sb_facts *f);
void judge_r10(const struct vc_sb_facts *f, struct vc_check *c);

/* The loader's report (checks/loader.c). */
void gather_loader(struct ev *ev, bool efi, struct vc_loader *l);
/* Decodes efivarfs bytes (4 attribute bytes, then the report) into l. */
void loader_decode(const uint8_t *data, size_t len, struct vc_loader *l);
/* The loader's finding for this check, or NULL (not valid, not there). */
const struct vbs_check_result *loader_find(const struct vc_loader *l,
					   const struct vbs_check_def *spec);
/*
 * Under OpenVBS: replaces a platform_virt verdict with the loader's, or
 * with unknown (and the reason) when there is no valid report.
 */
void judge_from_loader(const struct vc_loader *l, struct vc_check *c);
/* Names of the report's flags (static). */
const char *loader_state_name(enum vc_loader_state s);

#endif
