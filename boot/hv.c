// SPDX-License-Identifier: MIT
/*
 * Starting the hypervisor (docs/boot.md "Hypervisor"): read
 * \EFI\OpenVBS\hv.bin and its detached signature, verify it with the
 * built-in key (kind hv, as the policy is verified), measure it into PCR 11,
 * check its header (include/vbs/hv_image.h), copy it into memory
 * allocated as EfiReservedMemoryType (UEFI 2.10 §7.2.1, Table 7-6: "Not
 * usable"; Linux keeps such ranges reserved in its e820 map and never
 * allocates from them) and call its entry on the boot CPU, before
 * ExitBootServices. When the call returns 0 this code runs as a guest.
 */
#include "boot/image.h"
#include "boot/loader.h"
#include "boot/mp.h"
#include "boot/sigfile.h"
#include "vbs/hv_image.h"
#include "vbs/sk_image.h"

#define HV_PATH "\\EFI\\OpenVBS\\hv.bin"
#define HV_SIG_PATH "\\EFI\\OpenVBS\\hv.bin.sig"
#define SK_PATH "\\EFI\\OpenVBS\\sk.bin"
#define SK_SIG_PATH "\\EFI\\OpenVBS\\sk.bin.sig"
#define HV_FILE_MAX (16u << 20)
#define PAGE 4096ull
#define BELOW_1M 0xfffffull

typedef int64_t (*hv_entry_fn)(const struct vbs_hv_params *p)
	__attribute__((sysv_abi));

/* The memory map, for the hypervisor's identity maps (it copies what it
 * needs during the call: the buffer may be freed afterwards). */
static EFI_STATUS hv_memmap(struct vbs_hv_params *p, uint8_t **buf)
{
	UINTN size = 0, key, dsize;
	UINT32 dver;
	EFI_STATUS st;

	*buf = NULL;
	st = BS->GetMemoryMap(&size, NULL, &key, &dsize, &dver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	size += 8 * dsize;
	st = BS->AllocatePool(EfiLoaderData, size, (void **)buf);
	if (EFI_ERROR(st))
		return st;
	st = BS->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)*buf, &key,
			      &dsize, &dver);
	if (EFI_ERROR(st))
		return st;
	p->memmap = (uint64_t)(uintptr_t)*buf;
	p->memmap_size = size;
	p->desc_size = dsize;
	return EFI_SUCCESS;
}

/* The page where application processors start (a SIPI names a page below
 * 1 MiB): reserved, so neither the firmware nor Linux use it. 0 if none. */
static uint64_t hv_tramp_alloc(void)
{
	EFI_PHYSICAL_ADDRESS pa = BELOW_1M;

	if (EFI_ERROR(BS->AllocatePages(AllocateMaxAddress,
					EfiReservedMemoryType, 1, &pa)))
		return 0;
	return pa;
}

/* The APIC IDs of all enabled processors (PI 1.7 vol 2 §13.4), the boot
 * processor's first. The hypervisor prepares a vCPU for each. */
static void hv_cpus(struct vbs_hv_params *p)
{
	EFI_GUID guid = EFI_MP_SERVICES_PROTOCOL_GUID;
	EFI_MP_SERVICES_PROTOCOL *mp;
	EFI_PROCESSOR_INFORMATION info;
	UINTN n = 0, enabled = 0, i;
	uint32_t id;

	if (EFI_ERROR(BS->LocateProtocol(&guid, NULL, (void **)&mp)) ||
	    EFI_ERROR(mp->GetNumberOfProcessors(mp, &n, &enabled)))
		return;
	for (i = 0; i < n; i++) {
		if (EFI_ERROR(mp->GetProcessorInfo(mp, i, &info)) ||
		    !(info.StatusFlag & PROCESSOR_ENABLED_BIT))
			continue;
		id = (uint32_t)info.ProcessorId;
		if (info.StatusFlag & PROCESSOR_AS_BSP_BIT) {
			if (p->cpu_count < VBS_HV_MAX_CPUS)
				p->apic_ids[p->cpu_count] = p->apic_ids[0];
			p->apic_ids[0] = id;
		} else if (p->cpu_count < VBS_HV_MAX_CPUS) {
			p->apic_ids[p->cpu_count] = id;
		} else {
			continue;
		}
		if (p->cpu_count < VBS_HV_MAX_CPUS)
			p->cpu_count++;
	}
}

/* A loaded secure kernel: its region, or zeros. */
struct sk_region {
	uint64_t base, size;
};

/*
 * \EFI\OpenVBS\sk.bin: read, verify (kind sk), check, measure (PCR 11),
 * place. Without one (or a bad one) the hypervisor runs without VTL1,
 * which `vbsctl status` reports; the console says why.
 */
