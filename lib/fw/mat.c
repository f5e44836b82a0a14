// SPDX-License-Identifier: MIT
/*
 * EFI Memory Attributes Table [E-MAT, L-MA]; UEFI 2.10 §4.6.4
 * "EFI_MEMORY_ATTRIBUTES_TABLE". Rules: readiness-spec.md §2.2.
 */
#include "fw/mat.h"
#include "base/sort.h"

/* UEFI 2.10 §7.2 EFI_MEMORY_DESCRIPTOR: Type u32, pad u32, PhysicalStart,
 * VirtualStart, NumberOfPages, Attribute (u64 each). */
int efi_md_decode(const uint8_t *buf, size_t len, size_t off,
		  struct efi_md *out)
{
	if (!buf || !out || !span_ok(len, off, EFI_MD_SIZE))
		return FW_EBADF;
	out->type = le32(buf, off);
	out->phys = le64(buf, off + 8);
	out->virt = le64(buf, off + 16);
	out->pages = le64(buf, off + 24);
	out->attr = le64(buf, off + 32);
	return 0;
}

static bool mat_header_rules(const uint8_t *buf, size_t len,
			     uint32_t memmap_stride, struct mat_hdr *h,
			     struct fw_report *r)
{
	size_t need;

	if (!buf || len < MAT_HDR_LEN) {
		fw_report_add(r, "MAT-H1", FW_SEV_FAIL, FW_NO_INDEX, len,
			      "table shorter than its 16-byte header");
		return false;
	}
	h->version = le32(buf, 0);
	h->num_entries = le32(buf, 4);
	h->desc_size = le32(buf, 8);
	h->flags = le32(buf, 12);
	/* L-MA: "Unexpected EFI Memory Attributes table version %d" */
	if (h->version > MAT_VERSION_2) {
		fw_report_add(r, "MAT-H1", FW_SEV_UNKNOWN, FW_NO_INDEX,
			      h->version, "MAT Version newer than 2");
		return false;
	}
	if (h->version < MAT_VERSION_1) {
		fw_report_add(r, "MAT-H1", FW_SEV_FAIL, FW_NO_INDEX,
			      h->version, "MAT Version 0");
		return false;
	}
	/* L-MA: desc_size < sizeof(efi_memory_desc_t) || > memmap stride */
	if (h->desc_size < EFI_MD_SIZE || h->desc_size % 8 ||
	    (memmap_stride && h->desc_size > memmap_stride)) {
		fw_report_add(r, "MAT-H2", FW_SEV_FAIL, FW_NO_INDEX,
			      h->desc_size, "unexpected DescriptorSize");
		return false;
	}
	/* L-MA: num_entries > SZ_64K -> "Corrupted ... Table detected!" */
	if (h->num_entries > MAT_MAX_ENTRIES ||
	    ovf_mul_size(h->num_entries, h->desc_size, &need) ||
	    ovf_add_size(need, MAT_HDR_LEN, &need) || need > len) {
		fw_report_add(r, "MAT-H3", FW_SEV_FAIL, FW_NO_INDEX,
			      h->num_entries,
			      "NumberOfEntries too large for the table");
		return false;
	}
	/* E-MAT: v1 Reserved; v2 Flags bit 0 RT_FORWARD_CONTROL_FLOW_GUARD */
	if ((h->version == MAT_VERSION_1 && h->flags) ||
	    (h->flags & ~MAT_FLAG_RT_FORWARD_CONTROL_FLOW_GUARD))
		fw_report_add(r, "MAT-H4", FW_SEV_WARN, FW_NO_INDEX, h->flags,
			      "reserved Flags bits set");
	return true;
}

