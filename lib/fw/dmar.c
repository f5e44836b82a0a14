// SPDX-License-Identifier: MIT
/*
 * DMAR: DMA Remapping Reporting table [E-DMAR, L-DMAR]; Intel VT-d
 * Architecture Specification §8 "BIOS Considerations".
 *
 * One walker serves both dmar_parse() (with a report) and dmar_covers()
 * (report NULL): every structure and device scope is bounds-checked
 * against its container before any field is read, and a Length that
 * would not advance the walk ends it.
 */
#include "fw/dmar.h"

#define DMAR_SCOPE_HDR 6u


/* VT-d §8.3-§8.9: fixed part of each remapping structure type. */
static size_t dmar_type_min(uint16_t type)
{
	switch (type) {
	case DMAR_TYPE_DRHD:
		return 16; /* §8.3 DRHD: ..., Register Base Address @8 */
	case DMAR_TYPE_RMRR:
		return 24; /* §8.4 RMRR: base @8, limit @16 */
	case DMAR_TYPE_ATSR:
		return 8;  /* §8.5 ATSR: flags, segment */
	case DMAR_TYPE_RHSA:
		return 20; /* §8.6 RHSA: base @8, proximity domain @16 */
	case DMAR_TYPE_ANDD:
		return 8;  /* §8.7 ANDD: reserved[3], device number, name */
	case DMAR_TYPE_SATC:
		return 8;  /* §8.8 SATC: flags, segment */
	}
	return ACPI_SUB_HDR;
}

/* Where a type's device scopes start (0: the type has none). */
static size_t dmar_scope_start(uint16_t type)
{
	switch (type) {
	case DMAR_TYPE_DRHD:
		return 16;
	case DMAR_TYPE_RMRR:
		return 24;
	case DMAR_TYPE_ATSR:
	case DMAR_TYPE_SATC:
		return 8;
	}
	return 0;
}

/*
 * Step to the structure at *off. Returns true with *s filled when a
 * whole structure of at least its type's minimum lies in [*off, end);
 * false ends the walk (*off is set to end when the walk completed).
 */
static const struct acpi_sub_layout dmar_layout = {
	.type_width = 2, .len_off = 2,
	.rule_hdr = "DMAR-S1", .msg_hdr = "structure header overruns table",
	.rule_short = "DMAR-S3",
	.msg_short = "structure Length below 4 (zero-length)",
	.rule_len = "DMAR-S2", .msg_len = "structure Length overruns table",
};

/* VT-d §8.2: remapping structures follow the DMAR header back to back. */
static bool dmar_next(const uint8_t *buf, size_t end, size_t *off,
		      uint32_t index, struct acpi_sub *s,
		      struct fw_report *r, bool *broken)
{
	return acpi_sub_next(buf, end, off, index, &dmar_layout, s, r, broken);
}

struct dmar_scope {
	uint8_t type;
	uint8_t start_bus;
	size_t path_off;  /* first (device, function) pair */
	size_t n_hops;
};

/* Step to the device scope at *off inside structure [.., send). */
static bool dmar_scope_next(const uint8_t *buf, size_t send, size_t *off,
			    int32_t index, struct dmar_scope *sc,
			    struct fw_report *r)
{
	size_t clen;

	if (*off >= send)
		return false;
	/* VT-d §8.3.1 "Device Scope Structure" */
	if (!span_ok(send, *off, 2)) {
		fw_report_add(r, "DMAR-C1", FW_SEV_FAIL, index, send - *off,
			      "device scope header overruns structure");
		return false;
	}
	sc->type = le8(buf, *off);
	clen = le8(buf, *off + 1);
	if (clen < DMAR_SCOPE_HDR || (clen - DMAR_SCOPE_HDR) % 2) {
		fw_report_add(r, "DMAR-C2", FW_SEV_FAIL, index, clen,
			      "device scope Length < 6 or odd path");
		if (clen < DMAR_SCOPE_HDR)
			return false;
	}
	if (!span_ok(send, *off, clen)) {
		fw_report_add(r, "DMAR-C3", FW_SEV_FAIL, index, clen,
			      "device scope Length overruns structure");
		return false;
	}
	sc->start_bus = le8(buf, *off + 5);
	sc->path_off = *off + DMAR_SCOPE_HDR;
	sc->n_hops = (clen - DMAR_SCOPE_HDR) / 2;
	*off += clen;
	return true;
}

static void dmar_scope_rules(const uint8_t *buf, const struct acpi_sub *s,
			     struct fw_report *r)
{
	size_t off = s->off + dmar_scope_start(s->type);
	size_t send = s->off + s->len;
	struct dmar_scope sc;

