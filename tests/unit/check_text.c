// SPDX-License-Identifier: MIT
/*
 * vbs-check text parsers: kernel-log memattr lines (real lines from
 * published boot logs), MEMATTR= lines, capture files, CPU lists.
 */
#include "check_util.h"
#include "text.h"

#include <errno.h>

static enum memattr_kind parse(const char *s, struct memattr_line *m)
{
	return text_memattr_parse(s, strlen(s), m);
}

/* linux-efi, 2021 (the RO/XP report that led to the rule's removal). */
static void memattr_invalid_runtime_code(void **state)
{
	(void)state;
	struct memattr_line m;
	assert_int_equal(parse("efi: memattr: ! 0x000000090000-0x000000090fff "
			       "[Runtime Code|RUN|  |  |  |  |  |  |  |  |   |"
			       "  |  |  |  ]", &m), MEMATTR_ENTRY);
	assert_true(m.invalid);
	assert_int_equal(m.start, 0x90000);
	assert_int_equal(m.pages, 1);
	assert_int_equal(m.type, EFI_RUNTIME_SERVICES_CODE);
	assert_int_equal(m.attr, EFI_MEMORY_RUNTIME);
}

/* An older kernel: type padded wider, one token column fewer. */
static void memattr_old_padding(void **state)
{
	(void)state;
	struct memattr_line m;
	assert_int_equal(parse("efi: memattr: ! 0x0000a057a000-0x0000a05b4fff "
			       "[Runtime Code       |RUN|  |  |  |  |  |  |  |   "
			       "|  |  |  |  ]", &m), MEMATTR_ENTRY);
	assert_int_equal(m.pages, 0x3b);
	assert_int_equal(m.type, 5);
	assert_int_equal(m.attr & (EFI_MEMORY_RO | EFI_MEMORY_XP), 0);
}

/* A corrupted table as Linux prints it (mem_encrypt report, 2022). */
static void memattr_type_attr_numbers(void **state)
{
	(void)state;
	struct memattr_line m;
	assert_int_equal(parse("efi: memattr: ! 0x214c42f01f1162a-"
			       "0xee70ac7bd1a9c629 [type=2028324321|"
			       "attr=0x6590648fa4209879]", &m), MEMATTR_ENTRY);
	assert_int_equal(m.type, 2028324321u);
	assert_int_equal(m.attr, 0x6590648fa4209879ull);
}

/* efi=debug listing of a valid entry: "%s 0x" with "" gives two spaces. */
static void memattr_valid_debug_entry(void **state)
{
	(void)state;
	struct memattr_line m;
	assert_int_equal(parse("efi: memattr:  0x00007f5e4000-0x00007f5e7fff "
			       "[Runtime Data|RUN|  |  |  |  |  |XP|  |  |  |   "
			       "|WB|  |  |  ]", &m), MEMATTR_ENTRY);
	assert_false(m.invalid);
	assert_int_equal(m.type, EFI_RUNTIME_SERVICES_DATA);
	assert_int_equal(m.attr, EFI_MEMORY_RUNTIME | EFI_MEMORY_XP |
				 EFI_MEMORY_WB);
	assert_int_equal(m.pages, 4);
	assert_int_equal(parse("efi: memattr: Processing EFI Memory Attributes "
			       "table:", &m), MEMATTR_HEADER);
	assert_int_equal(parse("efi: memattr: Entry attributes invalid: RO and "
			       "XP bits both cleared", &m), MEMATTR_REASON);
	assert_non_null(m.reason);
}