int mat_parse(const uint8_t *buf, size_t len, uint32_t memmap_stride,
	      struct mat_hdr *hdr, struct efi_md *entries, size_t cap,
	      size_t *n_out, struct fw_report *r)
{
	struct mat_hdr h = { 0 };
	size_t i, n;

	if (n_out)
		*n_out = 0;
	if (hdr)
		vbs_memset(hdr, 0, sizeof(*hdr));
	if (!n_out || (!entries && cap))
		return FW_EINVAL;
	if (!mat_header_rules(buf, len, memmap_stride, &h, r)) {
		if (hdr)
			*hdr = h;
		return FW_EBADF;
	}
	if (hdr)
		*hdr = h;
	n = h.num_entries < cap ? h.num_entries : cap;
	for (i = 0; i < n; i++)
		efi_md_decode(buf, len, MAT_HDR_LEN + i * h.desc_size,
			      &entries[i]);
	*n_out = n;
	return n < h.num_entries ? FW_ENOSPC : 0;
}

/* End (exclusive) of an entry; false when size or end wraps. */
static bool md_end(const struct efi_md *m, uint64_t *end)
{
	uint64_t bytes;

	return !ovf_mul_u64(m->pages, EFI_PAGE_SIZE, &bytes) &&
	       !ovf_add_u64(m->phys, bytes, end);
}

static void mat_entry_rules(const struct efi_md *m, int32_t i,
			    uint64_t page, struct fw_report *r)
{
	uint64_t end;

	if (m->type != EFI_RUNTIME_SERVICES_CODE &&
	    m->type != EFI_RUNTIME_SERVICES_DATA)
		fw_report_add(r, "MAT-E1", FW_SEV_FAIL, i, m->type,
			      "entry type is not RuntimeServicesCode/Data");
	/* MS-VBS: every entry is RO (code) or XP (data), never both clear */
	if (!(m->attr & (EFI_MEMORY_RO | EFI_MEMORY_XP)))
		fw_report_add(r, "MAT-E2", FW_SEV_FAIL, i, m->attr,
			      "entry has neither RO nor XP");
	if (m->pages == 0 || !md_end(m, &end) || (m->phys & (page - 1)) ||
	    ((m->pages * EFI_PAGE_SIZE) & (page - 1)))
		fw_report_add(r, "MAT-E3", FW_SEV_FAIL, i, m->phys,
			      "entry misaligned, empty or wrapping");
	/* UEFI 2.10 Table 7-6: runtime memory carries EFI_MEMORY_RUNTIME */
	if (!(m->attr & EFI_MEMORY_RUNTIME))
		fw_report_add(r, "MAT-E4", FW_SEV_WARN, i, m->attr,
			      "entry lacks the RUNTIME attribute");
	if (m->type == EFI_RUNTIME_SERVICES_DATA && !(m->attr & EFI_MEMORY_XP))
		fw_report_add(r, "MAT-E5", FW_SEV_WARN, i, m->attr,
			      "RuntimeServicesData entry is executable");
	if (m->attr & ~EFI_MEMORY_DEFINED)
		fw_report_add(r, "MAT-E6", FW_SEV_WARN, i,
			      m->attr & ~EFI_MEMORY_DEFINED,
			      "undefined attribute bits set");
}

static bool md_overlap(const struct efi_md *a, const struct efi_md *b)
{
	uint64_t ea, eb;

	if (!md_end(a, &ea) || !md_end(b, &eb))
		return false;   /* E3 already reports a wrapping entry */
	return a->phys < eb && b->phys < ea;
}

/*
 * Index arrays over the entries (lib/base/sort.h), ordered by
 * PhysicalStart. In the X1 pass bit 31 of an element says "an entry with
 * a lower index overlaps this one"; ROW() strips it.
 */
#define X1_EARLIER 0x80000000u
#define ROW(x) ((x) & ~X1_EARLIER)

static bool md_phys_less(uint32_t a, uint32_t b, const void *ctx)
{
	const struct efi_md *e = ctx;

	return e[ROW(a)].phys < e[ROW(b)].phys;
}

