// SPDX-License-Identifier: MIT
/*
 * lib/fmt/elf against a gcc-built relocatable object (tests/unit/drv.mk)
 * and against headers edited to hit each error of vbs_elf_open().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fmt/elf.h"

static uint8_t *obj;
static size_t obj_len;

static int setup(void **s)
{
	FILE *f = fopen(DRV_FIXTURES "/elf_setx.o", "rb");
	long n;

	(void)s;
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	obj_len = (size_t)n;
	obj = malloc(obj_len);
	if (!obj || fread(obj, 1, obj_len, f) != obj_len)
		return -1;
	fclose(f);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	free(obj);
	return 0;
}

static void put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	size_t i;

	for (i = 0; i < 8; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

/* Sections, names and the undefined symbol set_memory_x are all found. */
static void reads_gcc_object(void **s)
{
	struct vbs_elf e;
	struct vbs_elf_shdr sh;
	struct vbs_elf_sym sym;
	uint32_t i, text = 0, symtab = 0;
	uint64_t k;
	int found = 0;

	(void)s;
	assert_int_equal(vbs_elf_open(&e, obj, obj_len), VBS_ELF_OK);
	assert_int_equal(e.type, VBS_ET_REL);
	assert_int_equal(e.machine, VBS_EM_X86_64);
	for (i = 0; i < e.shnum; i++) {
		if (strcmp(vbs_elf_section_name(&e, i), ".text") == 0)
			text = i;
		assert_int_equal(vbs_elf_shdr(&e, i, &sh), VBS_ELF_OK);
		if (sh.type == VBS_SHT_SYMTAB)
			symtab = i;
	}
	assert_true(text > 0 && symtab > 0);
	assert_int_equal(vbs_elf_shdr(&e, text, &sh), VBS_ELF_OK);
	assert_true(sh.flags & VBS_SHF_EXECINSTR);
	assert_false(sh.flags & VBS_SHF_WRITE);
	assert_int_equal(vbs_elf_shdr(&e, symtab, &sh), VBS_ELF_OK);
	for (k = 0; k < vbs_elf_sym_count(&sh); k++) {
		const char *name;

		assert_int_equal(vbs_elf_sym(&e, &sh, k, &sym), VBS_ELF_OK);
		name = vbs_elf_str(&e, sh.link, sym.name);
		if (name && strcmp(name, "set_memory_x") == 0) {
			assert_int_equal(sym.shndx, VBS_SHN_UNDEF);
			found = 1;
		}
	}
	assert_true(found);
	/* Accessors reject what lies outside. */
	assert_int_equal(vbs_elf_shdr(&e, e.shnum, &sh), VBS_ELF_INDEX);
	assert_int_equal(vbs_elf_sym(&e, &sh, vbs_elf_sym_count(&sh), &sym),
			 VBS_ELF_INDEX);
	assert_null(vbs_elf_str(&e, sh.link, UINT64_MAX));
	assert_null(vbs_elf_str(&e, symtab, 0)); /* not a string table */
	assert_string_equal(vbs_elf_section_name(&e, UINT32_MAX), "");
}

static enum vbs_elf_error open_edited(size_t off, int width, uint64_t v)
{
	uint8_t *copy = malloc(obj_len);
	struct vbs_elf e;
	enum vbs_elf_error err;

	memcpy(copy, obj, obj_len);
	if (width == 1)
		copy[off] = (uint8_t)v;
	else if (width == 2)
		put16(copy, off, (uint16_t)v);
	else
		put64(copy, off, v);
	err = vbs_elf_open(&e, copy, obj_len);
	free(copy);
	return err;
}

static void rejects_hostile_headers(void **s)
{
	struct vbs_elf e;

	(void)s;
	assert_int_equal(vbs_elf_open(&e, obj, 63), VBS_ELF_NOT_ELF);
	assert_int_equal(open_edited(0, 1, 'X'), VBS_ELF_NOT_ELF);
	assert_int_equal(open_edited(4, 1, 1), VBS_ELF_NOT_64LE);   /* ELFCLASS32 */
	assert_int_equal(open_edited(5, 1, 2), VBS_ELF_NOT_64LE);   /* big-endian */
	assert_int_equal(open_edited(58, 2, 40), VBS_ELF_SHDR_SIZE);
	assert_int_equal(open_edited(40, 8, UINT64_MAX - 8), VBS_ELF_SHDR_TRUNC);
	assert_int_equal(open_edited(40, 8, obj_len - 10), VBS_ELF_SHDR_TRUNC);
	assert_int_equal(open_edited(60, 2, 0xfffe), VBS_ELF_SHDR_TRUNC);
	assert_int_equal(open_edited(62, 2, 0xfff0), VBS_ELF_SHSTRNDX);
	/* Section 1's sh_offset (at shoff + 64 + 24) made huge. */
	{
		uint64_t shoff = 0;
		size_t i;

		for (i = 0; i < 8; i++)
			shoff |= (uint64_t)obj[40 + i] << (8 * i);
		assert_int_equal(open_edited((size_t)shoff + 64 + 24, 8,
					     UINT64_MAX - 4),
				 VBS_ELF_SECTION_TRUNC);
	}
	assert_string_equal(vbs_elf_error_msg(VBS_ELF_OK), "");
	assert_non_null(strstr(vbs_elf_error_msg(VBS_ELF_SHDR_TRUNC), "truncated"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_gcc_object),
		cmocka_unit_test(rejects_hostile_headers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
