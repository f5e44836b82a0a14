// SPDX-License-Identifier: MIT
/*
 * Page protections passed to the vmalloc family, judged at each call site
 * of a Linux module (docs/drvcheck.md, ELF-VMALLOC-PROT). A call in a
 * relocatable object is "call rel32" whose rel32 field carries an
 * R_X86_64_PLT32/PC32 relocation against the callee; the protection
 * argument is a register of the System V psABI (§3.2.3 "Parameter
 * Passing": rdi, rsi, rdx, rcx, r8, r9), at the position of pgprot_t in
 * the callee's prototype (include/linux/vmalloc.h of the pinned kernel;
 * tests/integration/drvcheck-kmod.sh checks these positions against the
 * fetched headers). The mapping is executable unless the NX bit, bit 63
 * of the page table entry (APM2 §5.3.3 "Page-Translation-Table Entry
 * Fields"; _PAGE_NX in arch/x86/include/asm/pgtable_types.h), is set.
 *
 * x86 builds PAGE_KERNEL and PAGE_KERNEL_EXEC at run time:
 *   (__PAGE_KERNEL[_EXEC] | sme_me_mask) & __default_kernel_pte_mask
 * so a module reads two exported variables. What is known of them: bit 63
 * of sme_me_mask is 0 (it holds the SME encryption bit, a physical address
 * bit), and __default_kernel_pte_mask keeps bit 63 (it is
 * __supported_pte_mask less _PAGE_GLOBAL, and memory integrity requires a
 * CPU with NX, where _PAGE_NX is supported).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sweep.h"

#define NX_BIT 63u
#define MAX_WATCHED 64

struct prot_callee {
	const char *name;
	unsigned int argno;     /* 1-based position of pgprot_t prot */
	enum drv_reg reg;
};

static const struct prot_callee prot_callees[] = {
	{ "__vmalloc_node_range", 6, DRV_R9 },
	{ "vmap", 4, DRV_RCX },
	{ "vmap_pfn", 3, DRV_RDX },
};
#define NCALLEES (sizeof(prot_callees) / sizeof(prot_callees[0]))

/* Kernel variables that go into a pgprot_t, and what bit 63 of each is. */
static const struct {
	const char *name;
	int nx;
} ingredients[] = {
	{ "sme_me_mask", 0 },
	{ "__default_kernel_pte_mask", 1 },
};
#define NINGREDIENTS (sizeof(ingredients) / sizeof(ingredients[0]))
#define KIND_INGREDIENT 100   /* kind = NCALLEES-range callee, or this + i */

struct watched_sym {
	uint32_t sym;
	int kind;
};

struct site_reloc {
	uint64_t offset;        /* of the relocated field in the section */
	int kind;
};

struct prot_scan {
	const struct vbs_elf *e;
	struct drv_result *res;
	uint32_t section;
	struct site_reloc *relocs;
	size_t nrelocs;
	unsigned int sites[NCALLEES];
};

/* Undefined symbols named like a callee or an ingredient. */
static size_t watched_symbols(const struct vbs_elf *e,
			      const struct vbs_elf_shdr *symtab,
			      struct watched_sym *out, int *any_callee)
{
	struct vbs_elf_sym sym;
	uint64_t i, n = vbs_elf_sym_count(symtab);
	size_t k, count = 0;