	while (dmar_scope_next(buf, send, &off, (int32_t)s->index, &sc, r)) {
		if (sc.type < DMAR_SCOPE_ENDPOINT || sc.type > DMAR_SCOPE_ACPI)
			fw_report_add(r, "DMAR-C4", FW_SEV_WARN,
				      (int32_t)s->index, sc.type,
				      "unknown device scope type");
		if ((sc.type == DMAR_SCOPE_ENDPOINT ||
		     sc.type == DMAR_SCOPE_BRIDGE) && sc.n_hops == 0)
			fw_report_add(r, "DMAR-C5", FW_SEV_FAIL,
				      (int32_t)s->index, sc.type,
				      "PCI device scope without a path");
	}
}

static void dmar_drhd_rules(const uint8_t *buf, const struct acpi_sub *s,
			    struct dmar *d, struct fw_report *r)
{
	uint64_t base = le64(buf, s->off + 8);

	d->n_drhd++;
	if (le8(buf, s->off + 4) & DMAR_DRHD_INCLUDE_PCI_ALL)
		d->n_include_all++;
	if (base == 0)
		fw_report_add(r, "DMAR-D2", FW_SEV_FAIL, (int32_t)s->index, 0,
			      "DRHD Register Base Address is zero");
	else if (base & 0xfff)
		fw_report_add(r, "DMAR-D3", FW_SEV_WARN, (int32_t)s->index,
			      base, "DRHD Register Base not 4 KiB aligned");
}

/* VT-d §8.4: base 4 KiB aligned, limit + 1 4 KiB aligned, base <= limit */
static void dmar_rmrr_rules(const uint8_t *buf, const struct acpi_sub *s,
			    struct fw_report *r)
{
	uint64_t base = le64(buf, s->off + 8);
	uint64_t limit = le64(buf, s->off + 16);

	if (limit < base || (base & 0xfff) || ((limit & 0xfff) != 0xfff))
		fw_report_add(r, "DMAR-R1", FW_SEV_WARN, (int32_t)s->index,
			      base, "RMRR base/limit invalid");
}

static void dmar_count(struct dmar *d, uint16_t type)
{
	switch (type) {
	case DMAR_TYPE_RMRR:
		d->n_rmrr++;
		break;
	case DMAR_TYPE_ATSR:
		d->n_atsr++;
		break;
	case DMAR_TYPE_RHSA:
		d->n_rhsa++;
		break;
	case DMAR_TYPE_ANDD:
		d->n_andd++;
		break;
	case DMAR_TYPE_SATC:
		d->n_satc++;
		break;
	default:
		break;
	}
}

static void dmar_struct_rules(const uint8_t *buf, const struct acpi_sub *s,
			      struct dmar *d, struct fw_report *r)
{
	if (s->type > DMAR_TYPE_SATC) {
		d->n_unknown++;
		fw_report_add(r, "DMAR-S5", FW_SEV_NOTE, (int32_t)s->index,
			      s->type, "unknown remapping structure type");
		return;
	}
	if (s->len < dmar_type_min(s->type)) {
		fw_report_add(r, "DMAR-S4", FW_SEV_FAIL, (int32_t)s->index,
			      s->len, "structure shorter than its type needs");
		return;
	}
	if (s->type == DMAR_TYPE_DRHD)
		dmar_drhd_rules(buf, s, d, r);
	else
		dmar_count(d, s->type);
	if (s->type == DMAR_TYPE_RMRR)
		dmar_rmrr_rules(buf, s, r);
	if (dmar_scope_start(s->type))
		dmar_scope_rules(buf, s, r);
}

int dmar_parse(const uint8_t *buf, size_t len, struct dmar *out,
	       struct fw_report *r)
{
	struct acpi_sub s;
	size_t off = DMAR_HDR_LEN, end;
	uint32_t index = 0;
	bool broken = false;
	int ret;

	if (!out)
		return FW_EINVAL;
	vbs_memset(out, 0, sizeof(*out));
	ret = acpi_hdr_parse(buf, len, "DMAR", &out->hdr, r);
	if (ret)
		return ret;
	end = out->hdr.length;
	if (end < DMAR_HDR_LEN) {
		fw_report_add(r, "DMAR-H1", FW_SEV_FAIL, FW_NO_INDEX, end,
			      "DMAR Length below 48");
		return FW_EBADF;
	}
	/* VT-d §8.1: "Host Address Width: ... N-1" */
	out->haw = le8(buf, 36);
	out->flags = le8(buf, 37);
	if (out->haw + 1u < 32u)
		fw_report_add(r, "DMAR-H2", FW_SEV_WARN, FW_NO_INDEX,
			      out->haw + 1u, "host address width below 32");
	if (!(out->flags & DMAR_DMA_CTRL_PLATFORM_OPT_IN))
		fw_report_add(r, "DMAR-F1", FW_SEV_WARN, FW_NO_INDEX,
			      out->flags,
			      "DMA_CTRL_PLATFORM_OPT_IN_FLAG clear");
	if (!(out->flags & DMAR_INTR_REMAP))
		fw_report_add(r, "DMAR-F2", FW_SEV_NOTE, FW_NO_INDEX,
			      out->flags, "INTR_REMAP clear");
	while (dmar_next(buf, end, &off, index, &s, r, &broken)) {
		dmar_struct_rules(buf, &s, out, r);
		index++;
	}
	out->walk_complete = !broken;
	if (out->n_drhd == 0)
		fw_report_add(r, "DMAR-D1", FW_SEV_FAIL, FW_NO_INDEX, 0,
			      "no DRHD: no remapping hardware unit reported");
	return 0;
}

