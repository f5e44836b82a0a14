// SPDX-License-Identifier: MIT
/*
 * Fuzz the PE side of vbs-drvcheck: lib/boot/pe.c (vbs_pe_check), the
 * accessors the PE rules share (tools/vbs-drvcheck/internal.h: sections,
 * data directories, RVA mapping), the import, relocation and header rules
 * (analyze.c, pe_rules.c) and the Capstone call-site walk (callsite.c,
 * sweep.c). Any input is analysed or rejected with a message, never read
 * out of bounds; what vbs_pe_check promises of an accepted image is
 * checked here. Built by tools/vbs-drvcheck/fuzz.mk; seed corpus
 * tests/fuzz/corpus/fuzz_pe/ (the mingw-w64 drivers of tests/unit/drv.mk).
 */
#include <string.h>

#include "analyze.h"
#include "boot/pe.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Microsoft PE Format, "MS-DOS Stub" and "COFF File Header". */
#define PE_LFANEW 0x3cu
#define COFF_NSECT 2u
#define COFF_OPTLEN 16u
#define OPT_OFF 24u              /* from the PE signature */
#define PE_NUM_DIRS 16u
#define IMPORT_FIRST_THUNK 16u

#define check(cond)                                                          \
	do {                                                                 \
		if (!(cond))                                                 \
			__builtin_trap();                                    \
	} while (0)

/* What vbs_pe_check reports when it rejects an image. */
static void check_rejection(const struct vbs_pe_result *r, size_t size)
{
	check(r->error != VBS_PE_OK);
	check(*vbs_pe_error_msg(r->error) != 0);
	check(r->have == size);
	if (r->error == VBS_PE_HEADERS_TRUNC ||
	    r->error == VBS_PE_SECTION_TRUNC)
		check(r->needed > r->have); /* it claims more than there is */
}

/* The image as drv_analyze_pe sees it (after it accepted it). */
static void view_of(const uint8_t *data, size_t size, struct pe_view *pe)
{
	uint32_t lfanew = le32(data, PE_LFANEW);

	memset(pe, 0, sizeof(*pe));
	pe->buf = data;
	pe->len = size;
	pe->coff = (size_t)lfanew + 4;
	pe->nsect = le16(data, pe->coff + COFF_NSECT);
	pe->optlen = le16(data, pe->coff + COFF_OPTLEN);
	pe->opt = (size_t)lfanew + OPT_OFF;
	pe->sections = pe->opt + pe->optlen;
}

/* An RVA the accessors map must land inside the file and its section. */
static void check_rva(const struct pe_view *pe, uint32_t rva, uint32_t len)
{
	struct pe_section s;
	size_t off;
	int i;

	if (!drv_pe_rva_to_off(pe, rva, &off))
		check(off < pe->len);
	i = drv_pe_section_at(pe, rva, len, &s);
	if (i >= 0) {
		check((uint32_t)i < pe->nsect);
		check(drv_pe_section_holds(&s, rva, len));
	}
}

/* Every section's file bytes are inside the file (vbs_pe_check's word). */
static void walk_sections(const struct pe_view *pe)
{
	struct pe_section s;
	uint32_t i;

	for (i = 0; i < pe->nsect; i++) {
		drv_pe_section(pe, i, &s);
		check(strlen(s.name) <= 8);
		if (s.raw)
			check((uint64_t)s.ptr + s.raw <= pe->len);
		check_rva(pe, s.va, 1);
		check_rva(pe, s.va + s.raw, 8);
	}
}

/* Every data directory, mapped as the rules map it. */
static void walk_dirs(const struct pe_view *pe)
{
	uint32_t n, rva, size;

	for (n = 0; n < PE_NUM_DIRS; n++) {
		drv_pe_dir(pe, n, &rva, &size);
		if (rva || size)
			check_rva(pe, rva, size);
	}
}

static void add_slot(struct pe_view *pe, uint64_t rva)
{
	static const char *const names[] = { "ExAllocatePoolWithTag",
					     "ExAllocatePool2" };
	size_t k = pe->npool;

	if (k >= DRV_MAX_SLOTS || rva > UINT32_MAX)
		return;
	pe->pool[k].rva = (uint32_t)rva;
	pe->pool[k].name = names[k & 1];
	pe->pool[k].arg = k & 1 ? DRV_POOL_FLAGS : DRV_POOL_TYPE;
	pe->npool++;
}

/*
 * Watch every IAT slot as if it held a pool allocator, alternating
 * POOL_TYPE and POOL_FLAGS: the call-site walk then runs on the code of
 * every input, not only of those importing ExAllocatePool*. Slots: the
 * IAT directory, else each import descriptor's FirstThunk.
 */
static void pick_slots(struct pe_view *pe)
{
	uint32_t rva, size, i;
	size_t off;

	drv_pe_dir(pe, DRV_PE_DIR_IAT, &rva, &size);
	for (i = 0; i < size / 8 && i < DRV_MAX_SLOTS; i++)
		add_slot(pe, (uint64_t)rva + (uint64_t)i * 8);
	if (pe->npool)
		return;
	drv_pe_dir(pe, DRV_PE_DIR_IMPORT, &rva, &size);
	for (i = 0; rva && pe->npool < DRV_MAX_SLOTS; i++) {
		uint64_t at = (uint64_t)rva + (uint64_t)i * 20;

		if (at > UINT32_MAX || drv_pe_rva_to_off(pe, (uint32_t)at, &off) ||
		    !span_ok(pe->len, off, 20) ||
		    !le32(pe->buf, off + IMPORT_FIRST_THUNK))
			return;
		add_slot(pe, le32(pe->buf, off + IMPORT_FIRST_THUNK));
	}
}

static void check_findings(const struct drv_result *res)
{
	size_t i;

	check(res->format == DRV_FMT_PE);
	check(res->count <= DRV_MAX_FINDINGS);
	for (i = 0; i < res->count; i++) {
		const char *d = res->findings[i].detail;

		check(res->findings[i].id && !strncmp(res->findings[i].id, "PE-", 3));
		check(res->findings[i].severity <= DRV_FAIL);
		check(memchr(d, 0, DRV_DETAIL_LEN));
		for (; *d; d++) /* quoted names are made printable ASCII */
			check(*d >= 0x20 && *d <= 0x7e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct drv_result res;
	struct vbs_pe_result r;
	struct pe_view pe;
	int accepted;

	accepted = vbs_pe_check(data, size, &r) == 0;
	if (!accepted)
		check_rejection(&r, size);
	memset(&res, 0, sizeof(res));
	if (drv_analyze_pe(data, size, &res) != 0) {
		check(res.error && *res.error); /* rejection carries a message */
		return 0;
	}
	check(accepted); /* the rules never run on what lib/boot refuses */
	check_findings(&res);

	view_of(data, size, &pe);
	walk_sections(&pe);
	walk_dirs(&pe);
	memset(&res, 0, sizeof(res));
	res.format = DRV_FMT_PE;
	drv_pe_relocs(&pe, &res);
	pick_slots(&pe);
	drv_pe_pool_calls(&pe, &res);
	check_findings(&res);
	return 0;
}
