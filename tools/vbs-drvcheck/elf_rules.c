// SPDX-License-Identifier: MIT
/*
 * ELF relocation rules (docs/drvcheck.md, ELF-RELOC-*): the relocations
 * the kernel's module loader applies, judged the way Linux 6.1 applies
 * them (kernel/module/main.c apply_relocations(), x86-64
 * arch/x86/kernel/module.c apply_relocate_add()):
 *   - sections targeting a section without SHF_ALLOC are skipped;
 *   - SHT_REL sections are refused on x86-64 (no apply_relocate());
 *   - RELA types other than NONE, 64, PC32, PLT32, 32, 32S, PC64 are
 *     refused ("Unknown rela relocation"), and so are 32/32S values that
 *     do not fit ("overflow in relocation type") and locations whose bytes
 *     are not zero ("Invalid relocation target");
 *   - SHF_RELA_LIVEPATCH sections for an object other than vmlinux are
 *     applied later, by livepatch, through text_poke().
 * Relocations of executable sections are otherwise normal: the loader
 * applies them before the module's text becomes read-only and executable.
 */
#include <string.h>

#include "internal.h"

/* x86-64 psABI §4.4 "Relocation Types". */
#define R_X86_64_NONE 0u
#define R_X86_64_64 1u
#define R_X86_64_PC32 2u
#define R_X86_64_PLT32 4u
#define R_X86_64_32 10u
#define R_X86_64_32S 11u
#define R_X86_64_PC64 24u
#define KLP_PREFIX ".klp.rela."

static const char *const rela_names[] = {
	"NONE", "64", "PC32", "GOT32", "PLT32", "COPY", "GLOB_DAT",
	"JUMP_SLOT", "RELATIVE", "GOTPCREL", "32", "32S", "16", "PC16", "8",
	"PC8", "DTPMOD64", "DTPOFF64", "TPOFF64", "TLSGD", "TLSLD",
	"DTPOFF32", "GOTTPOFF", "TPOFF32", "PC64", "GOTOFF64", "GOTPC32",
	"GOT64", "GOTPCREL64", "GOTPC64", "GOTPLT64", "PLTOFF64", "SIZE32",
	"SIZE64", "GOTPC32_TLSDESC", "TLSDESC_CALL", "TLSDESC",
	"IRELATIVE", "RELATIVE64", "type 39", "type 40", "GOTPCRELX",
	"REX_GOTPCRELX",
};

int drv_elf_rela(const struct vbs_elf *e, const struct vbs_elf_shdr *sh,
		 uint64_t i, struct drv_rela *out)
{
	uint64_t rel, off;
	uint64_t info;

	if (i >= sh->size / DRV_RELA_LEN ||
	    ovf_mul_u64(i, DRV_RELA_LEN, &rel) ||
	    ovf_add_u64(sh->offset, rel, &off) ||
	    !span_ok(e->len, off, DRV_RELA_LEN))
		return -1;
	info = le64(e->buf, off + 8);
	out->offset = le64(e->buf, off);
	out->sym = (uint32_t)(info >> 32);
	out->type = (uint32_t)info;
	out->addend = (int64_t)le64(e->buf, off + 16);
	return 0;
}

int drv_elf_symtab(const struct vbs_elf *e, uint32_t *idx,
		   struct vbs_elf_shdr *sh)
{
	uint32_t i;

	for (i = 0; i < e->shnum; i++)
		if (!vbs_elf_shdr(e, i, sh) && sh->type == VBS_SHT_SYMTAB) {
			*idx = i;
			return 0;
		}
	return -1;
}

static const char *rela_name(uint32_t type)
{
	return type < sizeof(rela_names) / sizeof(rela_names[0]) ?
		       rela_names[type] : "unknown";
}

/* One RELA section's findings, counted and reported once each. */
struct rela_tally {
	uint32_t bad_type, bad_type_n;
	uint64_t bad_type_at;
	uint64_t range_n, range_at;
	uint64_t broken_n, broken_at;
	const char *broken_why;
};

static uint32_t rela_width(uint32_t type)
{
	return type == R_X86_64_64 || type == R_X86_64_PC64 ? 8 : 4;
}

static int type_known(uint32_t type)
{
	return type == R_X86_64_NONE || type == R_X86_64_64 ||
	       type == R_X86_64_PC32 || type == R_X86_64_PLT32 ||
	       type == R_X86_64_32 || type == R_X86_64_32S ||
	       type == R_X86_64_PC64;
}

/*
 * A 32/32S value that cannot fit: the symbol is defined in an allocated
 * section of the module (module memory lies in the top 2 GiB, above
 * 0xffffffff80000000, so 32 never fits), or is absolute and out of range.
 * An undefined symbol may be a per-CPU offset that fits: not judged.
 */
static int out_of_range(const struct vbs_elf *e, const struct drv_rela *r,
			const struct vbs_elf_sym *sym)
{
	struct vbs_elf_shdr home;
	uint64_t v = sym->value + (uint64_t)r->addend;

	if (sym->shndx == DRV_SHN_ABS)
		return r->type == R_X86_64_32 ? v != (uint32_t)v :
						(int64_t)v != (int32_t)v;
	if (r->type != R_X86_64_32 || sym->shndx == VBS_SHN_UNDEF ||
	    sym->shndx >= DRV_SHN_LORESERVE)
		return 0;
	return !vbs_elf_shdr(e, sym->shndx, &home) &&
	       (home.flags & VBS_SHF_ALLOC);
}