/*
 * X1 across two runs of a merge: marks each entry of r[] (the higher
 * indices) that overlaps an entry of l[] (the lower ones); both sorted by
 * PhysicalStart. md_overlap(j, i) is phys_j < end_i && end_j > phys_i with
 * wrapping entries never overlapping; split the valid j by their start:
 *   phys_j > phys_i: overlap iff phys_j < end_i, so the first such j
 *     decides;
 *   phys_j <= phys_i (i non-empty) or phys_j < phys_i (i empty: an entry
 *     starting where an empty one sits does not overlap it): overlap iff
 *     end_j > phys_i, so the largest such end decides.
 * Every bound only grows along r[], so one pass over each run does it.
 */
static void x1_mark_run(const struct efi_md *e, const uint32_t *l, size_t nl,
			uint32_t *r, size_t nr)
{
	uint64_t max_lt = 0, max_le = 0, end, lend;
	size_t lt = 0, le = 0, next = 0, k;
	const struct efi_md *m, *lm;

	for (k = 0; k < nr; k++) {
		m = &e[ROW(r[k])];
		if (!md_end(m, &end))
			continue;
		for (; lt < nl && e[ROW(l[lt])].phys < m->phys; lt++)
			if (md_end(&e[ROW(l[lt])], &lend) && lend > max_lt)
				max_lt = lend;
		for (; le < nl && e[ROW(l[le])].phys <= m->phys; le++)
			if (md_end(&e[ROW(l[le])], &lend) && lend > max_le)
				max_le = lend;
		if (next < le)
			next = le;
		while (next < nl && !md_end(&e[ROW(l[next])], &lend))
			next++;
		lm = next < nl ? &e[ROW(l[next])] : NULL;
		if ((end > m->phys ? max_le : max_lt) > m->phys ||
		    (lm && lm->phys < end))
			r[k] |= X1_EARLIER;
	}
}

/*
 * X1 when the entries are not sorted, in O(n log n): a bottom-up merge
 * sort of the indices 0..n-1 by PhysicalStart. The runs merged at each
 * level hold consecutive index ranges, the left one the lower indices, so
 * checking the right run against the left before each merge looks at
 * every pair j < i exactly once, as x1_mark_run does. Returns the flags
 * in index order (flags[i] != 0: an earlier entry overlaps entry i) in
 * work, or NULL when work holds fewer than MAT_WORK_WORDS(n) elements.
 */
static const uint32_t *x1_mark_all(const struct efi_md *e, size_t n,
				   uint32_t *work, size_t work_len)
{
	uint32_t *src = work, *dst = work + n, *t;
	size_t w, a, nl, nr, i;

	if (n > X1_EARLIER || work_len / 2 < n)
		return NULL;
	for (i = 0; i < n; i++)
		src[i] = (uint32_t)i;
	for (w = 1; w < n; w *= 2) {
		for (a = 0; a < n; a += nl + nr) {
			vbs_idx_runs(n, a, w, &nl, &nr);
			x1_mark_run(e, src + a, nl, src + a + nl, nr);
			vbs_idx_merge(src + a, nl, nr, dst + a, md_phys_less, e);
		}
		t = src;
		src = dst;
		dst = t;
	}
	for (i = 0; i < n; i++)
		dst[ROW(src[i])] = src[i] & X1_EARLIER;
	return dst;
}

static void x1_report(const struct efi_md *e, size_t i, struct fw_report *r)
{
	fw_report_add(r, "MAT-X1", FW_SEV_FAIL, (int32_t)i, e[i].phys,
		      "entry overlaps another");
}

/* X1 by comparing all pairs: used only when work is too small. */
static void x1_pairwise(const struct efi_md *e, size_t n, struct fw_report *r)
{
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (md_overlap(&e[j], &e[i])) {
				x1_report(e, i, r);
				break;
			}
}