	*any_callee = 0;
	for (i = 1; i < n && count < MAX_WATCHED; i++) {
		const char *name;

		if (vbs_elf_sym(e, symtab, i, &sym) || sym.shndx != VBS_SHN_UNDEF)
			continue;
		name = vbs_elf_str(e, symtab->link, sym.name);
		if (!name)
			continue;
		for (k = 0; k < NCALLEES && count < MAX_WATCHED; k++)
			if (strcmp(name, prot_callees[k].name) == 0) {
				out[count].sym = (uint32_t)i;
				out[count++].kind = (int)k;
				*any_callee = 1;
			}
		for (k = 0; k < NINGREDIENTS && count < MAX_WATCHED; k++)
			if (strcmp(name, ingredients[k].name) == 0) {
				out[count].sym = (uint32_t)i;
				out[count++].kind = KIND_INGREDIENT + (int)k;
			}
	}
	return count;
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct site_reloc *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Relocations of section sec against watched symbols, sorted by offset. */
static int section_relocs(struct prot_scan *ps, uint32_t symidx,
			  const struct watched_sym *w, size_t nw)
{
	const struct vbs_elf *e = ps->e;
	struct vbs_elf_shdr sh;
	struct drv_rela r;
	size_t cap = 0, k;
	uint32_t i;
	uint64_t j;

	ps->nrelocs = 0;
	for (i = 0; i < e->shnum; i++) {
		if (vbs_elf_shdr(e, i, &sh) || sh.type != VBS_SHT_RELA ||
		    sh.info != ps->section || sh.link != symidx)
			continue;
		for (j = 0; j < sh.size / DRV_RELA_LEN; j++) {
			if (drv_elf_rela(e, &sh, j, &r))
				break;
			for (k = 0; k < nw && w[k].sym != r.sym; k++)
				;
			if (k == nw)
				continue;
			if (ps->nrelocs == cap) {
				struct site_reloc *v;

				cap = cap ? cap * 2 : 64;
				v = realloc(ps->relocs, cap * sizeof(*v));
				if (!v)
					return -1;
				ps->relocs = v;
			}
			ps->relocs[ps->nrelocs].offset = r.offset;
			ps->relocs[ps->nrelocs++].kind = w[k].kind;
		}
	}
	if (ps->nrelocs > 1)
		qsort(ps->relocs, ps->nrelocs, sizeof(ps->relocs[0]), cmp_reloc);
	return 0;
}

/* The watched symbol relocated at section offset off, or -1. */
static int reloc_kind_at(const struct prot_scan *ps, uint64_t off)
{
	size_t lo = 0, hi = ps->nrelocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->relocs[mid].offset == off)
			return ps->relocs[mid].kind;
		if (ps->relocs[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int callee(void *ctx, const struct drv_branch *b)
{
	const struct prot_scan *ps = ctx;
	int kind;

	if (b->via_mem || !b->field_off)
		return -1;
	kind = reloc_kind_at(ps, b->addr + b->field_off);
	return kind >= 0 && kind < (int)NCALLEES ? kind : -1;
}

static struct drv_bits load(void *ctx, uint64_t insn_addr, uint8_t disp_off,
			    unsigned int size)
{
	const struct prot_scan *ps = ctx;
	int kind = reloc_kind_at(ps, insn_addr + disp_off);
	struct drv_bits b = drv_bits_unknown();

	if (size != 8 || kind < KIND_INGREDIENT)
		return b;
	b.known = 1ull << NX_BIT;
	b.value = (uint64_t)ingredients[kind - KIND_INGREDIENT].nx << NX_BIT;
	return b;
}

static void site(void *ctx, uint64_t insn_addr, int idx,
		 const struct drv_bits *regs)
{
	struct prot_scan *ps = ctx;
	const struct prot_callee *c = &prot_callees[idx];
	const struct drv_bits *prot = &regs[c->reg];
	const char *sec = vbs_elf_section_name(ps->e, ps->section);

	ps->sites[idx]++;
	switch (drv_bit(prot, NX_BIT)) {
	case 1:
		return;
	case 0:
		if (prot->known == ~0ull)
			drv_add(ps->res, "ELF-VMALLOC-PROT", DRV_FAIL,
				"call of %s at %.40s+0x%llx: prot 0x%llx (argument %u) lacks NX (bit 63): an executable mapping",
				c->name, sec, (unsigned long long)insn_addr,
				(unsigned long long)prot->value, c->argno);
		else
			drv_add(ps->res, "ELF-VMALLOC-PROT", DRV_FAIL,
				"call of %s at %.40s+0x%llx: prot (argument %u) lacks NX (bit 63), e.g. PAGE_KERNEL_EXEC: an executable mapping",
				c->name, sec, (unsigned long long)insn_addr,
				c->argno);
		return;
	default:
		drv_add(ps->res, "ELF-VMALLOC-PROT", DRV_WARN,
			"call of %s at %.40s+0x%llx: prot (argument %u) not decidable from the code before it",
			c->name, sec, (unsigned long long)insn_addr, c->argno);
	}
}

/* Function symbols of section sec: entries for the sweep. */
static uint64_t *function_starts(const struct vbs_elf *e,
				 const struct vbs_elf_shdr *symtab,
				 uint32_t sec, size_t *n)
{
	struct vbs_elf_sym sym;
	uint64_t i, count = vbs_elf_sym_count(symtab);
	uint64_t *v = NULL;
	size_t cap = 0;

	*n = 0;
	for (i = 1; i < count; i++) {
		if (vbs_elf_sym(e, symtab, i, &sym) || sym.shndx != sec ||
		    (sym.info & 0xf) != DRV_STT_FUNC)
			continue;
		if (*n == cap) {
			uint64_t *nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*nv));
			if (!nv)
				break;
			v = nv;
		}
		v[(*n)++] = sym.value;
	}
	if (v)
		qsort(v, *n, sizeof(*v), cmp_u64);
	return v;
}

static int sweep_section(struct prot_scan *ps, const struct vbs_elf_shdr *sh,
			 const struct vbs_elf_shdr *symtab, uint32_t symidx,
			 const struct watched_sym *w, size_t nw)
{
	struct drv_code code = { ps->e->buf + sh->offset, sh->size, 0 };
	struct drv_sweep_ops ops = {
		.abi = DRV_ABI_SYSV,
		.ctx = ps,
		.callee = callee,
		.load = load,
		.site = site,
	};
	uint64_t *starts;
	int rc;

	if (section_relocs(ps, symidx, w, nw))
		return -1;
	if (!ps->nrelocs)
		return 0; /* no watched call or load in this section */
	starts = function_starts(ps->e, symtab, ps->section, &ops.nstarts);
	ops.starts = starts;
	rc = drv_sweep(&code, 1, &ops);
	free(starts);
	return rc < 0 ? -1 : 0;
}

void drv_elf_prot_calls(const struct vbs_elf *e, struct drv_result *res)
{
	struct watched_sym w[MAX_WATCHED];
	struct prot_scan ps = { .e = e, .res = res };
	struct vbs_elf_shdr symtab, sh;
	uint32_t symidx, i;
	size_t nw, k;
	int any, failed = 0;

	if (drv_elf_symtab(e, &symidx, &symtab))
		return;
	nw = watched_symbols(e, &symtab, w, &any);
	if (!any)
		return;
	for (i = 0; i < e->shnum && !failed; i++) {
		if (vbs_elf_shdr(e, i, &sh) || sh.type == VBS_SHT_NOBITS ||
		    (sh.flags & (VBS_SHF_ALLOC | VBS_SHF_EXECINSTR)) !=
			    (VBS_SHF_ALLOC | VBS_SHF_EXECINSTR))
			continue;
		ps.section = i;
		failed = sweep_section(&ps, &sh, &symtab, symidx, w, nw);
	}
	free(ps.relocs);
	for (k = 0; k < nw; k++) {
		if (w[k].kind >= (int)NCALLEES)
			continue;
		if (failed)
			drv_add(res, "ELF-VMALLOC-PROT", DRV_UNKNOWN,
				"imports %s: the disassembler could not be run",
				prot_callees[w[k].kind].name);
		else if (!ps.sites[w[k].kind])
			drv_add(res, "ELF-VMALLOC-PROT", DRV_WARN,
				"imports %s but no direct call of it was found",
				prot_callees[w[k].kind].name);
	}
}
