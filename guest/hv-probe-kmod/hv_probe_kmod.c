// SPDX-License-Identifier: GPL-2.0
/*
 * hv_probe_kmod: CPL-0 probes of the OpenVBS hypervisor for
 * tests/integration/hv.sh. On load it makes hypercalls (valid and
 * malformed: include/vbs/hypercall.h, docs/abi.md) and runs the SVM
 * instructions at CPL 0, then logs one TAP-like line per check
 * ("hv-probe-kmod: ok - ..." / "not ok - ...") and stays loaded.
 * Only for the test guest; never part of the protected system.
 *
 * GPL-2.0 because a Linux module must declare a GPL-compatible license to
 * use the kernel's exception tables; it contains no third-party code.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/asm.h>
#include <asm/io.h>

#include "vbs/hypercall.h"
#include "vbs/sk_abi.h"

/* vtl=1: instead of the probes above, the VTL call probes
 * (tests/integration/vtl1.sh); hidden=: start addresses of memory VTL0
 * must not name (the hypervisor's and the secure kernel's regions, from
 * /proc/iomem "Reserved"). */
static bool vtl;
module_param(vtl, bool, 0444);
static unsigned long hidden[8];
static int nhidden;
module_param_array(hidden, ulong, &nhidden, 0444);

struct hc {
	u64 rax, rbx, rcx, rdx;
};

/* VMMCALL with RAX, RBX, RCX (and RDX/RSI/RDI as given). */
static struct hc hcall(u64 rax, u64 rbx, u64 rcx, u64 rdx, u64 rsi, u64 rdi)
{
	struct hc r;

	asm volatile(".byte 0x0f, 0x01, 0xd9"
		     : "=a"(r.rax), "=b"(r.rbx), "=c"(r.rcx), "=d"(r.rdx),
		       "+S"(rsi), "+D"(rdi)
		     : "a"(rax), "b"(rbx), "c"(rcx), "d"(rdx)
		     : "memory");
	return r;
}

static int failures;

static void check(bool ok, const char *what, u64 got)
{
	pr_info("hv-probe-kmod: %s - %s (0x%llx)\n", ok ? "ok" : "not ok",
		what, got);
	failures += !ok;
}

/* Runs 0f 01 <modrm>; returns the trap number it raised, or ~0 if none
 * (the exception table's EX_TYPE_FAULT handler puts it in RAX). */
#define SVM_INSN(modrm)                                                 \
	({                                                              \
		u64 __r = ~0ull;                                        \
		asm volatile("1: .byte 0x0f, 0x01, " #modrm "\n2:\n"    \
			     _ASM_EXTABLE_FAULT(1b, 2b)                 \
			     : "+a"(__r) : : "memory");                 \
		__r;                                                    \
	})

/* A status request in a fresh zeroed page; out points into the same page. */
static struct vbs_sk_request *status_request(void *page)
{
	struct vbs_sk_request *q = page;

	memset(page, 0, PAGE_SIZE);
	q->magic = VBS_SK_REQ_MAGIC;
	q->version = VBS_SK_ABI_VERSION;
	q->size = VBS_SK_REQ_SIZE;
	q->service = VBS_SK_SVC_STATUS;
	q->op = VBS_SK_STATUS_GET;
	q->out.gpa = virt_to_phys((u8 *)page + 0x800);
	q->out.len = sizeof(struct vbs_sk_status_info);
	return q;
}

/* Malformed VTL calls are refused (by the hypervisor or by VTL1), and
 * VTL1 keeps serving. docs/abi.md "Hypercalls", include/vbs/sk_abi.h. */
