// SPDX-License-Identifier: MIT
/*
 * Unit tests: lib/boot/pe.c, the loader's check that a kernel image is a
 * whole PE32+ file before LoadImage (the "truncated image" broken ESP).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boot/pe.h"

#define LFANEW 0x40u
#define OPTLEN 240u
#define FILE_LEN 0x600u

static uint8_t img[FILE_LEN];

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

/* MZ, PE32+ AMD64 with .text at 0x200 and .data at 0x400, 0x200 each,
 * and a .bss without file bytes. */
static void build(void)
{
	uint8_t *coff = img + LFANEW + 4, *opt = coff + 20;
	uint8_t *sect = opt + OPTLEN;

	memset(img, 0, sizeof(img));
	img[0] = 'M';
	img[1] = 'Z';
	put32(img + 0x3c, LFANEW);
	memcpy(img + LFANEW, "PE\0\0", 4);
	put16(coff, 0x8664);
	put16(coff + 2, 3);
	put16(coff + 16, OPTLEN);
	put16(opt, 0x20b);
	put32(opt + 60, 0x200);                 /* SizeOfHeaders */
	put32(sect + 16, 0x200);                /* .text */
	put32(sect + 20, 0x200);
	put32(sect + 40 + 16, 0x200);           /* .data */
	put32(sect + 40 + 20, 0x400);
	put32(sect + 80 + 16, 0);               /* .bss */
	put32(sect + 80 + 20, 0xfffff000u);
}

static void test_whole(void **state)
{
	struct vbs_pe_result r;

	(void)state;
	build();
	assert_int_equal(vbs_pe_check(img, FILE_LEN, &r), 0);
	assert_int_equal(r.error, VBS_PE_OK);
}

static void test_truncated(void **state)
{
	struct vbs_pe_result r;

	(void)state;
	build();
	assert_int_equal(vbs_pe_check(img, 0x500, &r), -1);
	assert_int_equal(r.error, VBS_PE_SECTION_TRUNC);
	assert_int_equal(r.section, 1);
	assert_int_equal(r.needed, 0x600);
	assert_int_equal(r.have, 0x500);
	assert_int_equal(vbs_pe_check(img, 0x180, &r), -1);
	assert_int_equal(r.error, VBS_PE_HEADERS_TRUNC);
	assert_int_equal(vbs_pe_check(img, 0x100, &r), -1);
	assert_int_equal(r.error, VBS_PE_HEADERS_TRUNC); /* section table */
	assert_int_equal(vbs_pe_check(img, 0x50, &r), -1);
	assert_int_equal(r.error, VBS_PE_NO_PE);
	assert_int_equal(vbs_pe_check(img, 0, &r), -1);
	assert_int_equal(r.error, VBS_PE_NO_MZ);
	assert_string_equal(vbs_pe_error_msg(VBS_PE_SECTION_TRUNC),
			    "truncated: a section ends past the end of the file");
}

static void test_corrupt(void **state)
{
	struct vbs_pe_result r;

	(void)state;
	build();
	put32(img + 0x3c, 0xfffffff0u); /* e_lfanew far outside */
	assert_int_equal(vbs_pe_check(img, FILE_LEN, &r), -1);
	assert_int_equal(r.error, VBS_PE_NO_PE);
	build();
	put16(img + LFANEW + 4, 0x14c); /* i386 */
	assert_int_equal(vbs_pe_check(img, FILE_LEN, &r), -1);
	assert_int_equal(r.error, VBS_PE_MACHINE);
	build();
	put16(img + LFANEW + 24, 0x10b); /* PE32 */
	assert_int_equal(vbs_pe_check(img, FILE_LEN, &r), -1);
	assert_int_equal(r.error, VBS_PE_OPTHDR);
	build();
	put16(img + LFANEW + 4 + 2, 0xffff); /* 65535 sections */
	assert_int_equal(vbs_pe_check(img, FILE_LEN, &r), -1);
	assert_int_equal(r.error, VBS_PE_HEADERS_TRUNC);
	build();
	put32(img + LFANEW + 24 + OPTLEN + 16, 0xffffffffu); /* huge .text */
	assert_int_equal(vbs_pe_check(img, FILE_LEN, &r), -1);
	assert_int_equal(r.error, VBS_PE_SECTION_TRUNC);
	assert_int_equal(r.needed, 0x200ull + 0xffffffffull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
