// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck rules (docs/drvcheck.md has each id, severity and why):
 * the entry points, ELF sections, imports and signature trailer, PE
 * headers, sections and imports. Relocations: elf_rules.c, pe_rules.c;
 * call sites: elf_calls.c, callsite.c. ELF: lib/fmt/elf.h. PE:
 * lib/boot/pe.h validates the structure first, then the section table and
 * the import directory are read by explicit offset, every RVA mapped and
 * bounds-checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "boot/pe.h"

/*
 * Names a finding quotes (section, symbol, import names) are the file's
 * bytes: anything but printable ASCII becomes '?', so that a hostile name
 * can neither send terminal escape sequences to the text output nor put
 * invalid UTF-8 into the --json output (RFC 8259 §8.1 requires UTF-8).
 */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

void drv_add(struct drv_result *res, const char *id, enum drv_severity sev,
	     const char *fmt, ...)
{
	struct drv_finding *f;
	va_list ap;

	if (res->count >= DRV_MAX_FINDINGS) {
		res->dropped++;
		return;
	}
	f = &res->findings[res->count++];
	f->id = id;
	f->severity = sev;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	printable(f->detail);
}

static int invalid(struct drv_result *res, const char *msg)
{
	res->error = msg;
	return -1;
}

int drv_has(const struct drv_result *res, const char *id)
{
	size_t i;

	for (i = 0; i < res->count; i++)
		if (strcmp(res->findings[i].id, id) == 0)
			return 1;
	return 0;
}

const char *drv_severity_name(enum drv_severity s)
{
	static const char *const names[] = { "note", "warn", "unknown",
					     "fail" };

	return (unsigned)s < 4 ? names[s] : "?";
}

const char *drv_format_name(enum drv_format f)
{
	return f == DRV_FMT_ELF ? "elf" : f == DRV_FMT_PE ? "pe" : "unknown";
}

/* ---- Linux modules ------------------------------------------------- */

/*
 * Kernel APIs that make memory executable or write code (hvci-notes.md
 * §1, §3). A trailing '*' matches a prefix.
 */
struct sym_rule {
	const char *name;
	const char *id;
	enum drv_severity sev;
	const char *why;
};

static const struct sym_rule elf_imports[] = {
	{ "set_memory_x", "ELF-XMEM", DRV_FAIL, "makes pages executable" },
	{ "set_memory_rox", "ELF-XMEM", DRV_FAIL, "makes pages executable" },
	{ "set_pages_x", "ELF-XMEM", DRV_FAIL, "makes pages executable" },
	{ "module_alloc", "ELF-XMEM", DRV_FAIL,
	  "allocates module (executable-capable) memory" },
	{ "execmem_alloc", "ELF-XMEM", DRV_FAIL,
	  "allocates executable-capable memory" },
	{ "vmalloc_exec", "ELF-XMEM", DRV_FAIL, "allocates executable memory" },
	{ "set_memory_rw", "ELF-MEMRW", DRV_WARN,
	  "makes pages writable again: a violation when used on code" },
	{ "set_pages_rw", "ELF-MEMRW", DRV_WARN,
	  "makes pages writable again: a violation when used on code" },
	{ "set_memory_ro", "ELF-MEMRW", DRV_NOTE,
	  "changes page permissions (read-only: harmless alone)" },
	{ "text_poke*", "ELF-TEXTPOKE", DRV_WARN,
	  "writes kernel code at run time" },
	{ "__text_poke", "ELF-TEXTPOKE", DRV_WARN,
	  "writes kernel code at run time" },
};

static int sym_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*')
		return strncmp(pattern, name, n - 1) == 0;
	return strcmp(pattern, name) == 0;
}

static void check_import(struct drv_result *res, const char *name,
			 const struct sym_rule *rules, size_t nrules)
{
	size_t i;

	for (i = 0; i < nrules; i++)
		if (sym_matches(rules[i].name, name)) {
			drv_add(res, rules[i].id, rules[i].sev, "imports %s: %s",
			    name, rules[i].why);
			return;
		}
}

