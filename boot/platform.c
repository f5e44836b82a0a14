// SPDX-License-Identifier: MIT
/*
 * The firmware-side readiness report: gather evidence from the firmware
 * (readiness-spec.md §3, "UEFI" column), judge it with lib/boot/evaluate.c
 * (lib/fw underneath), print it in vbs-check's format and hand it to the
 * OS in the volatile variable OpenVbsReport-<vendor GUID>
 * (include/vbs/boot_report.h).
 */
#include "boot/loader.h"
#include "boot/checks.h"
#include "boot/evaluate.h"

#define ACPI_TABLE_MAX (1u << 20)
#define MAT_BYTES_MAX (1u << 20)
#define PCI_FUNCTIONS_MAX 1024u

static EFI_GUID mat_guid = { 0xdcfa911d, 0x26eb, 0x469f,
			     { 0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20 } };
static EFI_GUID global_guid = EFI_GLOBAL_VARIABLE;
static EFI_GUID mor_guid = { 0xe20939be, 0x32d4, 0x41be,
			     { 0xa1, 0x50, 0x89, 0x7f, 0x85, 0xd4, 0x98, 0x29 } };
static EFI_GUID morlock_guid = { 0xbb983ccf, 0x151d, 0x40e1,
				 { 0xa0, 0x7b, 0x4a, 0x17, 0xbe, 0x16, 0x82, 0x92 } };
static EFI_GUID vbs_guid = VBS_VENDOR_GUID_INIT;
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;

static void *config_table(EFI_GUID *guid)
{
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, guid))
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

static void gather_cpu(struct vbs_fw_evidence *ev)
{
	uint32_t r[4], max_ext;

	cpu_cpuid(0, 0, r);
	vbs_memcpy(ev->cpu_vendor, &r[1], 4);
	vbs_memcpy(ev->cpu_vendor + 4, &r[3], 4);
	vbs_memcpy(ev->cpu_vendor + 8, &r[2], 4);
	cpu_cpuid(1, 0, r);
	ev->cpuid1_ecx = r[2];
	cpu_cpuid(0x80000000, 0, r);
	max_ext = r[0];
	if (max_ext >= 0x80000001) {
		cpu_cpuid(0x80000001, 0, r);
		ev->ext1_ecx = r[2];
		ev->ext1_edx = r[3];
	}
	if ((ev->ext1_ecx & (1u << 2)) && max_ext >= 0x8000000A) {
		cpu_cpuid(0x8000000A, 0, r);
		ev->svm_edx = r[3];
		ev->vm_cr = cpu_rdmsr(0xC0010114); /* VM_CR, AMD APM vol. 2 §15.30.1 */
		ev->vm_cr_valid = true;
	}
	if (ev->cpuid1_ecx & (1u << 5)) {
		ev->feature_control = cpu_rdmsr(0x3A); /* IA32_FEATURE_CONTROL */
		ev->feature_control_valid = true;
		ev->procbased = cpu_rdmsr(0x482);
		ev->procbased2 = (ev->procbased >> 63) & 1 ? cpu_rdmsr(0x48B) : 0;
		ev->procbased_valid = true;
	}
	if (ev->cpuid1_ecx & (1u << 31)) {
		cpu_cpuid(0x40000000, 0, r);
		vbs_memcpy(ev->hv_vendor, &r[1], 4);
		vbs_memcpy(ev->hv_vendor + 4, &r[2], 4);
		vbs_memcpy(ev->hv_vendor + 8, &r[3], 4);
	}
}

/* UEFI 2.10 §4.6 + §7.2: the MAT from the configuration table, copied. */
static void gather_mat(struct vbs_fw_evidence *ev)
{
	const uint8_t *mat = config_table(&mat_guid);
	uint64_t size;
	void *copy;

	if (!mat)
		return;
	/* Header: Version, NumberOfEntries, DescriptorSize, Flags. */
	if (ovf_mul_u64(le32(mat, 4), le32(mat, 8), &size) ||
	    ovf_add_u64(size, 16, &size) || size > MAT_BYTES_MAX)
		size = 16; /* the header alone: lib/fw reports MAT-H3 */
	if (EFI_ERROR(BS->AllocatePool(EfiLoaderData, size, &copy)))
		return;
	vbs_memcpy(copy, mat, size);
	ev->mat = copy;
	ev->mat_len = size;
}

