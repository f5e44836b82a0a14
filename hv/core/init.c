// SPDX-License-Identifier: MIT
/*
 * hv_main: the hypervisor's set-up on the boot CPU, called by hv_start
 * (arch/x86/start.S) from the loader (docs/hypervisor.md "Start"). All it
 * uses afterwards lives in the region the loader reserved: nothing of the
 * firmware's is needed once ExitBootServices has run.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/svm/svm.h"
#include "base/reloc.h"
#include "vbs/hv_image.h"

#define MAX_PHYS_TOP (1ull << 40) /* 1 TiB: more is not mapped (docs) */
#define NPT_SPARE_PAGES 256       /* pool for later splits */

struct hv_region hv_region;
uint64_t hv_phys_top;
uint64_t hv_phys_limit;
bool hv_npt_1g;
uint64_t hv_host_cr3;
struct hv_vcpu *hv_vcpus[HV_MAX_CPUS];
uint32_t hv_ncpus;
struct npt hv_npt;
static struct npt_pool hv_npt_pool;

/* A marker in hypervisor memory that the guest must never read back
 * (tests: /dev/mem reads of the region see zeros). */
const char hv_canary[32] __attribute__((used, aligned(32))) =
	"OpenVBS-hv-canary:3b9f1e0c55d7";

extern char __image_base[], __image_end[], __rela_start[], __rela_end[];
extern char __text_end[];

int hv_relocate(uint64_t base);
int64_t hv_main(const struct vbs_hv_params *p, const uint64_t *boot_state);

/* The image's own relocations (lib/base/reloc.c), from hv_start. */
int hv_relocate(uint64_t base)
{
	return vbs_pie_relocate(base, (const uint64_t *)__rela_start,
				(const uint64_t *)__rela_end);
}

/* UEFI 2.10 §7.2.3 EFI_MEMORY_DESCRIPTOR: Type u32 @0, PhysicalStart u64
 * @8, NumberOfPages u64 @24. The top of all of them, at least 4 GiB (the
 * APIC and IOAPIC sit below it), rounded up to 1 GiB. */
static uint64_t memmap_top(const struct vbs_hv_params *p)
{
	uint64_t top = 1ull << 32, off, start, pages, end;
	const uint8_t *d;

	if (p->desc_size < 40)
		return 0;
	for (off = 0; off + p->desc_size <= p->memmap_size; off += p->desc_size) {
		d = (const uint8_t *)(uintptr_t)(p->memmap + off);
		start = *(const uint64_t *)(d + 8);
		pages = *(const uint64_t *)(d + 24);
		if (pages > (MAX_PHYS_TOP >> 12) || start >= MAX_PHYS_TOP)
			continue;
		end = start + pages * HV_PAGE;
		if (end > top)
			top = end;
	}
	top = (top + (1ull << 30) - 1) & ~((1ull << 30) - 1);
	return top > MAX_PHYS_TOP ? MAX_PHYS_TOP : top;
}

static int svm_available(void)
{
	uint32_t r[4];

	cpuid_count(0x80000001u, 0, r);
	if (!(r[2] & (1u << 2))) {
		hv_log(0, "no AMD SVM on this CPU (CPUID 8000_0001 ECX[2])");
		return 0;
	}
	cpuid_count(0x8000000au, 0, r);
	if (!(r[3] & 1u)) {
		hv_log(0, "no nested paging (CPUID 8000_000A EDX[0])");
		return 0;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		hv_log(0, "SVM disabled by the firmware (VM_CR.SVMDIS)");
		return 0;
	}
	if (rdmsr(MSR_EFER) & EFER_SVME) {
		hv_log(0, "EFER.SVME already set: another hypervisor?");
		return 0;
	}
	return 1;
}

/* APM3 CPUID Fn8000_0008 EAX[7:0] PhysAddrSize; capped like the map. */
static uint64_t phys_limit(void)
{
	uint32_t r[4], bits;

	cpuid_count(0x80000008u, 0, r);
	bits = r[0] & 0xff;
	if (bits < 32 || bits > 40)
		bits = 40;
	return 1ull << bits;
}

static bool cpu_has_1g_pages(void)
{
	uint32_t r[4];

	cpuid_count(0x80000001u, 0, r);
	return (r[3] & (1u << 26)) != 0; /* Page1GB */
}

/* The NPT: identity of [0, top), the hypervisor region hidden behind
 * the zero page page by page (docs/hypervisor.md "Nested page tables"). */