static void vtl_probes(void)
{
	void *page = (void *)get_zeroed_page(GFP_KERNEL);
	struct vbs_sk_request *q;
	u64 pa;
	struct hc r;
	int i;

	if (!page) {
		check(false, "a page for the request", 0);
		return;
	}
	pa = virt_to_phys(page);
	q = status_request(page);
	r = hcall(VBS_HC_VTL_CALL, pa, 0, 0, 0, 0);
	check(r.rax == VBS_HC_OK && q->status == VBS_SK_OK &&
	      q->out_len == sizeof(struct vbs_sk_status_info),
	      "a well-formed status request is served by VTL1", q->status);
	check(((struct vbs_sk_status_info *)((u8 *)page + 0x800))->props_running &
	      VBS_SK_PROP_VTL1, "VTL1 reports itself running", 0);
	r = hcall(VBS_HC_VTL_CALL, pa, 1, 0, 0, 0);
	check(r.rax == VBS_HC_E_RESERVED, "VTL call with RCX set -> E_RESERVED", r.rax);
	r = hcall(VBS_HC_VTL_CALL, pa + 4, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_RANGE, "request not 8-byte aligned -> E_RANGE", r.rax);
	r = hcall(VBS_HC_VTL_CALL, pa + PAGE_SIZE - 8, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_RANGE, "request crossing a page -> E_RANGE", r.rax);
	r = hcall(VBS_HC_VTL_CALL, 1ull << 50, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_RANGE, "request beyond memory -> E_RANGE", r.rax);
	for (i = 0; i < nhidden; i++) {
		r = hcall(VBS_HC_VTL_CALL, hidden[i], 0, 0, 0, 0);
		check(r.rax == VBS_HC_E_RANGE,
		      "request in hidden (hypervisor/VTL1) memory -> E_RANGE", hidden[i]);
		q = status_request(page);
		q->out.gpa = hidden[i];
		r = hcall(VBS_HC_VTL_CALL, pa, 0, 0, 0, 0);
		check(r.rax == VBS_HC_OK && q->status == VBS_SK_E_FAULT,
		      "output buffer in hidden memory -> VTL1 refuses (E_FAULT)", q->status);
	}
	q = status_request(page);
	q->magic = 0x12345678;
	r = hcall(VBS_HC_VTL_CALL, pa, 0, 0, 0, 0);
	check(r.rax == VBS_HC_OK && q->status == VBS_SK_E_MALFORMED,
	      "bad magic -> VTL1 refuses (E_MALFORMED)", q->status);
	q = status_request(page);
	q->out.len = 0x7fffffff;
	r = hcall(VBS_HC_VTL_CALL, pa, 0, 0, 0, 0);
	check(r.rax == VBS_HC_OK && q->status != VBS_SK_OK,
	      "huge output length -> VTL1 refuses", q->status);
	q = status_request(page);
	q->service = 99;
	r = hcall(VBS_HC_VTL_CALL, pa, 0, 0, 0, 0);
	check(r.rax == VBS_HC_OK && q->status == VBS_SK_E_SERVICE,
	      "unknown service -> VTL1 refuses (E_SERVICE)", q->status);
	r = hcall(VBS_HC_VTL_RETURN, 0, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_DENIED, "VTL_RETURN from VTL0 -> E_DENIED", r.rax);
	r = hcall(VBS_HC_MODIFY_VTL_PROTECTION_MASK, pa, 1, 0, 0, 0);
	check(r.rax == VBS_HC_E_DENIED,
	      "MODIFY_VTL_PROTECTION_MASK from VTL0 -> E_DENIED", r.rax);
	q = status_request(page);
	r = hcall(VBS_HC_VTL_CALL, pa, 0, 0, 0, 0);
	check(r.rax == VBS_HC_OK && q->status == VBS_SK_OK,
	      "VTL1 still serves after the malformed calls", q->status);
	free_page((unsigned long)page);
}

static int __init hv_probe_init(void)
{
	struct hc r, r2;
	u64 t;

	if (vtl) {
		vtl_probes();
		pr_info("hv-probe-kmod: done, %d failed\n", failures);
		return 0;
	}

	r = hcall(VBS_HC_VERSION, 0, 0, 0, 0, 0);
	check(r.rax == VBS_HC_OK && r.rbx == VBS_HC_ABI_VERSION,
	      "VBS_HC_VERSION at CPL 0 returns OK and ABI version 1", r.rbx);
	check(r.rdx >= 1, "VBS_HC_VERSION: at least one virtualized CPU", r.rdx);
	r = hcall(VBS_HC_EXIT_STATS, 0, VBS_CTR_VMMCALL, 0, 0, 0);
	r2 = hcall(VBS_HC_EXIT_STATS, 0, VBS_CTR_VMMCALL, 0, 0, 0);
	check(r.rax == VBS_HC_OK && r2.rax == VBS_HC_OK && r2.rbx > r.rbx,
	      "VBS_HC_EXIT_STATS: CPU 0's VMMCALL counter rises", r2.rbx);
	r = hcall(0x7777, 0, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_UNKNOWN, "unknown call code -> E_UNKNOWN", r.rax);
	r = hcall(VBS_HC_VERSION | (1ull << 16), 0, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_RESERVED, "reserved bits in RAX -> E_RESERVED", r.rax);
	r = hcall(VBS_HC_VERSION, 0, 0, 0, 1, 0);
	check(r.rax == VBS_HC_E_RESERVED, "RSI not zero -> E_RESERVED", r.rax);
	r = hcall(VBS_HC_VERSION, 5, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_RESERVED, "unused argument not zero -> E_RESERVED", r.rax);
	r = hcall(VBS_HC_EXIT_STATS, 9999, 0, 0, 0, 0);
	check(r.rax == VBS_HC_E_RANGE, "CPU index out of range -> E_RANGE", r.rax);
	r = hcall(VBS_HC_EXIT_STATS, 0, 1000, 0, 0, 0);
	check(r.rax == VBS_HC_E_RANGE, "counter out of range -> E_RANGE", r.rax);
	r = hcall(VBS_HC_VERSION, 0, 0, 0, 0, 0);
	check(r.rax == VBS_HC_OK, "the hypervisor still answers after the bad calls", r.rax);

	t = SVM_INSN(0xd8);
	check(t == 6, "VMRUN at CPL 0 raises #UD", t);
	t = SVM_INSN(0xda);
	check(t == 6, "VMLOAD at CPL 0 raises #UD", t);
	t = SVM_INSN(0xdb);
	check(t == 6, "VMSAVE at CPL 0 raises #UD", t);
	t = SVM_INSN(0xdc);
	check(t == 6, "STGI at CPL 0 raises #UD", t);
	t = SVM_INSN(0xdd);
	check(t == 6, "CLGI at CPL 0 raises #UD", t);
	t = SVM_INSN(0xde);
	check(t == 6, "SKINIT at CPL 0 raises #UD", t);
	t = SVM_INSN(0xdf);
	check(t == 6, "INVLPGA at CPL 0 raises #UD", t);
	pr_info("hv-probe-kmod: done, %d failed\n", failures);
	return 0;
}

static void __exit hv_probe_exit(void)
{
}

module_init(hv_probe_init);
module_exit(hv_probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("OpenVBS hypervisor CPL-0 probes (test guest only)");