static void memattr_malformed(void **state)
{
	(void)state;
	struct memattr_line m;
	/* unknown token */
	assert_int_equal(parse("efi: memattr: ! 0x1000-0x1fff [Runtime Code|"
			       "RUN|ZZ]", &m), MEMATTR_MALFORMED);
	/* end before start */
	assert_int_equal(parse("efi: memattr: ! 0x2000-0x0fff [Runtime Code|"
			       "RUN]", &m), MEMATTR_MALFORMED);
	/* not a whole page */
	assert_int_equal(parse("efi: memattr: ! 0x1000-0x1ffe [Runtime Code|"
			       "RUN]", &m), MEMATTR_MALFORMED);
	/* unknown type name */
	assert_int_equal(parse("efi: memattr: ! 0x1000-0x1fff [Bogus|RUN]", &m),
			 MEMATTR_MALFORMED);
	/* missing ']' */
	assert_int_equal(parse("efi: memattr: ! 0x1000-0x1fff [Runtime Code|RUN",
			       &m), MEMATTR_MALFORMED);
	/* 64-bit overflow of a hex field */
	assert_int_equal(parse("efi: memattr: ! 0x10000000000000000-0x1fff "
			       "[Runtime Code]", &m), MEMATTR_MALFORMED);
	/* end of address space: size would wrap */
	assert_int_equal(parse("efi: memattr: ! 0x0-0xffffffffffffffff "
			       "[Runtime Code]", &m), MEMATTR_MALFORMED);
	assert_int_equal(parse("efi: EFI v2.70 by EDK II", &m), MEMATTR_OTHER);
	assert_int_equal(parse("", &m), MEMATTR_OTHER);
}

static void memattr_addr_lines(void **state)
{
	(void)state;
	uint64_t a = 0;
	const char *l1 = "efi: SMBIOS=0x7f98a000 ACPI=0x7fb7e000 ACPI 2.0="
			 "0x7fb7e014 MEMATTR=0x7ec63018";
	const char *l2 = "efi:  SMBIOS=0x7ecfc000  ACPI=0x7fef7000  ACPI 2.0="
			 "0x7fef7014  MEMATTR=0x7ee19018";
	const char *l3 = "efi: ACPI=0x8fc4e000 ACPI 2.0=0x8fc4e014 ESRT="
			 "0x8d1e5998 MEMATTR=0x79e9f018 INITRD=0x79e61b18 ";
	assert_true(text_efi_memattr_addr(l1, strlen(l1), &a));
	assert_int_equal(a, 0x7ec63018);
	assert_true(text_efi_memattr_addr(l2, strlen(l2), &a));
	assert_int_equal(a, 0x7ee19018);
	assert_true(text_efi_memattr_addr(l3, strlen(l3), &a));
	assert_int_equal(a, 0x79e9f018);
	const char *bad = "efi: XMEMATTR=0x1000";
	assert_false(text_efi_memattr_addr(bad, strlen(bad), &a));
	const char *bad2 = "efi: MEMATTR=0xzz";
	assert_false(text_efi_memattr_addr(bad2, strlen(bad2), &a));
}

static void klog_prefixes(void **state)
{
	(void)state;
	size_t n;
	const char *raw = "<6>[    0.000000] efi: EFI v2.70";
	const char *s = text_klog_strip(raw, strlen(raw), &n);
	assert_int_equal(n, strlen("efi: EFI v2.70"));
	assert_memory_equal(s, "efi: EFI v2.70", n);
	s = text_klog_strip("6,123,4567,-;efi: x\n", 20, &n);
	assert_int_equal(n, 6);
	assert_memory_equal(s, "efi: x", n);
	s = text_klog_strip("[ 12.5] DMAR: x", 15, &n);
	assert_memory_equal(s, "DMAR: x", n);
	s = text_klog_strip("plain", 5, &n);
	assert_int_equal(n, 5);
}