void mat_check_entries_ws(const struct efi_md *e, size_t n,
			  uint64_t os_page_size, uint32_t *work,
			  size_t work_len, struct fw_report *r)
{
	uint64_t page = EFI_PAGE_SIZE;
	const uint32_t *earlier;
	bool sorted = true;
	size_t i;

	if (!e)
		return;
	if (os_page_size > page && !(os_page_size & (os_page_size - 1)))
		page = os_page_size;
	for (i = 0; i < n; i++) {
		mat_entry_rules(&e[i], (int32_t)i, page, r);
		if (i && e[i].phys < e[i - 1].phys) {
			fw_report_add(r, "MAT-X2", FW_SEV_WARN, (int32_t)i,
				      e[i].phys, "entries not ascending");
			sorted = false;
		}
	}
	/* Sorted: only neighbours are compared (an entry is reported when
	 * it overlaps the one before it). Else: against every earlier one. */
	if (sorted) {
		for (i = 1; i < n; i++)
			if (md_overlap(&e[i - 1], &e[i]))
				x1_report(e, i, r);
		return;
	}
	earlier = work ? x1_mark_all(e, n, work, work_len) : NULL;
	if (!earlier) {
		x1_pairwise(e, n, r);
		return;
	}
	for (i = 1; i < n; i++)
		if (earlier[i])
			x1_report(e, i, r);
}

void mat_check_entries(const struct efi_md *e, size_t n,
		       uint64_t os_page_size, struct fw_report *r)
{
	uint32_t work[MAT_WORK_WORDS(MAT_STACK_ENTRIES)];

	mat_check_entries_ws(e, n, os_page_size, work, VBS_ARRAY_SIZE(work), r);
}

static bool map_is_rt(const struct efi_md *m)
{
	return (m->attr & EFI_MEMORY_RUNTIME) &&
	       (m->type == EFI_RUNTIME_SERVICES_CODE ||
		m->type == EFI_RUNTIME_SERVICES_DATA);
}

/* L-MA rule 3: one RUNTIME descriptor of the same type holds the entry. */
static bool mat_entry_in_map(const struct efi_md *m, const struct efi_md *map,
			     size_t map_n)
{
	uint64_t end, mend;
	size_t k;

	if (!md_end(m, &end))
		return false;
	for (k = 0; k < map_n; k++) {
		if (!md_end(&map[k], &mend) || m->phys < map[k].phys ||
		    end > mend)
			continue;
		return (map[k].attr & EFI_MEMORY_RUNTIME) &&
		       map[k].type == m->type;
	}
	return false;
}

/* MS-VBS "entire EFI runtime": every byte of [start, end) is in the MAT.
 * Used only when work is too small for the runs below. */
static bool mat_covers_range(const struct efi_md *e, size_t n,
			     uint64_t start, uint64_t end)
{
	uint64_t cur = start, eend;
	size_t i;
	bool moved = true;

	while (cur < end && moved) {
		moved = false;
		for (i = 0; i < n; i++) {
			if (e[i].pages == 0 || !md_end(&e[i], &eend))
				continue;
			if (e[i].phys <= cur && cur < eend) {
				cur = eend;
				moved = true;
			}
		}
	}
	return cur >= end;
}

/*
 * The same in O(log n) per region: the entries with pages and no wrap,
 * sorted by PhysicalStart and merged into runs of contiguous coverage
 * (the next entry starts at or before the run's end). Run k starts at
 * e[start[k]].phys and ends at the end of e[last[k]].
 */
struct mat_runs {
	const struct efi_md *e;
	const uint32_t *start, *last;
	size_t count;
};

static uint64_t md_end_or_0(const struct efi_md *m)
{
	uint64_t end = 0;

	md_end(m, &end);
	return end;
}

/* @pre work holds MAT_WORK_WORDS(n) elements, n <= UINT32_MAX. */
static void mat_build_runs(const struct efi_md *e, size_t n, uint32_t *work,
			   struct mat_runs *runs)
{
	uint32_t *start = work, *last = work + n, idx;
	size_t m = 0, p, k = 0;
	uint64_t end;