static void gather_memmap(struct vbs_fw_evidence *ev)
{
	UINTN entries, key, desc_size;
	UINT32 desc_version;
	EFI_MEMORY_DESCRIPTOR *map;

	map = LibMemoryMap(&entries, &key, &desc_size, &desc_version);
	if (!map)
		return;
	ev->memmap = (const uint8_t *)map;
	ev->memmap_len = entries * desc_size;
	ev->memmap_desc_size = (uint32_t)desc_size;
}

/* ACPI 6.5 §5.2.5.3 RSDP, §5.2.8 XSDT: find a table by signature. */
static const uint8_t *acpi_find(const uint8_t *xsdt, const char *sig,
				size_t *len)
{
	uint32_t xlen = le32(xsdt, 4);
	size_t off;

	if (xlen < 36 || xlen > ACPI_TABLE_MAX)
		return NULL;
	for (off = 36; span_ok(xlen, off, 8); off += 8) {
		const uint8_t *t = (const uint8_t *)(uintptr_t)le64(xsdt, off);
		uint32_t tlen;

		if (!t || vbs_memcmp(t, sig, 4) != 0)
			continue;
		tlen = le32(t, 4);
		*len = tlen > ACPI_TABLE_MAX ? ACPI_TABLE_MAX : tlen;
		return t;
	}
	return NULL;
}

static void gather_acpi(struct vbs_fw_evidence *ev)
{
	const uint8_t *rsdp = config_table(&acpi20_guid);
	const uint8_t *xsdt;

	if (!rsdp || vbs_memcmp(rsdp, "RSD PTR ", 8) != 0 || rsdp[15] < 2)
		return;
	xsdt = (const uint8_t *)(uintptr_t)le64(rsdp, 24);
	if (!xsdt || vbs_memcmp(xsdt, "XSDT", 4) != 0)
		return;
	ev->xsdt_found = true;
	ev->dmar = acpi_find(xsdt, "DMAR", &ev->dmar_len);
	ev->ivrs = acpi_find(xsdt, "IVRS", &ev->ivrs_len);
	ev->wsmt = acpi_find(xsdt, "WSMT", &ev->wsmt_len);
}

/*
 * UEFI 2.10 §14.4 "EFI PCI I/O Protocol": every PCI function the firmware
 * enumerated, located by GetLocation; for bridges (PCI 3.0 §6.1 Header
 * Type @0x0E = 1) the secondary/subordinate bus numbers @0x19/0x1A
 * (PCI-to-PCI Bridge Architecture 1.2 §3.2), which DMAR bridge scopes need.
 */
static bool read_pci_function(EFI_PCI_IO_PROTOCOL *io,
			      struct vbs_pci_function *out)
{
	UINTN seg, bus, dev, fn;
	uint8_t cfg[0x1b];