/* gABI "Sections": allocated sections both writable and executable. */
static void elf_sections(const struct vbs_elf *e, struct drv_result *res)
{
	struct vbs_elf_shdr sh;
	const uint64_t wx = VBS_SHF_WRITE | VBS_SHF_EXECINSTR;
	uint32_t i;

	for (i = 0; i < e->shnum; i++) {
		if (vbs_elf_shdr(e, i, &sh) || !(sh.flags & VBS_SHF_ALLOC))
			continue;
		if ((sh.flags & wx) == wx)
			drv_add(res, "ELF-WX", DRV_FAIL,
			    "section %u '%.60s' is both writable and executable",
			    i, vbs_elf_section_name(e, i));
	}
}

/* gABI "Symbol Table": undefined symbols are the module's imports. */
static void elf_symbols(const struct vbs_elf *e, struct drv_result *res)
{
	struct vbs_elf_shdr sh;
	struct vbs_elf_sym sym;
	uint64_t i, n;
	uint32_t s;
	int found = 0;

	for (s = 0; s < e->shnum; s++) {
		if (vbs_elf_shdr(e, s, &sh) || sh.type != VBS_SHT_SYMTAB)
			continue;
		found = 1;
		n = vbs_elf_sym_count(&sh);
		for (i = 1; i < n; i++) {
			const char *name;

			if (vbs_elf_sym(e, &sh, i, &sym) ||
			    sym.shndx != VBS_SHN_UNDEF)
				continue;
			name = vbs_elf_str(e, sh.link, sym.name);
			if (name && *name)
				check_import(res, name, elf_imports,
					     sizeof(elf_imports) /
						     sizeof(elf_imports[0]));
		}
	}
	if (!found)
		drv_add(res, "ELF-NOSYMTAB", DRV_UNKNOWN,
		    "no symbol table: imports could not be checked");
}

/*
 * Module signature trailer (Linux include/linux/module_signature.h):
 * [signature][struct module_signature, 12 bytes, sig_len big-endian in
 * its last 4][MODULE_SIG_STRING]. Returns the length of the unsigned
 * module, or len when no trailer is present.
 */
#define MODSIG_MAGIC "~Module signature appended~\n"
#define MODSIG_MAGIC_LEN (sizeof(MODSIG_MAGIC) - 1)
#define MODSIG_INFO_LEN 12u

static size_t strip_signature(const uint8_t *buf, size_t len, int *signed_out,
			      struct drv_result *res)
{
	size_t info, sig_len;

	*signed_out = 0;
	if (len < MODSIG_MAGIC_LEN + MODSIG_INFO_LEN ||
	    memcmp(buf + len - MODSIG_MAGIC_LEN, MODSIG_MAGIC,
		   MODSIG_MAGIC_LEN) != 0)
		return len;
	info = len - MODSIG_MAGIC_LEN - MODSIG_INFO_LEN;
	sig_len = (size_t)buf[info + 8] << 24 | (size_t)buf[info + 9] << 16 |
		  (size_t)buf[info + 10] << 8 | buf[info + 11];
	if (sig_len > info) {
		drv_add(res, "ELF-SIG-BAD", DRV_FAIL,
		    "signature trailer claims %zu bytes, only %zu precede it",
		    sig_len, info);
		return len;
	}
	*signed_out = 1;
	res->is_signed = 1;
	res->sig_id_type = buf[info + 2];
	res->sig_off = info - sig_len;
	res->sig_len = sig_len;
	res->body_len = info - sig_len;
	return info - sig_len;
}

