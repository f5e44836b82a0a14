// SPDX-License-Identifier: MIT
/*
 * ELF64 reader (lib/fmt/elf.h). Offsets: System V ABI gABI, "ELF Header",
 * "Sections" (incl. extended section numbering: SHN_XINDEX, sh[0].sh_size
 * and sh[0].sh_link), "Symbol Table"; x86-64 psABI for the 64-bit layouts.
 */
#include "fmt/elf.h"

#define EHDR_LEN 64u
#define EI_CLASS 4u
#define EI_DATA 5u
#define EI_VERSION 6u
#define ELFCLASS64 2u
#define ELFDATA2LSB 1u
#define EV_CURRENT 1u
#define E_TYPE 16u
#define E_MACHINE 18u
#define E_SHOFF 40u
#define E_SHENTSIZE 58u
#define E_SHNUM 60u
#define E_SHSTRNDX 62u
#define SHDR_LEN 64u
#define SYM_LEN 24u
#define SHN_XINDEX 0xffffu

static void read_shdr(const uint8_t *buf, size_t off, struct vbs_elf_shdr *s)
{
	s->name = le32(buf, off + 0);
	s->type = le32(buf, off + 4);
	s->flags = le64(buf, off + 8);
	s->addr = le64(buf, off + 16);
	s->offset = le64(buf, off + 24);
	s->size = le64(buf, off + 32);
	s->link = le32(buf, off + 40);
	s->info = le32(buf, off + 44);
	s->addralign = le64(buf, off + 48);
	s->entsize = le64(buf, off + 56);
}

/* gABI "ELF Identification" and "ELF Header". */
static enum vbs_elf_error check_ident(const uint8_t *buf, size_t len)
{
	if (!span_ok(len, 0, EHDR_LEN) || buf[0] != 0x7f || buf[1] != 'E' ||
	    buf[2] != 'L' || buf[3] != 'F')
		return VBS_ELF_NOT_ELF;
	if (buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB ||
	    buf[EI_VERSION] != EV_CURRENT)
		return VBS_ELF_NOT_64LE;
	return VBS_ELF_OK;
}

/* Section header table in the file; extended numbering resolved. */
static enum vbs_elf_error locate_table(struct vbs_elf *e)
{
	struct vbs_elf_shdr first;
	uint64_t table_len;

	e->shoff = le64(e->buf, E_SHOFF);
	e->shnum = le16(e->buf, E_SHNUM);
	e->shstrndx = le16(e->buf, E_SHSTRNDX);
	if (e->shoff == 0)
		return e->shnum ? VBS_ELF_SHDR_TRUNC : VBS_ELF_OK;
	if (le16(e->buf, E_SHENTSIZE) != SHDR_LEN)
		return VBS_ELF_SHDR_SIZE;
	if (!span_ok(e->len, e->shoff, SHDR_LEN))
		return VBS_ELF_SHDR_TRUNC;
	read_shdr(e->buf, e->shoff, &first);
	if (e->shnum == 0) {
		if (first.size > UINT32_MAX)
			return VBS_ELF_SHDR_TRUNC;
		e->shnum = (uint32_t)first.size;
	}
	if (e->shstrndx == SHN_XINDEX)
		e->shstrndx = first.link;
	if (ovf_mul_u64(e->shnum, SHDR_LEN, &table_len) ||
	    !span_ok(e->len, e->shoff, table_len))
		return VBS_ELF_SHDR_TRUNC;
	if (e->shnum && e->shstrndx >= e->shnum)
		return VBS_ELF_SHSTRNDX;
	return VBS_ELF_OK;
}

/* Every section with file bytes lies inside the file. */
static enum vbs_elf_error check_sections(struct vbs_elf *e)
{
	struct vbs_elf_shdr sh;
	uint32_t i;

	for (i = 0; i < e->shnum; i++) {
		read_shdr(e->buf, e->shoff + (uint64_t)i * SHDR_LEN, &sh);
		if (sh.type == VBS_SHT_NOBITS || sh.type == VBS_SHT_NULL)
			continue;
		if (!span_ok(e->len, sh.offset, sh.size)) {
			e->bad_section = i;
			return VBS_ELF_SECTION_TRUNC;
		}
	}
	return VBS_ELF_OK;
}

