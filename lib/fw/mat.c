// SPDX-License-Identifier: MIT
/*
 * EFI Memory Attributes Table [E-MAT, L-MA]; UEFI 2.10 §4.6.4
 * "EFI_MEMORY_ATTRIBUTES_TABLE". Rules: readiness-spec.md §2.2.
 */
#include "fw/mat.h"

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

void mat_check_entries(const struct efi_md *e, size_t n,
		       uint64_t os_page_size, struct fw_report *r)
{
	uint64_t page = EFI_PAGE_SIZE;
	bool sorted = true;
	size_t i, j;

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
	/* Sorted: only neighbours can overlap; else compare all pairs. */
	for (i = 1; i < n; i++) {
		if (sorted) {
			if (md_overlap(&e[i - 1], &e[i]))
				fw_report_add(r, "MAT-X1", FW_SEV_FAIL,
					      (int32_t)i, e[i].phys,
					      "entry overlaps another");
			continue;
		}
		for (j = 0; j < i; j++)
			if (md_overlap(&e[j], &e[i])) {
				fw_report_add(r, "MAT-X1", FW_SEV_FAIL,
					      (int32_t)i, e[i].phys,
					      "entry overlaps another");
				break;
			}
	}
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

/* MS-VBS "entire EFI runtime": every byte of [start, end) is in the MAT. */
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

void mat_check_memmap(const struct efi_md *e, size_t n,
		      const struct efi_md *map, size_t map_n,
		      struct fw_report *r)
{
	uint64_t mend;
	size_t i;

	if (!map) {
		fw_report_add(r, "MAT-C1", FW_SEV_UNKNOWN, FW_NO_INDEX, 0,
			      "no memory map: entries not cross-checked");
		fw_report_add(r, "MAT-C2", FW_SEV_UNKNOWN, FW_NO_INDEX, 0,
			      "no memory map: runtime coverage unknown");
		return;
	}
	for (i = 0; e && i < n; i++)
		if (!mat_entry_in_map(&e[i], map, map_n))
			fw_report_add(r, "MAT-C1", FW_SEV_FAIL, (int32_t)i,
				      e[i].phys,
				      "entry not inside one runtime map region of its type");
	for (i = 0; i < map_n; i++) {
		if (!map_is_rt(&map[i]) || !md_end(&map[i], &mend))
			continue;
		if (!mat_covers_range(e, e ? n : 0, map[i].phys, mend))
			fw_report_add(r, "MAT-C2", FW_SEV_FAIL, (int32_t)i,
				      map[i].phys,
				      "runtime map region not covered by the MAT");
	}
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
