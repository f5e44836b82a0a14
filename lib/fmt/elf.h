/* SPDX-License-Identifier: MIT */
/*
 * ELF64 little-endian reader for relocatable objects (Linux .ko files):
 * header, section headers, section names, symbol tables. Freestanding.
 *
 * vbs_elf_open() validates the header and the whole section header table
 * once (every section's file bytes inside the buffer, every size and count
 * overflow-checked); the accessors then re-check each index and offset, so
 * no caller ever reads outside the buffer whatever the file says.
 */
#ifndef VBS_LIB_FMT_ELF_H
#define VBS_LIB_FMT_ELF_H

#include "base/base.h"

/* System V gABI, "Sections": sh_type and sh_flags values used here. */
#define VBS_SHT_NULL 0u
#define VBS_SHT_SYMTAB 2u
#define VBS_SHT_STRTAB 3u
#define VBS_SHT_RELA 4u
#define VBS_SHT_NOBITS 8u
#define VBS_SHF_WRITE 0x1u
#define VBS_SHF_ALLOC 0x2u
#define VBS_SHF_EXECINSTR 0x4u
#define VBS_SHN_UNDEF 0u
#define VBS_ET_REL 1u
#define VBS_EM_X86_64 62u

enum vbs_elf_error {
	VBS_ELF_OK = 0,
	VBS_ELF_NOT_ELF,       /* no \x7fELF magic or file shorter than a header */
	VBS_ELF_NOT_64LE,      /* not ELFCLASS64 / ELFDATA2LSB / version 1 */
	VBS_ELF_SHDR_SIZE,     /* e_shentsize is not 64 */
	VBS_ELF_SHDR_TRUNC,    /* section header table past the end of the file */
	VBS_ELF_SHSTRNDX,      /* section-name table index out of range */
	VBS_ELF_SECTION_TRUNC, /* a section's bytes end past the end of the file */
	VBS_ELF_INDEX,         /* accessor: index or offset out of range */
};

struct vbs_elf {
	const uint8_t *buf;
	size_t len;
	uint16_t type;       /* e_type (VBS_ET_REL for a module) */
	uint16_t machine;    /* e_machine */
	uint64_t shoff;      /* section header table offset */
	uint32_t shnum;      /* section count (extended numbering resolved) */
	uint32_t shstrndx;   /* section-name string table (resolved) */
	uint32_t bad_section; /* VBS_ELF_SECTION_TRUNC: its index */
};

struct vbs_elf_shdr {
	uint32_t name;   /* offset in the section-name table */
	uint32_t type;
	uint64_t flags;
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
};

struct vbs_elf_sym {
	uint32_t name;   /* offset in the linked string table */
	uint8_t info;    /* binding << 4 | type */
	uint8_t other;
	uint16_t shndx;
	uint64_t value;
	uint64_t size;
};

/* Validate buf[0, len) and fill e. Returns VBS_ELF_OK or the first error. */
enum vbs_elf_error vbs_elf_open(struct vbs_elf *e, const uint8_t *buf,
				size_t len);

/* Section header idx (0 <= idx < shnum). */
enum vbs_elf_error vbs_elf_shdr(const struct vbs_elf *e, uint32_t idx,
				struct vbs_elf_shdr *out);

/*
 * The NUL-terminated string at off in string-table section strtab, or NULL
 * when strtab is not a string table, off is outside it or no NUL follows
 * inside the section. The pointer is into the caller's buffer.
 */
const char *vbs_elf_str(const struct vbs_elf *e, uint32_t strtab,
			uint64_t off);

/* The name of section idx ("" when it has none or it is out of range). */
const char *vbs_elf_section_name(const struct vbs_elf *e, uint32_t idx);

/* Number of entries of symbol table section sh (0 unless a valid symtab). */
uint64_t vbs_elf_sym_count(const struct vbs_elf_shdr *sh);

/* Entry i of symbol table section sh (validated by vbs_elf_open). */
enum vbs_elf_error vbs_elf_sym(const struct vbs_elf *e,
			       const struct vbs_elf_shdr *sh, uint64_t i,
			       struct vbs_elf_sym *out);

const char *vbs_elf_error_msg(enum vbs_elf_error err);

#endif
