// SPDX-License-Identifier: MIT
/*
 * IVRS: I/O Virtualization Reporting Structure [L-T2, L-AMDI]; AMD I/O
 * Virtualization Technology (IOMMU) Specification §5.2 "ACPI Tables".
 *
 * One block walker and one device-entry walker serve ivrs_parse() (with a
 * report) and ivrs_covers() (report NULL). Every block and entry is
 * bounds-checked against its container before a field is read; a Length
 * that would not advance the walk ends it.
 */
#include "fw/ivrs.h"

#define IVHD_HID_FIXED 22u   /* type, devid, data, HID[8], CID[8], fmt, len */


static bool ivrs_is_ivhd(uint8_t type)
{
	return type == IVRS_IVHD_10 || type == IVRS_IVHD_11 ||
	       type == IVRS_IVHD_40;
}

static bool ivrs_is_ivmd(uint8_t type)
{
	return type >= IVRS_IVMD_ALL && type <= IVRS_IVMD_RANGE;
}

/* §5.2.2.2 (IVHD type 10h: entries @24), §5.2.2.3 (11h/40h: @40) */
static size_t ivrs_block_min(uint8_t type)
{
	if (type == IVRS_IVHD_10)
		return 24;
	if (ivrs_is_ivhd(type))
		return 40;
	if (ivrs_is_ivmd(type))
		return 32;  /* §5.2.3 IVMD: start @16, length @24 */
	return ACPI_SUB_HDR;
}

static const struct acpi_sub_layout ivrs_layout = {
	.type_width = 1, .len_off = 2,
	.rule_hdr = "IVRS-B1", .msg_hdr = "IVDB header overruns table",
	.rule_short = "IVRS-B3", .msg_short = "zero-length IVDB",
	.rule_len = "IVRS-B2", .msg_len = "IVDB Length overruns table",
};

/* IOMMU spec §5.2.2: IVDBs follow the IVRS header back to back. */
static bool ivrs_next(const uint8_t *buf, size_t end, size_t *off,
		      uint32_t index, struct acpi_sub *b, struct fw_report *r,
		      bool *broken)
{
	return acpi_sub_next(buf, end, off, index, &ivrs_layout, b, r, broken);
}

struct ivhd_entry {
	uint8_t type;
	uint16_t devid;
	size_t off;
};

/*
 * §5.2.2.4 "IVHD Device Entries": the length is coded in Type[7:6]
 * (4, 8, 16, 32 bytes) except for the variable-length ACPI HID entry.
 * Returns 0 when the entry does not fit in [off, bend).
 */
static size_t ivhd_entry_len(const uint8_t *buf, size_t off, size_t bend,
			     uint8_t type)
{
	size_t n;

	if (type != IVRS_DE_HID)
		return (size_t)4 << (type >> 6);
	if (!span_ok(bend, off, IVHD_HID_FIXED))
		return 0;
	n = IVHD_HID_FIXED + le8(buf, off + 21);
	return span_ok(bend, off, n) ? n : 0;
}

static bool ivhd_entry_next(const uint8_t *buf, size_t bend, size_t *off,
			    int32_t index, struct ivhd_entry *e,
			    struct fw_report *r)
{
	size_t elen;

	if (*off >= bend)
		return false;
	e->type = le8(buf, *off);
	e->off = *off;
	elen = ivhd_entry_len(buf, *off, bend, e->type);
	if (e->type == IVRS_DE_HID && elen == 0) {
		fw_report_add(r, "IVRS-E4", FW_SEV_FAIL, index, *off,
			      "ACPI HID entry overruns its IVHD");
		return false;
	}
	if (!span_ok(bend, *off, elen)) {
		fw_report_add(r, "IVRS-E1", FW_SEV_FAIL, index, *off,
			      "device entry overruns its IVHD");
		return false;
	}
	e->devid = le16(buf, *off + 1);
	*off += elen;
	return true;
}

static bool ivhd_type_known(uint8_t t)
{
	switch (t) {
	case IVRS_DE_PAD4:
	case IVRS_DE_ALL:
	case IVRS_DE_SELECT:
	case IVRS_DE_START:
	case IVRS_DE_END:
	case IVRS_DE_PAD8:
	case IVRS_DE_ALIAS_SELECT:
	case IVRS_DE_ALIAS_START:
	case IVRS_DE_EXT_SELECT:
	case IVRS_DE_EXT_START:
	case IVRS_DE_SPECIAL:
	case IVRS_DE_HID:
		return true;
	}
	return false;
}

static bool ivhd_is_start(uint8_t t)
{
	return t == IVRS_DE_START || t == IVRS_DE_ALIAS_START ||
	       t == IVRS_DE_EXT_START;
}

static bool ivhd_is_select(uint8_t t)
{
	return t == IVRS_DE_SELECT || t == IVRS_DE_ALIAS_SELECT ||
	       t == IVRS_DE_EXT_SELECT;
}

/*
 * Walk the device entries of one IVHD. With want != NULL answer whether
 * *want is covered; with r != NULL report the entry rules.
 */