static int npt_setup(bool use_1g)
{
	uint64_t pages = 4 + hv_phys_top / (1ull << 30) +
			 hv_region.size / (2ull << 20) + 2 + NPT_SPARE_PAGES;
	uint64_t a;

	hv_npt_pool.base = hv_alloc_pages(pages);
	hv_npt_pool.npages = (uint32_t)pages;
	hv_npt.zero_page = hv_alloc_pages(1);
	hv_npt.pool = &hv_npt_pool;
	if (!hv_npt_pool.base || !hv_npt.zero_page ||
	    npt_build_identity(&hv_npt, hv_phys_top, use_1g))
		return -1;
	for (a = hv_region.base; a < hv_region.base + hv_region.size; a += HV_PAGE)
		if (npt_set_perm(&hv_npt, a, NPT_PERM_HIDDEN))
			return -1;
	return 0;
}

/* W^X of the host's own map, read back: text executable and read-only,
 * data, heap, stacks and guest memory writable and never executable. */
static int wx_check(const struct vbs_hv_params *p)
{
	uint64_t text = (uint64_t)(uintptr_t)__image_base;
	uint64_t data = (uint64_t)(uintptr_t)__text_end;

	if (!hv_paging_is_exec(hv_host_cr3, text) ||
	    !hv_paging_is_exec(hv_host_cr3, data - 1) ||
	    !hv_paging_is_data(hv_host_cr3, data) ||
	    !hv_paging_is_data(hv_host_cr3, (uint64_t)(uintptr_t)&hv_region) ||
	    !hv_paging_is_data(hv_host_cr3, p->region_base + p->region_size - 1) ||
	    !hv_paging_is_data(hv_host_cr3, 0x100000) ||
	    (p->tramp_pa && !hv_paging_is_exec(hv_host_cr3, p->tramp_pa))) {
		hv_log(0, "host page tables are not W^X: refusing to start");
		return -1;
	}
	hv_log(0, "host W^X: text %lx-%lx read-only executable, all else "
	       "no-execute", text, data);
	return 0;
}

int64_t hv_main(const struct vbs_hv_params *p, const uint64_t *boot_state)
{
	uint64_t image_end = (uint64_t)(uintptr_t)__image_end;
	struct hv_vcpu *v;
	bool use_1g;

	hv_log(0, "OpenVBS hypervisor " VBS_VERSION_STRING " at %lx",
	       (uint64_t)(uintptr_t)__image_base);
	if (p->version != VBS_HV_PARAMS_VERSION || p->flags || p->reserved) {
		hv_log(0, "unknown parameter block version %u", p->version);
		return -1;
	}
	if (!svm_available())
		return -2;
	hv_region.base = p->region_base;
	hv_region.size = p->region_size;
	hv_phys_top = memmap_top(p);
	if (!hv_phys_top || image_end <= p->region_base ||
	    image_end > p->region_base + p->region_size ||
	    p->region_base + p->region_size > (1ull << 32)) {
		hv_log(0, "region %lx+%lx unusable (must hold the image and "
		       "lie below 4 GiB)", p->region_base, p->region_size);
		return -3;
	}
	hv_mm_init(image_end, p->region_base + p->region_size - image_end);
	use_1g = cpu_has_1g_pages();
	hv_npt_1g = use_1g;
	hv_phys_limit = phys_limit();
	if (hv_phys_limit < hv_phys_top)
		hv_phys_limit = hv_phys_top;
	hv_log(0, "region %lx-%lx, physical top %lx (MMIO up to %lx mapped "
	       "on first touch), %s pages", hv_region.base,
	       hv_region.base + hv_region.size, hv_phys_top, hv_phys_limit,
	       use_1g ? "1 GiB" : "2 MiB");
	hv_host_cr3 = hv_paging_build(hv_phys_top, use_1g);
	if (!hv_host_cr3 ||
	    hv_paging_exec(hv_host_cr3, (uint64_t)(uintptr_t)__image_base,
			   (uint64_t)(uintptr_t)__text_end) ||
	    npt_setup(use_1g) || svm_setup_shared() ||
	    vtl_setup(p, p->cpu_count && p->cpu_count <= VBS_HV_MAX_CPUS ?
		      p->cpu_count : 1) ||
	    ap_setup(p, cpu_apic_id())) {
		hv_log(0, "out of hypervisor memory, or no usable CPU list");
		return -4;
	}
	if (wx_check(p))
		return -5;
	v = hv_vcpus[0];
	svm_setup_boot_cpu(v, boot_state);
	if (hv_vtl1.present)
		vtl1_start(v); /* VTL1 first, then the firmware resumes */
	hv_log(0, "NPT: %u of %u pool pages used; boot CPU virtualized, "
	       "guest resumes at %lx", hv_npt_pool.used, hv_npt_pool.npages,
	       v->vmcb->save.rip);
	svm_run_loop(v);
}