int drv_analyze_elf(const uint8_t *buf, size_t len, struct drv_result *res)
{
	struct vbs_elf e;
	enum vbs_elf_error err;
	int is_signed;
	size_t body;

	res->format = DRV_FMT_ELF;
	body = strip_signature(buf, len, &is_signed, res);
	err = vbs_elf_open(&e, buf, body);
	if (err)
		return invalid(res, vbs_elf_error_msg(err));
	if (e.type != VBS_ET_REL)
		return invalid(res, "not a relocatable ELF object (a kernel module is ET_REL)");
	if (e.machine != VBS_EM_X86_64)
		return invalid(res, "not an x86-64 ELF object");
	elf_sections(&e, res);
	elf_symbols(&e, res);
	drv_elf_relocs(&e, res);
	drv_elf_prot_calls(&e, res);
	if (!is_signed)
		drv_add(res, "ELF-SIG", DRV_WARN,
		    "no module signature appended: refused where module signatures are enforced");
	return 0;
}

/* ---- Windows drivers ----------------------------------------------- */

/* Microsoft PE Format: "Optional Header" (PE32+) and "Section Table". */
#define PE_LFANEW 0x3cu
#define COFF_NSECT 2u
#define COFF_OPTLEN 16u
#define OPT_OFF 24u               /* from the PE signature */
#define OPT_SECTION_ALIGNMENT 32u
#define OPT_DLL_CHARACTERISTICS 70u
#define OPT_NUM_RVA 108u
#define OPT_DATA_DIRS 112u        /* 8 bytes each: RVA, size */
#define DLLCHAR_NX_COMPAT 0x0100u
#define SEC_VSIZE 8u
#define SEC_VA 12u
#define SEC_RAWSIZE 16u
#define SEC_RAWPTR 20u
#define SEC_CHAR 36u
#define IMPORT_DESC_LEN 20u
#define MAX_IMPORT_DLLS 4096u
#define MAX_IMPORTS_PER_DLL 65536u

void drv_pe_section(const struct pe_view *pe, uint32_t i,
		    struct pe_section *out)
{
	/* vbs_pe_check proved the whole section table inside the file. */
	size_t sh = pe->sections + (size_t)i * DRV_PE_SEC_LEN;

	memcpy(out->name, pe->buf + sh, 8);
	out->name[8] = 0;
	out->vsize = le32(pe->buf, sh + SEC_VSIZE);
	out->va = le32(pe->buf, sh + SEC_VA);
	out->raw = le32(pe->buf, sh + SEC_RAWSIZE);
	out->ptr = le32(pe->buf, sh + SEC_RAWPTR);
	out->flags = le32(pe->buf, sh + SEC_CHAR);
}

void drv_pe_dir(const struct pe_view *pe, uint32_t n, uint32_t *rva,
		uint32_t *size)
{
	size_t at = OPT_DATA_DIRS + (size_t)n * 8;

	*rva = *size = 0;
	if (pe->optlen < at + 8 || le32(pe->buf, pe->opt + OPT_NUM_RVA) <= n)
		return;
	*rva = le32(pe->buf, pe->opt + at);
	*size = le32(pe->buf, pe->opt + at + 4);
}

int drv_pe_rva_to_off(const struct pe_view *pe, uint32_t rva, size_t *off)
{
	struct pe_section s;
	uint32_t i;

	for (i = 0; i < pe->nsect; i++) {
		drv_pe_section(pe, i, &s);
		if (rva >= s.va && rva - s.va < s.raw) {
			uint64_t o = (uint64_t)s.ptr + (rva - s.va);

			if (o >= pe->len)
				return -1;
			*off = (size_t)o;
			return 0;
		}
	}
	return -1;
}

int drv_pe_section_holds(const struct pe_section *s, uint32_t rva,
			 uint32_t len)
{
	uint32_t span = s->vsize ? s->vsize : s->raw;

	return rva >= s->va && rva - s->va <= span &&
	       len <= span - (rva - s->va);
}

int drv_pe_section_at(const struct pe_view *pe, uint32_t rva, uint32_t len,
		      struct pe_section *out)
{
	uint32_t i;

	for (i = 0; i < pe->nsect; i++) {
		drv_pe_section(pe, i, out);
		if (drv_pe_section_holds(out, rva, len))
			return (int)i;
	}
	return -1;
}

/* A NUL-terminated string at rva, inside the file, or NULL. */
static const char *pe_str(const struct pe_view *pe, uint32_t rva)
{
	size_t off;

	if (drv_pe_rva_to_off(pe, rva, &off) ||
	    !memchr(pe->buf + off, 0, pe->len - off))
		return NULL;
	return (const char *)pe->buf + off;
}

