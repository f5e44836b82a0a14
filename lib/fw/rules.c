// SPDX-License-Identifier: MIT
/* Every lib/fw rule id (lib/fw/rules.h); docs/readiness.md explains each. */
#include "fw/rules.h"

#define F FW_SEV_FAIL
#define W FW_SEV_WARN
#define N FW_SEV_NOTE
#define BEH FW_RULE_BEHAVIOURAL

const struct fw_rule_desc fw_rules[] = {
	{ "ACPI-H1", F, 0, "table shorter than the 36-byte ACPI header" },
	{ "ACPI-H2", F, 0, "header Length < 36 or beyond the bytes read" },
	{ "ACPI-H3", F, 0, "table checksum does not sum to zero" },
	{ "ACPI-H4", F, 0, "unexpected table signature" },

	{ "WSMT-H1", F, 0, "WSMT Revision is not 1" },
	{ "WSMT-H2", F, 0, "WSMT Length below 40" },
	{ "WSMT-F1", W, 0, "FIXED_COMM_BUFFERS (0x1) not set" },
	{ "WSMT-F2", W, 0, "COMM_BUFFER_NESTED_PTR_PROTECTION (0x2) not set" },
	{ "WSMT-F3", W, 0, "SYSTEM_RESOURCE_PROTECTION (0x4) not set" },
	{ "WSMT-F4", F, 0, "0x2 set without 0x1" },
	{ "WSMT-F5", W, 0, "reserved ProtectionFlags bits set" },

	{ "TPM2-H1", F, 0, "TPM2 Length below 52" },
	{ "TPM2-H2", W, 0, "TPM2 Revision not 3 or 4" },
	{ "TPM2-P1", W, 0, "PlatformClass not client or server" },
	{ "TPM2-S1", W, 0, "unknown StartMethod" },
	{ "TPM2-S2", F, 0, "CRB start method with zero ControlArea" },
	{ "TPM2-L1", W, 0, "only one of LAML/LASA is zero" },
	{ "TPM2-L2", F, 0, "LASA + LAML wraps the address space" },
	{ "TPM2-L3", W, 0, "Length cuts the parameters/log-area trailer" },

	{ "DMAR-H1", F, 0, "DMAR Length below 48" },
	{ "DMAR-H2", W, 0, "host address width below 32 bits" },
	{ "DMAR-F1", W, 0, "DMA_CTRL_PLATFORM_OPT_IN_FLAG clear" },
	{ "DMAR-F2", N, 0, "INTR_REMAP clear" },
	{ "DMAR-S1", F, 0, "structure header overruns the table" },
	{ "DMAR-S2", F, 0, "structure Length overruns the table" },
	{ "DMAR-S3", F, 0, "structure Length below 4 (zero-length)" },
	{ "DMAR-S4", F, 0, "structure shorter than its type needs" },
	{ "DMAR-S5", N, 0, "unknown remapping structure type" },
	{ "DMAR-D1", F, 0, "no DRHD" },
	{ "DMAR-D2", F, 0, "DRHD Register Base Address zero" },
	{ "DMAR-D3", W, 0, "DRHD Register Base not 4 KiB aligned" },
	{ "DMAR-C1", F, 0, "device scope header overruns its structure" },
	{ "DMAR-C2", F, 0, "device scope Length < 6 or odd path" },
	{ "DMAR-C3", F, 0, "device scope Length overruns its structure" },
	{ "DMAR-C4", W, 0, "unknown device scope type" },
	{ "DMAR-C5", F, 0, "PCI device scope without a path" },
	{ "DMAR-R1", W, 0, "RMRR base/limit invalid" },

	{ "IVRS-H1", F, 0, "IVRS Length below 48" },
	{ "IVRS-F1", W, 0, "IVinfo DMA remap support (0x2) clear" },
	{ "IVRS-B1", F, 0, "IVDB header overruns the table" },
	{ "IVRS-B2", F, 0, "IVDB Length overruns the table" },
	{ "IVRS-B3", F, 0, "zero-length IVDB" },
	{ "IVRS-B4", F, 0, "IVDB shorter than its type needs" },
	{ "IVRS-B5", N, 0, "unknown IVDB type" },
	{ "IVRS-D1", F, 0, "no IVHD" },
	{ "IVRS-D2", F, 0, "IVHD IOMMU Base Address zero" },
	{ "IVRS-E1", F, 0, "device entry overruns its IVHD" },
	{ "IVRS-E2", W, 0, "unknown device entry type" },
	{ "IVRS-E3", F, 0, "START without END, or END without START" },
	{ "IVRS-E4", F, 0, "ACPI HID entry overruns its IVHD" },
	{ "IVRS-E5", F, 0, "range END below its START" },
	{ "IVRS-M1", F, 0, "IVMD start + length wraps" },

	{ "MAT-H1", F, 0, "table < 16 bytes or Version not 1/2 (>2: unknown)" },
	{ "MAT-H2", F, 0, "DescriptorSize < 40, not 8-aligned or > map stride" },
	{ "MAT-H3", F, 0, "NumberOfEntries > 65536 or beyond the table" },
	{ "MAT-H4", W, 0, "reserved Flags bits set" },
	{ "MAT-E1", F, 0, "entry type not RuntimeServicesCode/Data" },
	{ "MAT-E2", F, 0, "entry has neither RO nor XP" },
	{ "MAT-E3", F, 0, "entry misaligned, empty or wrapping" },
	{ "MAT-E4", W, 0, "entry lacks the RUNTIME attribute" },
	{ "MAT-E5", W, 0, "RuntimeServicesData entry without XP" },
	{ "MAT-E6", W, 0, "undefined attribute bits" },
	{ "MAT-X1", F, 0, "entries overlap" },
	{ "MAT-X2", W, 0, "entries not in ascending PhysicalStart order" },
	{ "MAT-C1", F, 0, "entry not inside one runtime map region of its type" },
	{ "MAT-C2", F, 0, "runtime map region not covered by the MAT" },

	{ "MOR-C1", F, 0, "MemoryOverwriteRequestControl absent" },
	{ "MOR-C2", F, 0, "MOR attributes are not NV|BS|RT" },
	{ "MOR-C3", F, 0, "MOR data size is not 1" },
	{ "MOR-C4", F, 0, "MOR value has reserved bits" },
	{ "MOR-L1", F, 0, "MemoryOverwriteRequestControlLock absent" },
	{ "MOR-L2", F, 0, "MOR lock attributes are not NV|BS|RT" },
	{ "MOR-L3", F, 0, "MOR lock data size is not 1" },
	{ "MOR-L4", F, 0, "MOR lock value not 0x00/0x01/0x02" },
	{ "MOR-L5", N, 0, "MOR lock present; revision 2 not verified" },
	{ "MOR-P1", F, BEH, "MOR lock is revision 1 only" },
	{ "MOR-P2", F, BEH, "MOR lock does not behave as revision 2" },
	{ "MOR-P3", N, BEH, "probe not run: MOR lock already set" },
};

const size_t fw_rules_count = VBS_ARRAY_SIZE(fw_rules);

const struct fw_rule_desc *fw_rule_find(const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < fw_rules_count; i++)
		if (vbs_strcmp(fw_rules[i].id, id) == 0)
			return &fw_rules[i];
	return NULL;
}
