// SPDX-License-Identifier: MIT
/*
 * Unit tests: R3 in firmware (lib/boot/evaluate.c check_iommu): the
 * DMAR/IVRS table judged against the PCI functions the loader enumerated
 * (EFI_PCI_IO_PROTOCOL GetLocation), through lib/fw's coverage queries.
 * The tables are built here field by field (Intel VT-d spec §8, AMD IOMMU
 * spec §5.2), checksummed like firmware does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boot/evaluate.h"

#define R3 2 /* index of vbs.iommu in the report */

static uint8_t table[512];
static size_t table_len;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* ACPI 6.5 §5.2.6 header; the caller appends structures after 48 bytes. */
static void acpi_start(const char *sig)
{
	memset(table, 0, sizeof(table));
	memcpy(table, sig, 4);
	table[8] = 1;
	memcpy(table + 10, "OVBSTS", 6);
	table_len = 48;
}

static void acpi_finish(void)
{
	uint8_t sum = 0;
	size_t i;

	put32(table + 4, (uint32_t)table_len);
	table[9] = 0;
	for (i = 0; i < table_len; i++)
		sum = (uint8_t)(sum + table[i]);
	table[9] = (uint8_t)(0x100 - sum);
}

/* VT-d §8.3 DRHD: 16 bytes, then device scopes. Returns its offset. */
static size_t drhd(uint8_t flags)
{
	size_t at = table_len;

	put16(table + at, 0);             /* Type DRHD */
	put16(table + at + 2, 16);        /* Length (grows with scopes) */
	table[at + 4] = flags;
	put32(table + at + 8, 0xfed90000u); /* Register Base Address */
	table_len += 16;
	return at;
}

/* VT-d §8.3.1 device scope with a one-hop path (dev, fn) from start_bus. */
static void scope(size_t drhd_at, uint8_t type, uint8_t bus, uint8_t dev,
		  uint8_t fn)
{
	uint8_t *s = table + table_len;

	s[0] = type;
	s[1] = 8;
	s[5] = bus;
	s[6] = dev;
	s[7] = fn;
	table_len += 8;
	put16(table + drhd_at + 2, (uint16_t)(table_len - drhd_at));
}

static struct vbs_pci_function fns[8];

static void base_evidence(struct vbs_fw_evidence *ev, size_t n)
{
	memset(ev, 0, sizeof(*ev));
	ev->ext1_ecx = 1u << 2;
	ev->ext1_edx = 1u << 29;
	ev->svm_edx = 1;
	ev->xsdt_found = true;
	ev->pci = fns;
	ev->pci_count = n;
	ev->pci_enumerated = true;
}

static const struct vbs_check_result *judge(const struct vbs_fw_evidence *ev)
{
	static struct vbs_boot_report rep;

	memset(&rep, 0, sizeof(rep));
	rep.profile = VBS_PROFILE_OEM;
	vbs_evaluate(ev, &rep);
	assert_string_equal(rep.checks[R3].id, "vbs.iommu");
	return &rep.checks[R3];
}

static void with_dmar(struct vbs_fw_evidence *ev)
{
	ev->dmar = table;
	ev->dmar_len = table_len;
}

static void test_dmar_include_all(void **state)
{
	struct vbs_fw_evidence ev;
	const struct vbs_check_result *c;

	(void)state;
	fns[0] = (struct vbs_pci_function){ 0, 0, 0, 0, false, 0, 0 };
	fns[1] = (struct vbs_pci_function){ 0, 0, 0x1f, 2, false, 0, 0 };
	acpi_start("DMAR");
	table[36] = 38;
	table[37] = 0x1 | 0x4; /* INTR_REMAP, DMA_CTRL_PLATFORM_OPT_IN */
	drhd(0x1);             /* INCLUDE_PCI_ALL */
	acpi_finish();
	base_evidence(&ev, 2);
	with_dmar(&ev);
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_PASS);
	assert_int_equal(c->value, 2);

	table[37] = 0x1; /* opt-in clear: covered, but WARN */
	acpi_finish();
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_WARN);
	assert_string_equal(c->message,
			    "all PCI fns covered; DMA opt-in flag clear");

	ev.pci_enumerated = false; /* no evidence: not a pass */
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_UNKNOWN);

	table[20] ^= 1; /* checksum broken: ACPI-H3 */
	ev.pci_enumerated = true;
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_FAIL);
	assert_string_equal(c->message, "DMAR table malformed");
}

static void test_dmar_scopes(void **state)
{
	struct vbs_fw_evidence ev;
	const struct vbs_check_result *c;
	size_t d;

	(void)state;
	acpi_start("DMAR");
	table[36] = 38;
	table[37] = 0x5;
	d = drhd(0);
	scope(d, 1, 0, 2, 0);    /* endpoint 00:02.0 */
	scope(d, 2, 0, 0x1c, 0); /* bridge 00:1c.0 and all below it */
	acpi_finish();
	fns[0] = (struct vbs_pci_function){ 0, 0, 2, 0, false, 0, 0 };
	fns[1] = (struct vbs_pci_function){ 0, 0, 0x1c, 0, true, 1, 2 };
	fns[2] = (struct vbs_pci_function){ 0, 2, 0, 0, false, 0, 0 };
	base_evidence(&ev, 3);
	with_dmar(&ev);
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_PASS);
	assert_int_equal(c->value, 3);

	/* 00:1f.2 and 03:00.0 are in no scope: FAIL naming the first. */
	fns[3] = (struct vbs_pci_function){ 0, 0, 0x1f, 2, false, 0, 0 };
	fns[4] = (struct vbs_pci_function){ 0, 3, 0, 0, false, 0, 0 };
	base_evidence(&ev, 5);
	with_dmar(&ev);
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_FAIL);
	assert_int_equal(c->value, 2);
	assert_string_equal(c->message,
			    "2 PCI fn not covered; first 0000:00:1f.2");

	/* The same device on another segment is not covered by segment 0. */
	fns[0].seg = 1;
	base_evidence(&ev, 1);
	with_dmar(&ev);
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_FAIL);
	assert_string_equal(c->message,
			    "1 PCI fn not covered; first 0001:00:02.0");
}