	for (p = 0; p < n; p++)
		if (e[p].pages && md_end(&e[p], &end))
			start[m++] = (uint32_t)p;
	vbs_idx_sort(start, last, m, md_phys_less, e);
	/* run k is written at k <= p: start[p] is read before that */
	for (p = 0; p < m; p++) {
		idx = start[p];
		if (k && e[idx].phys <= md_end_or_0(&e[last[k - 1]])) {
			if (md_end_or_0(&e[idx]) > md_end_or_0(&e[last[k - 1]]))
				last[k - 1] = idx;
			continue;
		}
		start[k] = idx;
		last[k] = idx;
		k++;
	}
	*runs = (struct mat_runs){ e, start, last, k };
}

/* The first byte at or after start that no entry covers, >= end: covered. */
static bool runs_cover(const struct mat_runs *runs, uint64_t start,
		       uint64_t end)
{
	size_t lo = 0, hi = runs->count, mid;
	uint64_t run_end, gap = start;

	/* lo = number of runs starting at or before start */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (runs->e[runs->start[mid]].phys <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo) {
		run_end = md_end_or_0(&runs->e[runs->last[lo - 1]]);
		if (start < run_end)
			gap = run_end;
	}
	return gap >= end;
}

void mat_check_memmap_ws(const struct efi_md *e, size_t n,
			 const struct efi_md *map, size_t map_n,
			 uint32_t *work, size_t work_len, struct fw_report *r)
{
	struct mat_runs runs = { 0 };
	bool have_runs;
	uint64_t mend;
	size_t i;

	if (!map) {
		fw_report_add(r, "MAT-C1", FW_SEV_UNKNOWN, FW_NO_INDEX, 0,
			      "no memory map: entries not cross-checked");
		fw_report_add(r, "MAT-C2", FW_SEV_UNKNOWN, FW_NO_INDEX, 0,
			      "no memory map: runtime coverage unknown");
		return;
	}
	if (!e)
		n = 0;
	for (i = 0; i < n; i++)
		if (!mat_entry_in_map(&e[i], map, map_n))
			fw_report_add(r, "MAT-C1", FW_SEV_FAIL, (int32_t)i,
				      e[i].phys,
				      "entry not inside one runtime map region of its type");
	have_runs = work && n <= UINT32_MAX && work_len / 2 >= n;
	if (have_runs)
		mat_build_runs(e, n, work, &runs);
	for (i = 0; i < map_n; i++) {
		if (!map_is_rt(&map[i]) || !md_end(&map[i], &mend))
			continue;
		if (have_runs ? runs_cover(&runs, map[i].phys, mend) :
				mat_covers_range(e, n, map[i].phys, mend))
			continue;
		fw_report_add(r, "MAT-C2", FW_SEV_FAIL, (int32_t)i,
			      map[i].phys,
			      "runtime map region not covered by the MAT");
	}
}

void mat_check_memmap(const struct efi_md *e, size_t n,
		      const struct efi_md *map, size_t map_n,
		      struct fw_report *r)
{
	uint32_t work[MAT_WORK_WORDS(MAT_STACK_ENTRIES)];

	mat_check_memmap_ws(e, n, map, map_n, work, VBS_ARRAY_SIZE(work), r);
}

int efi_memmap_parse(const uint8_t *buf, size_t len, uint32_t desc_size,
		     struct efi_md *out, size_t cap, size_t *n_out)
{
	size_t i, n;

	if (!n_out || (!out && cap) || (!buf && len))
		return FW_EINVAL;
	*n_out = 0;
	if (desc_size < EFI_MD_SIZE)
		return FW_EBADF;
	n = len / desc_size;
	for (i = 0; i < n && i < cap; i++)
		efi_md_decode(buf, len, i * (size_t)desc_size, &out[i]);
	*n_out = i;
	return i < n ? FW_ENOSPC : 0;
}