static bool ivhd_entries(const uint8_t *buf, const struct acpi_sub *b,
			 const uint16_t *want, struct fw_report *r)
{
	size_t off = b->off + ivrs_block_min(b->type);
	size_t bend = b->off + b->len;
	int32_t idx = (int32_t)b->index;
	struct ivhd_entry e;
	bool open = false;
	uint16_t start = 0;

	while (ivhd_entry_next(buf, bend, &off, idx, &e, r)) {
		if (!ivhd_type_known(e.type))
			fw_report_add(r, "IVRS-E2", FW_SEV_WARN, idx, e.type,
				      "unknown device entry type");
		if (e.type == IVRS_DE_ALL && want)
			return true;
		if (ivhd_is_select(e.type) && want && e.devid == *want)
			return true;
		if (ivhd_is_start(e.type)) {
			if (open)
				fw_report_add(r, "IVRS-E3", FW_SEV_FAIL, idx,
					      start, "START without END");
			open = true;
			start = e.devid;
		} else if (e.type == IVRS_DE_END) {
			if (!open) {
				fw_report_add(r, "IVRS-E3", FW_SEV_FAIL, idx,
					      e.devid, "END without START");
				continue;
			}
			open = false;
			if (e.devid < start)
				fw_report_add(r, "IVRS-E5", FW_SEV_FAIL, idx,
					      e.devid, "range END below START");
			else if (want && *want >= start && *want <= e.devid)
				return true;
		}
	}
	if (open)
		fw_report_add(r, "IVRS-E3", FW_SEV_FAIL, idx, start,
			      "START without END");
	return false;
}

static void ivrs_block_rules(const uint8_t *buf, const struct acpi_sub *b,
			     struct ivrs *v, struct fw_report *r)
{
	int32_t idx = (int32_t)b->index;
	uint64_t end;

	if (!ivrs_is_ivhd(b->type) && !ivrs_is_ivmd(b->type)) {
		v->n_unknown++;
		fw_report_add(r, "IVRS-B5", FW_SEV_NOTE, idx, b->type,
			      "unknown IVDB type");
		return;
	}
	if (b->len < ivrs_block_min(b->type)) {
		fw_report_add(r, "IVRS-B4", FW_SEV_FAIL, idx, b->len,
			      "IVDB shorter than its type needs");
		return;
	}
	if (ivrs_is_ivmd(b->type)) {
		v->n_ivmd++;
		if (ovf_add_u64(le64(buf, b->off + 16),
				le64(buf, b->off + 24), &end))
			fw_report_add(r, "IVRS-M1", FW_SEV_FAIL, idx,
				      le64(buf, b->off + 16),
				      "IVMD start + length wraps");
		return;
	}
	v->n_ivhd++;
	if (le64(buf, b->off + 8) == 0)
		fw_report_add(r, "IVRS-D2", FW_SEV_FAIL, idx, 0,
			      "IVHD IOMMU Base Address is zero");
	ivhd_entries(buf, b, NULL, r);
}

int ivrs_parse(const uint8_t *buf, size_t len, struct ivrs *out,
	       struct fw_report *r)
{
	struct acpi_sub b;
	size_t off = IVRS_HDR_LEN, end;
	uint32_t index = 0;
	bool broken = false;
	int ret;

	if (!out)
		return FW_EINVAL;
	vbs_memset(out, 0, sizeof(*out));
	ret = acpi_hdr_parse(buf, len, "IVRS", &out->hdr, r);
	if (ret)
		return ret;
	end = out->hdr.length;
	if (end < IVRS_HDR_LEN) {
		fw_report_add(r, "IVRS-H1", FW_SEV_FAIL, FW_NO_INDEX, end,
			      "IVRS Length below 48");
		return FW_EBADF;
	}
	out->ivinfo = le32(buf, 36);
	/* §5.2.1 IVinfo bit 1 "DMA remap support": pre-boot DMA opt-in */
	if (!(out->ivinfo & IVRS_IVINFO_DMA_REMAP))
		fw_report_add(r, "IVRS-F1", FW_SEV_WARN, FW_NO_INDEX,
			      out->ivinfo, "IVinfo DMA remap support clear");
	while (ivrs_next(buf, end, &off, index, &b, r, &broken)) {
		ivrs_block_rules(buf, &b, out, r);
		index++;
	}
	out->walk_complete = !broken;
	if (out->n_ivhd == 0)
		fw_report_add(r, "IVRS-D1", FW_SEV_FAIL, FW_NO_INDEX, 0,
			      "no IVHD: no IOMMU reported");
	return 0;
}

int ivrs_covers(const uint8_t *buf, size_t len, uint16_t seg, uint16_t devid)
{
	struct acpi_hdr h;
	struct acpi_sub b;
	size_t off = IVRS_HDR_LEN;
	uint32_t index = 0;
	bool broken = false, covered = false;

	if (acpi_hdr_parse(buf, len, "IVRS", &h, NULL) ||
	    h.length < IVRS_HDR_LEN)
		return FW_EBADF;
	while (ivrs_next(buf, h.length, &off, index++, &b, NULL, &broken)) {
		if (!ivrs_is_ivhd(b.type) || b.len < ivrs_block_min(b.type))
			continue;
		if (le16(buf, b.off + 16) != seg)
			continue;
		/* The IOMMU's own function is not a master to judge. */
		if (le16(buf, b.off + 4) == devid)
			return FW_IS_IOMMU;
		if (!covered && ivhd_entries(buf, &b, &devid, NULL))
			covered = true;
	}
	return covered ? FW_COVERED : FW_NOT_COVERED;
}