/* AMD IOMMU spec §5.2.2.1 IVHD type 10h (24 bytes) + 4-byte entries. */
static void ivrs_table(uint32_t ivinfo)
{
	size_t at;

	acpi_start("IVRS");
	put32(table + 36, ivinfo);
	at = table_len;
	table[at] = 0x10;
	put16(table + at + 4, 0x0002);      /* the IOMMU is 00:00.2 */
	put32(table + at + 8, 0xfeb80000u); /* IOMMU Base Address */
	table_len += 24;
	table[table_len] = 3;               /* START 00:00.0 */
	put16(table + table_len + 1, 0x0000);
	table[table_len + 4] = 4;           /* END 00:1f.7 */
	put16(table + table_len + 5, 0x00ff);
	table_len += 8;
	put16(table + at + 2, (uint16_t)(table_len - at));
	acpi_finish();
}

static void test_ivrs(void **state)
{
	struct vbs_fw_evidence ev;
	const struct vbs_check_result *c;

	(void)state;
	ivrs_table(0x2);
	fns[0] = (struct vbs_pci_function){ 0, 0, 0, 2, false, 0, 0 };
	fns[1] = (struct vbs_pci_function){ 0, 0, 0x1f, 2, false, 0, 0 };
	base_evidence(&ev, 2);
	ev.ivrs = table;
	ev.ivrs_len = table_len;
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_PASS);

	fns[2] = (struct vbs_pci_function){ 0, 1, 0, 0, false, 0, 0 };
	ev.pci_count = 3;
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_FAIL);
	assert_string_equal(c->message,
			    "1 PCI fn not covered; first 0000:01:00.0");

	ivrs_table(0); /* IVinfo DMA remap (pre-boot opt-in) clear */
	ev.pci_count = 2;
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_WARN);
}

/*
 * Real tables: QEMU's DMAR (intel-iommu) and IVRS (amd-iommu) as Linux
 * exported them in the captured test-bed platforms, with that platform's
 * PCI functions (its sys/bus/pci/devices), the way the loader sees them.
 */
static size_t read_fixture(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		fail_msg("missing fixture %s (run from the repository root)", path);
	n = fread(table, 1, sizeof(table), f);
	fclose(f);
	assert_true(n >= 48 && n < sizeof(table));
	return n;
}

/* q35 functions: host bridge, [VGA,] LPC, SATA, SMBus. */
static size_t q35_functions(bool vga)
{
	static const uint8_t bdf[5][2] = {
		{ 0, 0 }, { 0x1f, 0 }, { 0x1f, 2 }, { 0x1f, 3 }, { 1, 0 },
	};
	size_t i, n = vga ? 5 : 4;

	for (i = 0; i < n; i++)
		fns[i] = (struct vbs_pci_function){ 0, 0, bdf[i][0], bdf[i][1],
						    false, 0, 0 };
	return n;
}

static void test_real_qemu_tables(void **state)
{
	struct vbs_fw_evidence ev;
	const struct vbs_check_result *c;

	(void)state;
	/*
	 * crb-intel-iommu (no display): QEMU's DRHD lists every function as
	 * an endpoint scope (no INCLUDE_PCI_ALL); Flags 0x1, no opt-in.
	 */
	base_evidence(&ev, q35_functions(false));
	ev.dmar = table;
	ev.dmar_len = read_fixture("tests/fixtures/platforms/crb-intel-iommu/"
				   "sys/firmware/acpi/tables/DMAR");
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_WARN);
	assert_int_equal(c->value, 4);
	/* The same table with a VGA function at 00:01.0 that it never lists. */
	ev.pci_count = q35_functions(true);
	c = judge(&ev);
	assert_int_equal(c->result, VBS_RESULT_FAIL);
	assert_string_equal(c->message,
			    "1 PCI fn not covered; first 0000:00:01.0");

	/* tis-amd-iommu: its five functions, all behind the AMD IOMMU. */
	base_evidence(&ev, q35_functions(true));
	ev.ivrs = table;
	ev.ivrs_len = read_fixture("tests/fixtures/platforms/tis-amd-iommu/"
				   "sys/firmware/acpi/tables/IVRS");
	c = judge(&ev);
	assert_int_not_equal(c->result, VBS_RESULT_FAIL);
	assert_int_not_equal(c->result, VBS_RESULT_UNKNOWN);
	assert_int_equal(c->value, 5);
}

static void test_no_table(void **state)
{
	struct vbs_fw_evidence ev;

	(void)state;
	base_evidence(&ev, 0);
	assert_int_equal(judge(&ev)->result, VBS_RESULT_FAIL);
	ev.cpuid1_ecx = 1u << 31; /* a guest without a vIOMMU */
	assert_int_equal(judge(&ev)->result, VBS_RESULT_NOT_APPLICABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmar_include_all),
		cmocka_unit_test(test_dmar_scopes),
		cmocka_unit_test(test_ivrs),
		cmocka_unit_test(test_real_qemu_tables),
		cmocka_unit_test(test_no_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
