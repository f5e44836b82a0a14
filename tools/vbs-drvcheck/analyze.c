// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck rules (docs/drvcheck.md has each id, severity and why).
 * ELF: lib/fmt/elf.h. PE: lib/boot/pe.h validates the structure first,
 * then this file reads the section table and the import directory by
 * explicit offset, every RVA mapped and bounds-checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "callsite.h"
#include "boot/pe.h"
#include "fmt/elf.h"

static void add(struct drv_result *res, const char *id,
		enum drv_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct drv_result *res, const char *id,
		enum drv_severity sev, const char *fmt, ...)
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
	{ "__vmalloc_node_range", "ELF-VMALLOC-PROT", DRV_WARN,
	  "takes page protections: executable unless the call site passes NX" },
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
			add(res, rules[i].id, rules[i].sev, "imports %s: %s",
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
			add(res, "ELF-WX", DRV_FAIL,
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
		add(res, "ELF-NOSYMTAB", DRV_UNKNOWN,
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
		add(res, "ELF-SIG-BAD", DRV_FAIL,
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
	if (!is_signed)
		add(res, "ELF-SIG", DRV_WARN,
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
#define OPT_IMPORT_DIR 120u       /* data directory 1 */
#define DLLCHAR_NX_COMPAT 0x0100u
#define SEC_LEN 40u
#define SEC_VSIZE 8u
#define SEC_VA 12u
#define SEC_RAWSIZE 16u
#define SEC_RAWPTR 20u
#define SEC_CHAR 36u
#define SCN_MEM_EXECUTE 0x20000000u
#define SCN_MEM_WRITE 0x80000000u
#define IMPORT_DESC_LEN 20u
#define MAX_IMPORT_DLLS 4096u
#define MAX_IMPORTS_PER_DLL 65536u

struct pe_view {
	const uint8_t *buf;
	size_t len;
	size_t opt;        /* optional header offset */
	uint32_t optlen;
	size_t sections;   /* section table offset */
	uint32_t nsect;
	uint32_t pool_slots[DRV_MAX_SLOTS]; /* IAT slots of ExAllocatePool* */
	size_t npool_slots;
	const char *pool_names[DRV_MAX_SLOTS];
};

/* RVA -> file offset through the section holding its raw bytes. */
static int rva_to_off(const struct pe_view *pe, uint32_t rva, size_t *off)
{
	uint32_t i;

	for (i = 0; i < pe->nsect; i++) {
		size_t sh = pe->sections + (size_t)i * SEC_LEN;
		uint32_t va = le32(pe->buf, sh + SEC_VA);
		uint32_t raw = le32(pe->buf, sh + SEC_RAWSIZE);
		uint32_t ptr = le32(pe->buf, sh + SEC_RAWPTR);

		if (rva >= va && rva - va < raw) {
			uint64_t o = (uint64_t)ptr + (rva - va);

			if (o >= pe->len)
				return -1;
			*off = (size_t)o;
			return 0;
		}
	}
	return -1;
}

/* A NUL-terminated string at rva, inside the file, or NULL. */
static const char *pe_str(const struct pe_view *pe, uint32_t rva)
{
	size_t off;

	if (rva_to_off(pe, rva, &off) ||
	    !memchr(pe->buf + off, 0, pe->len - off))
		return NULL;
	return (const char *)pe->buf + off;
}

static void pe_headers(const struct pe_view *pe, struct drv_result *res)
{
	uint32_t align = le32(pe->buf, pe->opt + OPT_SECTION_ALIGNMENT);
	uint16_t dllchar = le16(pe->buf, pe->opt + OPT_DLL_CHARACTERISTICS);

	if (align < 0x1000)
		add(res, "PE-ALIGN", DRV_FAIL,
		    "SectionAlignment 0x%x is below the 4 KiB page size", align);
	if (!(dllchar & DLLCHAR_NX_COMPAT))
		add(res, "PE-NXCOMPAT", DRV_FAIL,
		    "DllCharacteristics 0x%04x lacks IMAGE_DLLCHARACTERISTICS_NX_COMPAT",
		    dllchar);
}

static void pe_sections(const struct pe_view *pe, struct drv_result *res)
{
	uint32_t i;

	for (i = 0; i < pe->nsect; i++) {
		size_t sh = pe->sections + (size_t)i * SEC_LEN;
		uint32_t ch = le32(pe->buf, sh + SEC_CHAR);
		uint32_t va = le32(pe->buf, sh + SEC_VA);
		char name[9];

		memcpy(name, pe->buf + sh, 8);
		name[8] = 0;
		if ((ch & (SCN_MEM_EXECUTE | SCN_MEM_WRITE)) ==
		    (SCN_MEM_EXECUTE | SCN_MEM_WRITE))
			add(res, "PE-WX", DRV_FAIL,
			    "section %u '%s' is both writable and executable",
			    i, name);
		if ((ch & SCN_MEM_EXECUTE) && (va & 0xfff))
			add(res, "PE-XALIGN", DRV_FAIL,
			    "executable section %u '%s' starts at RVA 0x%x, not page aligned",
			    i, name, va);
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

static int is_pool_alloc(const char *name)
{
	return strncmp(name, "ExAllocatePool", 14) == 0 &&
	       strcmp(name, "ExAllocatePool2") != 0 &&
	       strcmp(name, "ExAllocatePool3") != 0;
}

/* One import by name: pool allocators are judged at their call sites. */
static void pe_import(struct pe_view *pe, const char *name, uint64_t slot,
		      struct drv_result *res)
{
	if (!is_pool_alloc(name)) {
		check_import(res, name, pe_imports,
			     sizeof(pe_imports) / sizeof(pe_imports[0]));
		return;
	}
	if (pe->npool_slots < DRV_MAX_SLOTS && slot <= UINT32_MAX) {
		pe->pool_slots[pe->npool_slots] = (uint32_t)slot;
		pe->pool_names[pe->npool_slots++] = name;
	} else {
		check_import(res, name, pe_imports,
			     sizeof(pe_imports) / sizeof(pe_imports[0]));
	}
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
		if (rva64 > UINT32_MAX || rva_to_off(pe, (uint32_t)rva64, &off) ||
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
	uint32_t nrva, dir, i;
	size_t off;

	if (pe->optlen < OPT_IMPORT_DIR + 8)
		return;
	nrva = le32(pe->buf, pe->opt + OPT_NUM_RVA);
	dir = le32(pe->buf, pe->opt + OPT_IMPORT_DIR);
	if (nrva < 2 || dir == 0)
		return;
	for (i = 0; i < MAX_IMPORT_DLLS; i++) {
		uint64_t rva = (uint64_t)dir + (uint64_t)i * IMPORT_DESC_LEN;
		uint32_t lookup, iat;

		if (rva > UINT32_MAX || rva_to_off(pe, (uint32_t)rva, &off) ||
		    !span_ok(pe->len, off, IMPORT_DESC_LEN))
			return;
		lookup = le32(pe->buf, off);
		iat = le32(pe->buf, off + 16);
		if (lookup == 0 && iat == 0)
			return;
		pe_dll_imports(pe, lookup ? lookup : iat, iat, res);
	}
}

struct pool_ctx {
	struct drv_result *res;
	int unknown;
};

static void pool_site(void *ctx, uint32_t call_rva, enum drv_pool_verdict v,
		      uint64_t pool_type)
{
	struct pool_ctx *pc = ctx;

	if (v == DRV_POOL_EXEC)
		add(pc->res, "PE-XPOOL", DRV_FAIL,
		    "call at RVA 0x%x allocates pool type %llu, an executable pool (use NonPagedPoolNx)",
		    call_rva, (unsigned long long)pool_type);
	else if (v == DRV_POOL_UNKNOWN)
		add(pc->res, "PE-XPOOL-UNKNOWN", DRV_WARN,
		    "call at RVA 0x%x: pool type not decidable from the code before it",
		    call_rva);
}

/* Executable sections' raw bytes, for the disassembler. */
static size_t pe_code(const struct pe_view *pe, struct drv_code *code,
		      size_t cap)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < pe->nsect && n < cap; i++) {
		size_t sh = pe->sections + (size_t)i * SEC_LEN;
		uint32_t raw = le32(pe->buf, sh + SEC_RAWSIZE);
		uint32_t ptr = le32(pe->buf, sh + SEC_RAWPTR);

		if (!(le32(pe->buf, sh + SEC_CHAR) & SCN_MEM_EXECUTE) || !raw)
			continue;
		/* vbs_pe_check proved [ptr, ptr + raw) inside the file. */
		code[n].bytes = pe->buf + ptr;
		code[n].len = raw;
		code[n++].rva = le32(pe->buf, sh + SEC_VA);
	}
	return n;
}

static void pe_pool_calls(const struct pe_view *pe, struct drv_result *res)
{
	struct drv_code code[32];
	struct pool_ctx pc = { res, 0 };
	size_t ncode;
	int sites;

	if (!pe->npool_slots)
		return;
	ncode = pe_code(pe, code, sizeof(code) / sizeof(code[0]));
	sites = drv_pool_callsites(code, ncode, pe->pool_slots,
				   pe->npool_slots, pool_site, &pc);
	if (sites < 0)
		add(res, "PE-XPOOL-UNKNOWN", DRV_UNKNOWN,
		    "imports %s: the disassembler could not be started",
		    pe->pool_names[0]);
	else if (sites == 0)
		add(res, "PE-XPOOL-UNKNOWN", DRV_WARN,
		    "imports %s but no direct call site was found",
		    pe->pool_names[0]);
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
	pe.nsect = le16(buf, lfanew + 4 + COFF_NSECT);
	pe.optlen = le16(buf, lfanew + 4 + COFF_OPTLEN);
	pe.opt = (size_t)lfanew + OPT_OFF;
	pe.sections = pe.opt + pe.optlen;
	if (pe.optlen < OPT_DLL_CHARACTERISTICS + 2)
		return invalid(res, "PE32+ optional header too short");
	pe_headers(&pe, res);
	pe_sections(&pe, res);
	pe_imports_scan(&pe, res);
	pe_pool_calls(&pe, res);
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