	if (EFI_ERROR(io->GetLocation(io, &seg, &bus, &dev, &fn)) ||
	    seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return false;
	vbs_memset(out, 0, sizeof(*out));
	out->seg = (uint16_t)seg;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	if (!EFI_ERROR(io->Pci.Read(io, EfiPciIoWidthUint8, 0, sizeof(cfg),
				    cfg)) && (cfg[0x0e] & 0x7f) == 1) {
		out->bridge = true;
		out->secondary = cfg[0x19];
		out->subordinate = cfg[0x1a];
	}
	return true;
}

static void gather_pci(struct vbs_fw_evidence *ev)
{
	static struct vbs_pci_function fns[PCI_FUNCTIONS_MAX];
	EFI_HANDLE *handles = NULL;
	UINTN count = 0, i;
	size_t n = 0;

	if (EFI_ERROR(BS->LocateHandleBuffer(ByProtocol, &PciIoProtocol, NULL,
					     &count, &handles)))
		count = 0; /* no PCI I/O at all: zero functions enumerated */
	for (i = 0; i < count && n < PCI_FUNCTIONS_MAX; i++) {
		EFI_PCI_IO_PROTOCOL *io;

		if (!EFI_ERROR(BS->HandleProtocol(handles[i], &PciIoProtocol,
						  (void **)&io)) &&
		    read_pci_function(io, &fns[n]))
			n++;
	}
	if (handles)
		BS->FreePool(handles);
	if (i < count) {
		con_printf("OpenVBS: more than %u PCI functions: R3 coverage "
			   "not judged\n", PCI_FUNCTIONS_MAX);
		return;
	}
	ev->pci = fns;
	ev->pci_count = n;
	ev->pci_enumerated = true;
}

/* TCG EFI Protocol Specification §6.4 GetCapability. */
static void gather_tpm(struct vbs_fw_evidence *ev)
{
	uint8_t cap[64];

	if (!measure_capability(cap, sizeof(cap)))
		return;
	ev->tcg2_present = true;
	ev->tcg2_version_major = cap[1];
	ev->tcg2_version_minor = cap[2];
	ev->tpm_present_flag = cap[16] != 0;
	ev->active_pcr_banks = le32(cap, 32);
}

static void get_var(CHAR16 *name, EFI_GUID *guid, struct vbs_fw_var *out)
{
	uint8_t data[16];
	UINTN size = sizeof(data);
	UINT32 attrs = 0;
	EFI_STATUS st;

	st = RT->GetVariable(name, guid, &attrs, &size, data);
	if (st == EFI_BUFFER_TOO_SMALL) {
		out->present = true;
		out->attrs = attrs;
		out->size = (uint32_t)size;
		return;
	}
	if (EFI_ERROR(st))
		return;
	out->present = true;
	out->attrs = attrs;
	out->size = (uint32_t)size;
	out->value = size ? data[0] : 0;
}

void platform_report(struct vbs_boot_report *rep)
{
	static struct vbs_fw_evidence ev;
	char line[160];
	size_t i;

	vbs_memset(&ev, 0, sizeof(ev));
	gather_cpu(&ev);
	gather_acpi(&ev);
	gather_pci(&ev);
	gather_tpm(&ev);
	get_var(L"SecureBoot", &global_guid, &ev.secure_boot);
	get_var(L"MemoryOverwriteRequestControl", &mor_guid, &ev.mor_control);
	get_var(L"MemoryOverwriteRequestControlLock", &morlock_guid,
		&ev.mor_lock);
	/* EDK2 reinstalls the MAT on runtime allocations: take it last. */
	gather_memmap(&ev);
	gather_mat(&ev);
	vbs_evaluate(&ev, rep);
	if (ev.memmap)
		BS->FreePool((void *)ev.memmap);
	if (ev.mat)
		BS->FreePool((void *)ev.mat);
	con_printf("OpenVBS: firmware readiness (profile %s, CPU %s%s%s):\n",
		   vbs_profile_name(rep->profile), ev.cpu_vendor,
		   ev.hv_vendor[0] ? ", under hypervisor " : "", ev.hv_vendor);
	for (i = 0; i < rep->check_count; i++) {
		vbs_format_result(&rep->checks[i], line, sizeof(line));
		con_printf("%s\n", line);
	}
	con_printf("OpenVBS: %lu PCI functions enumerated (PCI I/O)\n",
		   (uint64_t)ev.pci_count);
	con_printf("OpenVBS: verdict: %s\n", vbs_verdict_name(rep->verdict));
}

void platform_publish(struct vbs_boot_report *rep)
{
	static uint8_t buf[VBS_BOOT_REPORT_MAX_SIZE];
	size_t len = vbs_boot_report_encode(rep, buf, sizeof(buf));
	EFI_STATUS st;

	if (!len) {
		con_puts("OpenVBS: report does not encode\n");
		return;
	}
	st = RT->SetVariable(L"OpenVbsReport", &vbs_guid,
			     EFI_VARIABLE_BOOTSERVICE_ACCESS |
			     EFI_VARIABLE_RUNTIME_ACCESS, len, buf);
	if (EFI_ERROR(st))
		con_printf("OpenVBS: publishing the report failed (0x%lx)\n",
			   (uint64_t)st);
}