static void sk_load(bool tpm, struct sk_region *sk)
{
	struct boot_image h;
	struct vbs_blob img;
	const char *bad;
	EFI_STATUS st;

	sk->base = sk->size = 0;
	st = esp_read(SK_PATH, HV_FILE_MAX, &img);
	if (EFI_ERROR(st)) {
		con_printf("OpenVBS: SECURE KERNEL: %s " SK_PATH ": no VTL1\n",
			   st == EFI_NOT_FOUND ? "no" : "cannot read");
		return;
	}
	if (!image_verified(&img, SK_SIG_PATH, VBS_SIG_KIND_SK,
			    "SECURE KERNEL"))
		goto out;
	bad = image_header_check(&img, VBS_SK_MAGIC, &h);
	if (bad) {
		con_printf("OpenVBS: SECURE KERNEL: " SK_PATH ": %s\n", bad);
		goto out;
	}
	if (tpm)
		measure(11, img.data, img.len, "OpenVBS secure kernel image");
	if (EFI_ERROR(image_place(&img, &h, VBS_SK_BOOT_AREA, &sk->base,
				  &sk->size))) {
		con_puts("OpenVBS: SECURE KERNEL: cannot reserve its memory\n");
		sk->base = sk->size = 0;
		goto out;
	}
	con_printf("OpenVBS: SECURE KERNEL: loaded at 0x%lx (%lu KiB)\n",
		   sk->base, sk->size >> 10);
out:
	blob_free(&img);
}

static bool hv_launch(const struct vbs_blob *img, const struct boot_image *h,
		      const struct sk_region *sk)
{
	struct vbs_hv_params p = { .version = VBS_HV_PARAMS_VERSION };
	uint8_t *mm = NULL;
	uint64_t base, size;
	int64_t rc;

	if (EFI_ERROR(image_place(img, h, 0, &base, &size))) {
		con_puts("OpenVBS: HYPERVISOR: cannot reserve its memory\n");
		return false;
	}
	p.region_base = base;
	p.region_size = size;
	p.sk_base = sk->base;
	p.sk_size = sk->size;
	if (EFI_ERROR(hv_memmap(&p, &mm))) {
		con_puts("OpenVBS: HYPERVISOR: no memory map\n");
		BS->FreePages(base, size / PAGE);
		if (mm)
			BS->FreePool(mm);
		return false;
	}
	p.tramp_pa = hv_tramp_alloc();
	hv_cpus(&p);
	con_printf("OpenVBS: HYPERVISOR: starting at 0x%lx (%lu KiB reserved), "
		   "%u CPUs, AP start page 0x%lx\n", base, size >> 10,
		   p.cpu_count, p.tramp_pa);
	rc = ((hv_entry_fn)(uintptr_t)(base + h->entry_off))(&p);
	BS->FreePool(mm);
	if (rc != 0) {
		con_printf("OpenVBS: HYPERVISOR: did not start (status %ld, "
			   "see the hypervisor log)\n", rc);
		BS->FreePages(base, size / PAGE);
		if (p.tramp_pa)
			BS->FreePages(p.tramp_pa, 1);
		return false;
	}
	con_puts("OpenVBS: HYPERVISOR: running; this CPU is now its guest\n");
	return true;
}

bool hv_start(const struct vbs_policy *pol, bool tpm)
{
	struct sk_region sk;
	struct boot_image h;
	struct vbs_blob img;
	const char *bad;
	EFI_STATUS st;
	bool ok;

	if (pol->hypervisor_off) {
		con_puts("OpenVBS: HYPERVISOR: off by policy (hypervisor=off)\n");
		return false;
	}
	st = esp_read(HV_PATH, HV_FILE_MAX, &img);
	if (st == EFI_NOT_FOUND) {
		con_puts("OpenVBS: HYPERVISOR: no " HV_PATH " on the ESP\n");
		return false;
	}
	if (EFI_ERROR(st)) {
		con_printf("OpenVBS: HYPERVISOR: reading " HV_PATH " failed "
			   "(0x%lx)\n", (uint64_t)st);
		return false;
	}
	ok = image_verified(&img, HV_SIG_PATH, VBS_SIG_KIND_HV, "HYPERVISOR");
	bad = ok ? image_header_check(&img, VBS_HV_MAGIC, &h) : NULL;
	if (bad) {
		con_printf("OpenVBS: HYPERVISOR: " HV_PATH ": %s\n", bad);
		ok = false;
	}
	if (ok && tpm)
		measure(11, img.data, img.len, "OpenVBS hypervisor image");
	if (ok) {
		sk_load(tpm, &sk);
		ok = hv_launch(&img, &h, &sk);
		if (!ok && sk.base)
			BS->FreePages(sk.base, sk.size / PAGE);
	}
	blob_free(&img);
	return ok;
}
