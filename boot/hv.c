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
#include "boot/loader.h"
#include "boot/mp.h"
#include "boot/verify.h"
#include "pubkey.h" /* generated in $(B)/boot by vbs-sign pubkey-header */
#include "vbs/hv_image.h"

#define HV_PATH "\\EFI\\OpenVBS\\hv.bin"
#define HV_SIG_PATH "\\EFI\\OpenVBS\\hv.bin.sig"
#define HV_FILE_MAX (16u << 20)
#define HV_HEAP_MAX (256ull << 20)
#define HV_ALIGN_MAX (1ull << 30)
#define PAGE 4096ull
#define BELOW_4G 0xffffffffull
#define BELOW_1M 0xfffffull

static const uint8_t hv_pubkey[VBS_PUBKEY_LEN] = VBS_PUBKEY_BYTES;

typedef int64_t (*hv_entry_fn)(const struct vbs_hv_params *p)
	__attribute__((sysv_abi));

/* The header, by offset (include/vbs/hv_image.h); NULL when acceptable. */
static const char *hv_header_check(const struct vbs_blob *img,
				   struct vbs_hv_header *h)
{
	const uint8_t *b = img->data;

	if (!span_ok(img->len, 0, sizeof(*h)))
		return "shorter than its header";
	if (vbs_memcmp(b, VBS_HV_MAGIC, 8) != 0)
		return "not an OpenVBS hypervisor image (magic)";
	h->header_version = le32(b, 0x08);
	h->header_size = le32(b, 0x0c);
	h->entry_off = le64(b, 0x10);
	h->file_size = le64(b, 0x18);
	h->mem_size = le64(b, 0x20);
	h->heap_size = le64(b, 0x28);
	h->align = le64(b, 0x30);
	if (h->header_version != VBS_HV_HEADER_VERSION ||
	    h->header_size != sizeof(*h))
		return "unsupported header version";
	if (h->file_size != img->len || h->mem_size < h->file_size ||
	    h->mem_size % PAGE || h->heap_size % PAGE ||
	    h->heap_size > HV_HEAP_MAX || h->mem_size > HV_FILE_MAX * 4ull)
		return "inconsistent sizes";
	if (h->entry_off < sizeof(*h) || h->entry_off >= h->file_size)
		return "entry point outside the image";
	if (h->align < PAGE || h->align > HV_ALIGN_MAX ||
	    (h->align & (h->align - 1)))
		return "bad alignment";
	return NULL;
}

/* EfiReservedMemoryType pages below 4 GiB (include/vbs/hv_image.h),
 * aligned; the slack is given back. */
static EFI_STATUS hv_alloc(const struct vbs_hv_header *h, uint64_t *base,
			   uint64_t *size)
{
	uint64_t total = h->mem_size + h->heap_size, pages, a, slack;
	EFI_PHYSICAL_ADDRESS raw;
	EFI_STATUS st;

	pages = (total + h->align) / PAGE;
	raw = BELOW_4G;
	st = BS->AllocatePages(AllocateMaxAddress, EfiReservedMemoryType, pages,
			       &raw);
	if (EFI_ERROR(st))
		return st;
	a = (raw + h->align - 1) & ~(h->align - 1);
	if (a > raw)
		BS->FreePages(raw, (a - raw) / PAGE);
	slack = raw + pages * PAGE - (a + total);
	if (slack)
		BS->FreePages(a + total, slack / PAGE);
	*base = a;
	*size = total;
	return EFI_SUCCESS;
}

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

static bool hv_verified(const struct vbs_blob *img)
{
	struct vbs_blob sig;
	enum vbs_verify v;
	const char *why;

	if (EFI_ERROR(esp_read(HV_SIG_PATH, 4096, &sig))) {
		con_puts("OpenVBS: HYPERVISOR: " HV_SIG_PATH " missing: the "
			 "image is not started\n");
		return false;
	}
	v = vbs_verify_detached(hv_pubkey, VBS_SIG_KIND_HV, sig.data, sig.len,
				img->data, img->len, &why);
	blob_free(&sig);
	if (v != VBS_VERIFY_OK) {
		con_printf("OpenVBS: HYPERVISOR: signature REJECTED: %s "
			   "(built-in key %s): the image is not started\n",
			   why, VBS_PUBKEY_ID);
		return false;
	}
	return true;
}

static bool hv_launch(const struct vbs_blob *img, const struct vbs_hv_header *h)
{
	struct vbs_hv_params p = { .version = VBS_HV_PARAMS_VERSION };
	uint8_t *mm = NULL;
	uint64_t base, size;
	int64_t rc;

	if (EFI_ERROR(hv_alloc(h, &base, &size))) {
		con_puts("OpenVBS: HYPERVISOR: cannot reserve its memory\n");
		return false;
	}
	vbs_memcpy((void *)(uintptr_t)base, img->data, img->len);
	vbs_memset((void *)(uintptr_t)(base + img->len), 0, size - img->len);
	p.region_base = base;
	p.region_size = size;
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
	struct vbs_hv_header h;
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
	ok = hv_verified(&img);
	bad = ok ? hv_header_check(&img, &h) : NULL;
	if (bad) {
		con_printf("OpenVBS: HYPERVISOR: " HV_PATH ": %s\n", bad);
		ok = false;
	}
	if (ok && tpm)
		measure(11, img.data, img.len, "OpenVBS hypervisor image");
	if (ok)
		ok = hv_launch(&img, &h);
	blob_free(&img);
	return ok;
}