static void pe_headers(const struct pe_view *pe, struct drv_result *res)
{
	uint32_t align = le32(pe->buf, pe->opt + OPT_SECTION_ALIGNMENT);
	uint16_t dllchar = le16(pe->buf, pe->opt + OPT_DLL_CHARACTERISTICS);

	if (align < 0x1000)
		drv_add(res, "PE-ALIGN", DRV_FAIL,
			"SectionAlignment 0x%x is below the 4 KiB page size", align);
	if (!(dllchar & DLLCHAR_NX_COMPAT))
		drv_add(res, "PE-NXCOMPAT", DRV_FAIL,
			"DllCharacteristics 0x%04x lacks IMAGE_DLLCHARACTERISTICS_NX_COMPAT",
			dllchar);
}

static void pe_sections(const struct pe_view *pe, struct drv_result *res)
{
	const uint32_t wx = DRV_SCN_MEM_EXECUTE | DRV_SCN_MEM_WRITE;
	struct pe_section s;
	uint32_t i;

	for (i = 0; i < pe->nsect; i++) {
		drv_pe_section(pe, i, &s);
		if ((s.flags & wx) == wx)
			drv_add(res, "PE-WX", DRV_FAIL,
				"section %u '%s' is both writable and executable",
				i, s.name);
		if ((s.flags & DRV_SCN_MEM_EXECUTE) && (s.va & 0xfff))
			drv_add(res, "PE-XALIGN", DRV_FAIL,
				"executable section %u '%s' starts at RVA 0x%x, not page aligned",
				i, s.name, s.va);
	}
}

/* Microsoft's HVCI driver guidance: APIs that yield executable memory. */
static const struct sym_rule pe_imports[] = {
	{ "ExAllocatePool*", "PE-XPOOL-UNKNOWN", DRV_WARN,
	  "more pool allocator imports than the call-site analysis tracks" },
	{ "MmMapIoSpace", "PE-XMAP", DRV_WARN,
	  "maps executable; use MmMapIoSpaceEx with PAGE_READWRITE" },
	{ "MmAllocateContiguousMemory", "PE-XMAP", DRV_WARN,
	  "returns executable memory; use MmAllocateContiguousNodeMemory with PAGE_READWRITE" },
	{ "MmAllocateContiguousMemorySpecifyCache", "PE-XMAP", DRV_WARN,
	  "returns executable memory; use MmAllocateContiguousNodeMemory with PAGE_READWRITE" },
	{ "MmMapLockedPages", "PE-XMAP", DRV_WARN,
	  "maps executable; use MmMapLockedPagesSpecifyCache with MdlMappingNoExecute" },
};

/*
 * Pool allocators and their first argument: POOL_TYPE for the
 * ExAllocatePool* family (ExAllocatePool, ...WithTag, ...WithQuota,
 * ...WithQuotaTag, ...WithTagPriority), POOL_FLAGS for ExAllocatePool2/3
 * (Microsoft docs "ExAllocatePool2", "ExAllocatePool3").
 */
static int pool_alloc_arg(const char *name, enum drv_pool_arg *arg)
{
	if (strncmp(name, "ExAllocatePool", 14) != 0)
		return 0;
	*arg = strcmp(name, "ExAllocatePool2") == 0 ||
	       strcmp(name, "ExAllocatePool3") == 0 ? DRV_POOL_FLAGS :
						      DRV_POOL_TYPE;
	return 1;
}

/* One import by name: pool allocators are judged at their call sites. */
static void pe_import(struct pe_view *pe, const char *name, uint64_t slot,
		      struct drv_result *res)
{
	enum drv_pool_arg arg;

	if (pool_alloc_arg(name, &arg) && pe->npool < DRV_MAX_SLOTS &&
	    slot <= UINT32_MAX) {
		pe->pool[pe->npool].rva = (uint32_t)slot;
		pe->pool[pe->npool].name = name;
		pe->pool[pe->npool++].arg = arg;
		return;
	}
	check_import(res, name, pe_imports,
		     sizeof(pe_imports) / sizeof(pe_imports[0]));
}