enum vbs_elf_error vbs_elf_open(struct vbs_elf *e, const uint8_t *buf,
				size_t len)
{
	enum vbs_elf_error err;

	vbs_memset(e, 0, sizeof(*e));
	e->buf = buf;
	e->len = len;
	err = check_ident(buf, len);
	if (err)
		return err;
	e->type = le16(buf, E_TYPE);
	e->machine = le16(buf, E_MACHINE);
	err = locate_table(e);
	if (err)
		return err;
	return check_sections(e);
}

enum vbs_elf_error vbs_elf_shdr(const struct vbs_elf *e, uint32_t idx,
				struct vbs_elf_shdr *out)
{
	uint64_t off = e->shoff + (uint64_t)idx * SHDR_LEN; /* idx < 2^32 */

	if (idx >= e->shnum || !span_ok(e->len, off, SHDR_LEN))
		return VBS_ELF_INDEX;
	read_shdr(e->buf, off, out);
	return VBS_ELF_OK;
}

const char *vbs_elf_str(const struct vbs_elf *e, uint32_t strtab, uint64_t off)
{
	struct vbs_elf_shdr sh;
	uint64_t i;

	if (vbs_elf_shdr(e, strtab, &sh) || sh.type != VBS_SHT_STRTAB ||
	    !span_ok(e->len, sh.offset, sh.size) || off >= sh.size)
		return NULL;
	for (i = off; i < sh.size; i++)
		if (e->buf[sh.offset + i] == 0)
			return (const char *)e->buf + sh.offset + off;
	return NULL;
}

const char *vbs_elf_section_name(const struct vbs_elf *e, uint32_t idx)
{
	struct vbs_elf_shdr sh;
	const char *name;

	if (vbs_elf_shdr(e, idx, &sh))
		return "";
	name = vbs_elf_str(e, e->shstrndx, sh.name);
	return name ? name : "";
}

uint64_t vbs_elf_sym_count(const struct vbs_elf_shdr *sh)
{
	if (sh->type != VBS_SHT_SYMTAB || sh->entsize != SYM_LEN)
		return 0;
	return sh->size / SYM_LEN;
}

enum vbs_elf_error vbs_elf_sym(const struct vbs_elf *e,
			       const struct vbs_elf_shdr *sh, uint64_t i,
			       struct vbs_elf_sym *out)
{
	uint64_t rel, off;

	if (i >= vbs_elf_sym_count(sh) || ovf_mul_u64(i, SYM_LEN, &rel) ||
	    ovf_add_u64(sh->offset, rel, &off) ||
	    !span_ok(e->len, off, SYM_LEN))
		return VBS_ELF_INDEX;
	out->name = le32(e->buf, off + 0);
	out->info = e->buf[off + 4];
	out->other = e->buf[off + 5];
	out->shndx = le16(e->buf, off + 6);
	out->value = le64(e->buf, off + 8);
	out->size = le64(e->buf, off + 16);
	return VBS_ELF_OK;
}

const char *vbs_elf_error_msg(enum vbs_elf_error err)
{
	switch (err) {
	case VBS_ELF_OK:
		return "";
	case VBS_ELF_NOT_ELF:
		return "not an ELF file (no \\x7fELF header)";
	case VBS_ELF_NOT_64LE:
		return "not a 64-bit little-endian ELF file";
	case VBS_ELF_SHDR_SIZE:
		return "section header entry size is not 64";
	case VBS_ELF_SHDR_TRUNC:
		return "truncated: the section header table ends past the end of the file";
	case VBS_ELF_SHSTRNDX:
		return "section-name table index out of range";
	case VBS_ELF_SECTION_TRUNC:
		return "truncated: a section ends past the end of the file";
	case VBS_ELF_INDEX:
		return "index out of range";
	}
	return "?";
}