static void broken(struct rela_tally *t, uint64_t at, const char *why)
{
	if (!t->broken_n++) {
		t->broken_at = at;
		t->broken_why = why;
	}
}

/* One entry against its target section: type, range, bounds, bytes. */
static void check_entry(const struct vbs_elf *e,
			const struct vbs_elf_shdr *target,
			const struct vbs_elf_shdr *symtab,
			const struct drv_rela *r, struct rela_tally *t)
{
	struct vbs_elf_sym sym;
	uint32_t w = rela_width(r->type);
	uint64_t k;

	if (r->type == R_X86_64_NONE)
		return;
	if (!type_known(r->type)) {
		if (!t->bad_type_n++) {
			t->bad_type = r->type;
			t->bad_type_at = r->offset;
		}
		return;
	}
	if (vbs_elf_sym(e, symtab, r->sym, &sym)) {
		broken(t, r->offset, "symbol index outside the symbol table");
		return;
	}
	if ((r->type == R_X86_64_32 || r->type == R_X86_64_32S) &&
	    out_of_range(e, r, &sym) && !t->range_n++)
		t->range_at = r->offset;
	if (r->offset > target->size || target->size - r->offset < w) {
		broken(t, r->offset, "it writes past the end of its section");
		return;
	}
	if (target->type == VBS_SHT_NOBITS)
		return;
	for (k = 0; k < w; k++)
		if (e->buf[target->offset + r->offset + k]) {
			broken(t, r->offset, "the bytes it fills in are not zero");
			return;
		}
}

static void report(const struct vbs_elf *e, uint32_t rs, uint32_t ts,
		   const struct rela_tally *t, struct drv_result *res)
{
	const char *rname = vbs_elf_section_name(e, rs);
	const char *tname = vbs_elf_section_name(e, ts);

	if (t->bad_type_n)
		drv_add(res, "ELF-RELOC-TYPE", DRV_FAIL,
			"'%.40s': %u relocation(s) the x86-64 module loader refuses, the first R_X86_64_%s (%u) at %.40s+0x%llx",
			rname, t->bad_type_n, rela_name(t->bad_type),
			t->bad_type, tname, (unsigned long long)t->bad_type_at);
	if (t->range_n)
		drv_add(res, "ELF-RELOC-RANGE", DRV_FAIL,
			"'%.40s': %llu 32-bit absolute relocation(s) that cannot fit, the first at %.40s+0x%llx (not built with -mcmodel=kernel)",
			rname, (unsigned long long)t->range_n, tname,
			(unsigned long long)t->range_at);
	if (t->broken_n)
		drv_add(res, "ELF-RELOC-BAD", DRV_FAIL,
			"'%.40s': %llu malformed relocation(s), the first at %.40s+0x%llx: %s",
			rname, (unsigned long long)t->broken_n, tname,
			(unsigned long long)t->broken_at, t->broken_why);
}

/* .klp.rela.<object>.<section>: applied at load only for vmlinux. */
static int livepatch_late(const char *name)
{
	size_t n = strlen(KLP_PREFIX);

	if (strncmp(name, KLP_PREFIX, n) != 0)
		return 1;
	return strncmp(name + n, "vmlinux.", 8) != 0;
}

static void rela_section(const struct vbs_elf *e, uint32_t rs,
			 const struct vbs_elf_shdr *sh,
			 const struct vbs_elf_shdr *symtab, int have_symtab,
			 struct drv_result *res)
{
	struct vbs_elf_shdr target;
	struct rela_tally t;
	struct drv_rela r;
	uint64_t i, n = sh->size / DRV_RELA_LEN;

	if (vbs_elf_shdr(e, sh->info, &target) ||
	    !(target.flags & VBS_SHF_ALLOC))
		return; /* the kernel skips these */
	if ((sh->flags & DRV_SHF_RELA_LIVEPATCH) &&
	    (target.flags & VBS_SHF_EXECINSTR) &&
	    livepatch_late(vbs_elf_section_name(e, rs)))
		drv_add(res, "ELF-RELOC-LATE", DRV_WARN,
			"'%.60s': applied by livepatch when its object loads, with text_poke into read-only text '%.40s'",
			vbs_elf_section_name(e, rs),
			vbs_elf_section_name(e, sh->info));
	if (!have_symtab)
		return;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < n; i++)
		if (!drv_elf_rela(e, sh, i, &r))
			check_entry(e, &target, symtab, &r, &t);
	report(e, rs, sh->info, &t, res);
}

void drv_elf_relocs(const struct vbs_elf *e, struct drv_result *res)
{
	struct vbs_elf_shdr sh, symtab, target;
	uint32_t i, symidx;
	int have_symtab = drv_elf_symtab(e, &symidx, &symtab) == 0;

	for (i = 0; i < e->shnum; i++) {
		if (vbs_elf_shdr(e, i, &sh))
			continue;
		if (sh.type == VBS_SHT_RELA) {
			rela_section(e, i, &sh, &symtab, have_symtab, res);
		} else if (sh.type == DRV_SHT_REL &&
			   !vbs_elf_shdr(e, sh.info, &target) &&
			   (target.flags & VBS_SHF_ALLOC)) {
			drv_add(res, "ELF-RELOC-REL", DRV_FAIL,
				"'%.60s' is an SHT_REL section: the x86-64 module loader has no REL support and refuses the module",
				vbs_elf_section_name(e, i));
		}
	}
}
