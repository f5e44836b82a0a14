/* SPDX-License-Identifier: MIT */
/*
 * Shared by the rule files of vbs-drvcheck (analyze.c, elf_rules.c,
 * pe_rules.c, callsite.c); not an interface of the tool.
 */
#ifndef VBS_DRVCHECK_INTERNAL_H
#define VBS_DRVCHECK_INTERNAL_H

#include "analyze.h"
#include "fmt/elf.h"

/* Record a finding (counted in res->dropped beyond DRV_MAX_FINDINGS). */
void drv_add(struct drv_result *res, const char *id, enum drv_severity sev,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- Linux modules -------------------------------------------------- */

/* gABI "Relocation": an Elf64_Rela entry. */
struct drv_rela {
	uint64_t offset;
	uint32_t sym;
	uint32_t type;
	int64_t addend;
};

#define DRV_RELA_LEN 24u
#define DRV_SHT_REL 9u
#define DRV_SHN_LORESERVE 0xff00u
#define DRV_SHN_ABS 0xfff1u
#define DRV_STT_FUNC 2u
#define DRV_SHF_RELA_LIVEPATCH 0x00100000u /* Linux include/uapi/linux/elf.h */

/* Entry i of a RELA section (inside the file), or -1. */
int drv_elf_rela(const struct vbs_elf *e, const struct vbs_elf_shdr *sh,
		 uint64_t i, struct drv_rela *out);

/* The module's symbol table section (the first SHT_SYMTAB), or -1. */
int drv_elf_symtab(const struct vbs_elf *e, uint32_t *idx,
		   struct vbs_elf_shdr *sh);

/* Relocation rules (ELF-RELOC-*), elf_rules.c. */
void drv_elf_relocs(const struct vbs_elf *e, struct drv_result *res);

/* Protection arguments of vmalloc-family calls (ELF-VMALLOC-PROT). */
void drv_elf_prot_calls(const struct vbs_elf *e, struct drv_result *res);

/* ---- Windows drivers ------------------------------------------------ */

/* Microsoft PE Format, "Section Table" and "Optional Header Data Directories". */
#define DRV_PE_SEC_LEN 40u
#define DRV_SCN_MEM_EXECUTE 0x20000000u
#define DRV_SCN_MEM_WRITE 0x80000000u
#define DRV_PE_DIR_IMPORT 1u
#define DRV_PE_DIR_EXCEPTION 3u
#define DRV_PE_DIR_BASERELOC 5u
#define DRV_PE_DIR_IAT 12u
#define DRV_MAX_SLOTS 16

/* What the first argument of a pool allocator is. */
enum drv_pool_arg {
	DRV_POOL_TYPE,   /* POOL_TYPE: ExAllocatePool, ...WithTag, ... */
	DRV_POOL_FLAGS,  /* POOL_FLAGS: ExAllocatePool2, ExAllocatePool3 */
};

struct drv_pool_slot {
	uint32_t rva;            /* its IAT slot */
	const char *name;
	enum drv_pool_arg arg;
};

/* A PE32+ image that vbs_pe_check() accepted. */
struct pe_view {
	const uint8_t *buf;
	size_t len;
	size_t coff;       /* COFF file header offset */
	size_t opt;        /* optional header offset */
	uint32_t optlen;
	size_t sections;   /* section table offset */
	uint32_t nsect;
	struct drv_pool_slot pool[DRV_MAX_SLOTS];
	size_t npool;
};

struct pe_section {
	char name[9];
	uint32_t va, vsize, raw, ptr, flags;
};

void drv_pe_section(const struct pe_view *pe, uint32_t i,
		    struct pe_section *out);

/* Data directory n: rva and size (0, 0 when absent). */
void drv_pe_dir(const struct pe_view *pe, uint32_t n, uint32_t *rva,
		uint32_t *size);

/* RVA -> file offset through the section holding its raw bytes, or -1. */
int drv_pe_rva_to_off(const struct pe_view *pe, uint32_t rva, size_t *off);

/*
 * The section whose virtual range holds [rva, rva + len): its index, or
 * -1. *out receives its header.
 */
int drv_pe_section_at(const struct pe_view *pe, uint32_t rva, uint32_t len,
		      struct pe_section *out);

/* True when section s's virtual range holds [rva, rva + len). */
int drv_pe_section_holds(const struct pe_section *s, uint32_t rva,
			 uint32_t len);

/* Base relocations and the IAT's section (PE-RELOC-*, PE-IAT-X). */
void drv_pe_relocs(const struct pe_view *pe, struct drv_result *res);

/* Pool-allocation call sites (PE-XPOOL*), callsite.c. */
void drv_pe_pool_calls(const struct pe_view *pe, struct drv_result *res);

#endif