struct pci_fn {
	uint16_t seg;
	uint8_t bus, dev, fn;
};

/*
 * VT-d §8.3.1 "Device Scope Structure": walk the path from the start bus;
 * each hop but the last is a bridge whose secondary bus the next hop is
 * on. Returns true with *target set when the path resolves.
 */
static bool dmar_resolve(const uint8_t *buf, const struct dmar_scope *sc,
			 uint16_t seg, fw_pci_bridge_fn bridge_fn, void *ctx,
			 struct pci_fn *target)
{
	uint8_t bus = sc->start_bus, sec, sub;
	size_t i;

	for (i = 0; i < sc->n_hops; i++) {
		uint8_t dev = le8(buf, sc->path_off + 2 * i);
		uint8_t fn = le8(buf, sc->path_off + 2 * i + 1);

		if (i + 1 == sc->n_hops) {
			target->seg = seg;
			target->bus = bus;
			target->dev = dev;
			target->fn = fn;
			return true;
		}
		if (!bridge_fn || bridge_fn(ctx, seg, bus, dev, fn, &sec, &sub))
			return false;
		bus = sec;
	}
	return false;
}

static bool dmar_scope_covers(const uint8_t *buf, const struct dmar_scope *sc,
			      const struct pci_fn *q, fw_pci_bridge_fn bridge_fn,
			      void *ctx)
{
	struct pci_fn t;
	uint8_t sec, sub;

	if (sc->type != DMAR_SCOPE_ENDPOINT && sc->type != DMAR_SCOPE_BRIDGE)
		return false;
	if (!dmar_resolve(buf, sc, q->seg, bridge_fn, ctx, &t))
		return false;
	if (t.bus == q->bus && t.dev == q->dev && t.fn == q->fn)
		return true;
	/* §8.3.1: a bridge scope covers everything below the bridge. */
	if (sc->type != DMAR_SCOPE_BRIDGE || !bridge_fn ||
	    bridge_fn(ctx, t.seg, t.bus, t.dev, t.fn, &sec, &sub))
		return false;
	return q->bus >= sec && q->bus <= sub;
}

static bool dmar_drhd_covers(const uint8_t *buf, const struct acpi_sub *s,
			     const struct pci_fn *q, fw_pci_bridge_fn bridge_fn,
			     void *ctx)
{
	size_t off = s->off + 16, send = s->off + s->len;
	struct dmar_scope sc;

	if (le16(buf, s->off + 6) != q->seg)
		return false;
	/* §8.3 INCLUDE_PCI_ALL: every device of the segment not reported
	 * under another DRHD is under this one. */
	if (le8(buf, s->off + 4) & DMAR_DRHD_INCLUDE_PCI_ALL)
		return true;
	while (dmar_scope_next(buf, send, &off, 0, &sc, NULL))
		if (dmar_scope_covers(buf, &sc, q, bridge_fn, ctx))
			return true;
	return false;
}

int dmar_covers(const uint8_t *buf, size_t len, uint16_t seg, uint8_t bus,
		uint8_t dev, uint8_t fn, fw_pci_bridge_fn bridge_fn,
		void *ctx)
{
	struct pci_fn q = { .seg = seg, .bus = bus, .dev = dev, .fn = fn };
	struct acpi_hdr h;
	struct acpi_sub s;
	size_t off = DMAR_HDR_LEN;
	uint32_t index = 0;
	bool broken = false;

	if (acpi_hdr_parse(buf, len, "DMAR", &h, NULL) ||
	    h.length < DMAR_HDR_LEN)
		return FW_EBADF;
	while (dmar_next(buf, h.length, &off, index++, &s, NULL, &broken)) {
		if (s.type != DMAR_TYPE_DRHD || s.len < dmar_type_min(s.type))
			continue;
		if (dmar_drhd_covers(buf, &s, &q, bridge_fn, ctx))
			return FW_COVERED;
	}
	return FW_NOT_COVERED;
}