/* Import Lookup Table entries; their IAT slots are iat + 8 * n. */
static void pe_dll_imports(struct pe_view *pe, uint32_t lookup, uint32_t iat,
			   struct drv_result *res)
{
	uint32_t n;

	for (n = 0; n < MAX_IMPORTS_PER_DLL; n++) {
		uint64_t rva64;
		size_t off;
		uint64_t entry;
		const char *name;

		rva64 = (uint64_t)lookup + (uint64_t)n * 8;
		if (rva64 > UINT32_MAX ||
		    drv_pe_rva_to_off(pe, (uint32_t)rva64, &off) ||
		    !span_ok(pe->len, off, 8))
			return;
		entry = le64(pe->buf, off);
		if (entry == 0)
			return;
		if (entry >> 63)
			continue; /* import by ordinal: no name to judge */
		if (entry > UINT32_MAX - 2)
			continue;
		/* Hint/Name Table: 2-byte hint, then the name. */
		name = pe_str(pe, (uint32_t)entry + 2);
		if (name)
			pe_import(pe, name, (uint64_t)iat + (uint64_t)n * 8, res);
	}
}

/* PE Format "The .idata Section": Import Directory Table. */
static void pe_imports_scan(struct pe_view *pe, struct drv_result *res)
{
	uint32_t dir, size, i;
	size_t off;

	drv_pe_dir(pe, DRV_PE_DIR_IMPORT, &dir, &size);
	if (dir == 0)
		return;
	for (i = 0; i < MAX_IMPORT_DLLS; i++) {
		uint64_t rva = (uint64_t)dir + (uint64_t)i * IMPORT_DESC_LEN;
		uint32_t lookup, iat;

		if (rva > UINT32_MAX ||
		    drv_pe_rva_to_off(pe, (uint32_t)rva, &off) ||
		    !span_ok(pe->len, off, IMPORT_DESC_LEN))
			return;
		lookup = le32(pe->buf, off);
		iat = le32(pe->buf, off + 16);
		if (lookup == 0 && iat == 0)
			return;
		pe_dll_imports(pe, lookup ? lookup : iat, iat, res);
	}
}

int drv_analyze_pe(const uint8_t *buf, size_t len, struct drv_result *res)
{
	struct vbs_pe_result check;
	struct pe_view pe = { .buf = buf, .len = len };
	uint32_t lfanew;

	res->format = DRV_FMT_PE;
	if (vbs_pe_check(buf, len, &check))
		return invalid(res, vbs_pe_error_msg(check.error));
	/* vbs_pe_check proved the COFF header and section table in range. */
	lfanew = le32(buf, PE_LFANEW);
	pe.coff = (size_t)lfanew + 4;
	pe.nsect = le16(buf, pe.coff + COFF_NSECT);
	pe.optlen = le16(buf, pe.coff + COFF_OPTLEN);
	pe.opt = (size_t)lfanew + OPT_OFF;
	pe.sections = pe.opt + pe.optlen;
	if (pe.optlen < OPT_DLL_CHARACTERISTICS + 2)
		return invalid(res, "PE32+ optional header too short");
	pe_headers(&pe, res);
	pe_sections(&pe, res);
	pe_imports_scan(&pe, res);
	drv_pe_relocs(&pe, res);
	drv_pe_pool_calls(&pe, res);
	return 0;
}

int drv_analyze(const uint8_t *buf, size_t len, struct drv_result *res)
{
	memset(res, 0, sizeof(*res));
	if (len >= 4 && memcmp(buf, "\x7f" "ELF", 4) == 0)
		return drv_analyze_elf(buf, len, res);
	if (len >= 2 && buf[0] == 'M' && buf[1] == 'Z')
		return drv_analyze_pe(buf, len, res);
	return invalid(res, "neither an ELF module nor a PE driver");
}