static void capture_cpuid_msr(void **state)
{
	(void)state;
	struct text_cpuid c;
	struct text_msr m;
	uint32_t r[4];
	uint64_t v;
	const char *cs = "# comment\n00000000 00000000 00000010 68747541 "
			 "444d4163 69746e65\n8000000a 00000000 !ENOENT\n";
	assert_int_equal(text_cpuid_parse(cs, strlen(cs), &c), 0);
	assert_int_equal(text_cpuid_get(&c, 0, 0, r), 0);
	assert_int_equal(r[1], 0x68747541);
	assert_int_equal(text_cpuid_get(&c, 0x8000000a, 0, r), -ENOENT);
	assert_int_equal(text_cpuid_get(&c, 1, 0, r), -ENOENT);
	text_cpuid_free(&c);
	const char *ms = "0 c0010114 0000000000000010\n1 c0010114 !EACCES\n";
	assert_int_equal(text_msr_parse(ms, strlen(ms), &m), 0);
	assert_int_equal(text_msr_get(&m, 0, 0xc0010114, &v), 0);
	assert_int_equal(v, 0x10);
	assert_int_equal(text_msr_get(&m, 1, 0xc0010114, &v), -EACCES);
	assert_int_equal(text_msr_get(&m, 2, 0xc0010114, &v), -ENOENT);
	text_msr_free(&m);
	/* malformed files are refused, never half-read */
	const char *bad[] = { "0 0 1 2 3\n", "zz 0 1 2 3 4\n",
			      "100000000 0 1 2 3 4\n", "0 0 !\n" };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(text_cpuid_parse(bad[i], strlen(bad[i]), &c),
				 -EINVAL);
	const char *badm[] = { "0 3a\n", "x 3a 1\n", "0 3a 10000000000000000\n",
			       "70000 3a 1\n" };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(text_msr_parse(badm[i], strlen(badm[i]), &m),
				 -EINVAL);
}

static void capture_kv_host(void **state)
{
	(void)state;
	struct text_kv kv;
	const char *s = "/a\tEACCES\n/b\tENOENT\nnotab\n/a\tEIO\n";
	assert_int_equal(text_kv_parse(s, strlen(s), &kv), 0);
	assert_string_equal(text_kv_get(&kv, "/a", 0), "EACCES");
	assert_string_equal(text_kv_get(&kv, "/a", 1), "EIO");
	assert_null(text_kv_get(&kv, "/a", 2));
	assert_null(text_kv_get(&kv, "notab", 0));
	text_kv_free(&kv);
	char k[16], mach[8];
	long euid = -1;
	const char *h = "kernel=6.1.0-28-amd64-and-a-very-long-tail\n"
			"machine=x86_64\neuid=65534\n";
	text_parse_host(h, strlen(h), k, sizeof(k), mach, sizeof(mach), &euid);
	assert_string_equal(k, "6.1.0-28-amd64-");
	assert_string_equal(mach, "x86_64");
	assert_int_equal(euid, 65534);
	assert_int_equal(text_errno_from_name("EACCES"), -EACCES);
	assert_int_equal(text_errno_from_name("EWHAT"), -EIO);
}

static void cpulist_and_words(void **state)
{
	(void)state;
	unsigned c[8];
	assert_int_equal(text_cpulist("0-3,5\n", c, 8), 5);
	assert_int_equal(c[4], 5);
	assert_int_equal(text_cpulist("0", c, 8), 1);
	assert_int_equal(text_cpulist("0-9", c, 8), -1);   /* over cap */
	assert_int_equal(text_cpulist("3-1", c, 8), -1);
	assert_int_equal(text_cpulist("1,0", c, 8), -1);
	assert_int_equal(text_cpulist("0-", c, 8), -1);
	assert_int_equal(text_cpulist("a", c, 8), -1);
	assert_true(text_has_word("vmx flags\t: vnmi ept vpid", "ept"));
	assert_false(text_has_word("vmx flags\t: ept_ad", "ept"));
	uint64_t v;
	assert_true(text_parse_u64("0x1f", &v) && v == 0x1f);
	assert_true(text_parse_u64("42", &v) && v == 42);
	assert_false(text_parse_u64("", &v));
	assert_false(text_parse_u64("0x", &v));
	assert_false(text_parse_u64("18446744073709551616", &v));
	assert_false(text_parse_u64("12a", &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memattr_invalid_runtime_code),
		cmocka_unit_test(memattr_old_padding),
		cmocka_unit_test(memattr_type_attr_numbers),
		cmocka_unit_test(memattr_valid_debug_entry),
		cmocka_unit_test(memattr_malformed),
		cmocka_unit_test(memattr_addr_lines),
		cmocka_unit_test(klog_prefixes),
		cmocka_unit_test(capture_cpuid_msr),
		cmocka_unit_test(capture_kv_host),
		cmocka_unit_test(cpulist_and_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
