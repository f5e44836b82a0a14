// SPDX-License-Identifier: MIT
/*
 * Unit tests: hv/arch/x86/guest_walk.c, reading guest memory through the
 * guest's page tables (4-level with 4K/2M/1G pages, PAE, 32-bit, paging
 * off), across a page boundary, and not-present entries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/guest_walk.h"

#define MEM_SIZE (1u << 20) /* guest "physical" memory: 1 MiB */
static uint8_t mem[MEM_SIZE];

static int read_phys(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	(void)opaque;
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return -1;
	memcpy(buf, mem + gpa, len);
	return 0;
}

static void put64(uint64_t pa, uint64_t v)
{
	memcpy(mem + pa, &v, 8);
}

static void put32(uint64_t pa, uint32_t v)
{
	memcpy(mem + pa, &v, 4);
}

static struct gwalk_ctx lm = {
	.cr0 = 0x80000011, .cr3 = 0x1000, .cr4 = 0x20, .efer = 0x500,
	.read_phys = read_phys,
};

/* Long mode: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000.
 * VA 0x7f0000401000 -> PA 0x9000; VA 0x7f0000600000 (2M) -> 0x80000
 * (PA is the 2M frame 0 + offset, kept under 1 MiB by using frame 0);
 * VA 0x7f0000402000 not present. */
static void build_lm(void)
{
	uint64_t va = 0x7f0000401000ull;

	memset(mem, 0, sizeof(mem));
	put64(0x1000 + ((va >> 39) & 511) * 8, 0x2000 | 3);
	put64(0x2000 + ((va >> 30) & 511) * 8, 0x3000 | 3);
	put64(0x3000 + ((va >> 21) & 511) * 8, 0x4000 | 3);
	put64(0x4000 + ((va >> 12) & 511) * 8, 0x9000 | 3);
	put64(0x4000 + (((va >> 12) & 511) + 2) * 8, 0xa000 | 3);
	/* 2M page at PD index 3 -> frame 0 */
	put64(0x3000 + 3 * 8, 0x0 | 3 | 0x80);
	memcpy(mem + 0x9ffe, "\x0f\xa2", 2);
	memcpy(mem + 0x9000, "\x3e\x0f\xa2", 3);
}

static void test_long_mode(void **state)
{
	uint8_t b[4];
	uint64_t gpa;

	(void)state;
	build_lm();
	assert_int_equal(gwalk_read(&lm, 0x7f0000401000ull, b, 3), 0);
	assert_memory_equal(b, "\x3e\x0f\xa2", 3);
	assert_int_equal(gwalk_translate(&lm, 0x7f0000401abcull, &gpa), 0);
	assert_int_equal(gpa, 0x9abc);
	/* not present */
	assert_int_equal(gwalk_translate(&lm, 0x7f0000402000ull, &gpa), -1);
	/* 2 MiB page */
	assert_int_equal(gwalk_translate(&lm, 0x7f0000612345ull, &gpa), 0);
	assert_int_equal(gpa, 0x12345);
	/* another PML4 slot: not present */
	assert_int_equal(gwalk_translate(&lm, 0x1000, &gpa), -1);
}

static void test_page_cross(void **state)
{
	uint8_t b[4];

	(void)state;
	build_lm();
	/* 0x7f0000400ffe is in the PT slot before ours: map it to 0x8000 */
	put64(0x4000 + ((0x7f0000400000ull >> 12) & 511) * 8, 0x8000 | 3);
	memcpy(mem + 0x8ffe, "\x0f\xa2", 2);
	memcpy(mem + 0x9000, "\x90\x90", 2);
	assert_int_equal(gwalk_read(&lm, 0x7f0000400ffeull, b, 4), 0);
	assert_memory_equal(b, "\x0f\xa2\x90\x90", 4);
	/* crossing into a not-present page fails */
	assert_int_equal(gwalk_read(&lm, 0x7f0000401ffeull, b, 4), -1);
}

static void test_1g_pae_32_nopaging(void **state)
{
	struct gwalk_ctx c = lm;
	uint64_t gpa;

	(void)state;
	memset(mem, 0, sizeof(mem));
	/* 1 GiB page: PML4[0] -> PDPT 0x2000, PDPT[0] = 1G page at 0 */
	put64(0x1000, 0x2000 | 3);
	put64(0x2000, 0x0 | 3 | 0x80);
	assert_int_equal(gwalk_translate(&c, 0x3456789, &gpa), 0);
	assert_int_equal(gpa, 0x3456789);
	/* PAE: CR3 -> PDPT at 0x5000 (4 entries), PD 0x6000, PT 0x7000 */
	c.efer = 0;
	c.cr3 = 0x5000;
	put64(0x5000 + 1 * 8, 0x6000 | 1);        /* VA 0x40000000-0x7fffffff */
	put64(0x6000 + 2 * 8, 0x7000 | 3);        /* VA 0x40400000 */
	put64(0x7000 + 5 * 8, 0xb000 | 3);        /* VA 0x40405000 */
	put64(0x6000 + 3 * 8, 0x0 | 3 | 0x80);    /* 2M page at VA 0x40600000 */
	assert_int_equal(gwalk_translate(&c, 0x40405123, &gpa), 0);
	assert_int_equal(gpa, 0xb123);
	assert_int_equal(gwalk_translate(&c, 0x40612345, &gpa), 0);
	assert_int_equal(gpa, 0x12345);
	/* 32-bit: PD at 0x8000, PT at 0xc000; 4M page with PSE */
	c.cr4 = 0x10;
	c.cr3 = 0x8000;
	put32(0x8000 + 1 * 4, 0xc000 | 3);        /* VA 0x00400000 */
	put32(0xc000 + 7 * 4, 0xd000 | 3);        /* VA 0x00407000 */
	put32(0x8000 + 2 * 4, 0x0 | 3 | 0x80);    /* 4M page at VA 0x00800000 */
	assert_int_equal(gwalk_translate(&c, 0x00407fff, &gpa), 0);
	assert_int_equal(gpa, 0xdfff);
	assert_int_equal(gwalk_translate(&c, 0x00812345, &gpa), 0);
	assert_int_equal(gpa, 0x12345);
	/* paging off: linear = physical */
	c.cr0 = 0x11;
	assert_int_equal(gwalk_translate(&c, 0x9f000, &gpa), 0);
	assert_int_equal(gpa, 0x9f000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_mode),
		cmocka_unit_test(test_page_cross),
		cmocka_unit_test(test_1g_pae_32_nopaging),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
