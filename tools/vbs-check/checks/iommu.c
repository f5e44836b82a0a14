// SPDX-License-Identifier: MIT
/*
 * vbs-check R3: an IOMMU in front of every DMA-capable device
 * (readiness-spec §3 R3; docs/readiness.md).
 */
#include "common.h"

/* ---- R3: IOMMU (readiness-spec §3 R3; sysfs-kernel-iommu_groups ABI) ---- */

static bool parse_bdf(const char *s, struct vc_pci_dev *d)
{
	unsigned seg, bus, dev, fn;
	char tail;
	if (sscanf(s, "%4x:%2x:%2x.%1x%c", &seg, &bus, &dev, &fn, &tail) != 4 ||
	    dev > 31 || fn > 7)
		return false;
	d->seg = (uint16_t)seg;
	d->bus = (uint8_t)bus;
	d->dev = (uint8_t)dev;
	d->fn = (uint8_t)fn;
	return true;
}

static void gather_pci_dev(struct ev *ev, struct vc_pci_dev *d)
{
	char p[160], link[256], s[32];
	struct ev_buf cfg = { 0 };

	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/iommu_group", d->name);
	d->group = -1;
	d->group_err = ev_readlink(ev, p, link, sizeof(link));
	if (!d->group_err) {
		const char *base = strrchr(link, '/');
		uint64_t g;
		if (base && text_parse_u64(base + 1, &g) && g < 1u << 30)
			d->group = (int)g;
		snprintf(p, sizeof(p), "/sys/kernel/iommu_groups/%d/type",
			 d->group);
		if (d->group >= 0 &&
		    ev_read_str(ev, p, d->group_type, sizeof(d->group_type)))
			d->group_type[0] = '\0';
	} else if (d->group_err == -ENOENT) {
		d->group_err = 0; /* no group */
	}
	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/removable", d->name);
	if (!ev_read_str(ev, p, s, sizeof(s)))
		d->removable = !strcmp(s, "removable");
	/* PCI 3.0 §6.1 "Configuration Space Organization": header type @0x0E,
	 * type 1 (bridge) secondary bus @0x19, subordinate bus @0x1A */
	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/config", d->name);
	if (!ev_read(ev, p, &cfg) && cfg.len >= 0x1b) {
		d->class_code = (uint32_t)cfg.data[0x0b] << 16 |
				(uint32_t)cfg.data[0x0a] << 8 | cfg.data[0x09];
		if ((cfg.data[0x0e] & 0x7f) == 1) {
			d->bridge = true;
			d->secondary = cfg.data[0x19];
			d->subordinate = cfg.data[0x1a];
		}
	}
	ev_buf_free(&cfg);
}

void gather_iommu(struct ev *ev, bool guest, struct vc_iommu_facts *f)
{
	struct ev_list l = { 0 };

	memset(f, 0, sizeof(*f));
	f->guest = guest;
	f->tables_err = ev_ls(ev, ACPI_TABLES, &l);
	f->dmar_err = vc_read_table(ev, &l, f->tables_err, "DMAR", &f->dmar);
	f->ivrs_err = vc_read_table(ev, &l, f->tables_err, "IVRS", &f->ivrs);
	ev_list_free(&l);
	f->class_err = ev_ls(ev, "/sys/class/iommu", &l);
	f->n_iommu_class = l.count;
	ev_list_free(&l);
	f->groups_err = ev_ls(ev, "/sys/kernel/iommu_groups", &l);
	f->n_groups = l.count;
	ev_list_free(&l);
	f->pci_err = ev_ls(ev, "/sys/bus/pci/devices", &l);
	f->pci = calloc(l.count ? l.count : 1, sizeof(*f->pci));
	for (size_t i = 0; f->pci && i < l.count; i++) {
		struct vc_pci_dev *d = &f->pci[f->n_pci];
		if (!parse_bdf(l.names[i], d))
			continue;
		snprintf(d->name, sizeof(d->name), "%s", l.names[i]);
		gather_pci_dev(ev, d);
		f->n_pci++;
	}
	ev_list_free(&l);
	/* ABI sysfs-bus-thunderbolt: domainX/iommu_dma_protection */
	if (!ev_ls(ev, "/sys/bus/thunderbolt/devices", &l)) {
		for (size_t i = 0; i < l.count; i++) {
			char p[160], v[8];
			if (strncmp(l.names[i], "domain", 6))
				continue;
			snprintf(p, sizeof(p), "/sys/bus/thunderbolt/devices/%s/"
				 "iommu_dma_protection", l.names[i]);
			if (!ev_read_str(ev, p, v, sizeof(v)) && !strcmp(v, "0"))
				f->n_tbt_unprotected++;
		}
		ev_list_free(&l);
	}
	struct ev_buf k = { 0 };
	if (!ev->ops->klog(ev, &k)) {
		/* drivers/iommu/intel/iommu.c platform_optin_force_iommu() */
		f->klog_forced_optin = strstr((char *)k.data,
			"Intel-IOMMU force enabled due to platform opt in");
		ev_buf_free(&k);
	}
}

void free_iommu(struct vc_iommu_facts *f)
{
	ev_buf_free(&f->dmar);
	ev_buf_free(&f->ivrs);
	free(f->pci);
	f->pci = NULL;
}

static int bridge_lookup(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
			 uint8_t fn, uint8_t *secondary, uint8_t *subordinate)
{
	const struct vc_iommu_facts *f = ctx;
	for (size_t i = 0; i < f->n_pci; i++) {
		const struct vc_pci_dev *d = &f->pci[i];
		if (d->seg == seg && d->bus == bus && d->dev == dev &&
		    d->fn == fn && d->bridge) {
			*secondary = d->secondary;
			*subordinate = d->subordinate;
			return 0;
		}
	}
	return -1;
}

/* PCI 3.0 Appendix D: class 08h subclass 06h is an IOMMU. */
#define PCI_CLASS_IOMMU 0x0806u

/*
 * Table coverage of every PCI function (kernel-independent). The IOMMU's
 * own function (IVRS: the IVHD's DeviceId; any: class 0806h) is not a DMA
 * master to be judged: is_iommu[i] marks it for r3_groups().
 */
static void r3_coverage(const struct vc_iommu_facts *f, bool intel,
			bool *is_iommu, struct vc_check *c)
{
	const struct ev_buf *t = intel ? &f->dmar : &f->ivrs;
	for (size_t i = 0; i < f->n_pci; i++) {
		const struct vc_pci_dev *d = &f->pci[i];
		int cov = intel ?
			dmar_covers(t->data, t->len, d->seg, d->bus, d->dev,
				    d->fn, bridge_lookup, (void *)f) :
			ivrs_covers(t->data, t->len, d->seg,
				    ivrs_devid(d->bus, d->dev, d->fn));
		is_iommu[i] = cov == FW_IS_IOMMU ||
			      d->class_code >> 8 == PCI_CLASS_IOMMU;
		if (cov == FW_NOT_COVERED && !is_iommu[i])
			fw_report_add(&c->findings, "R3-COVER", FW_SEV_FAIL,
				      (int32_t)i, (uint64_t)d->seg << 16 |
				      ivrs_devid(d->bus, d->dev, d->fn),
				      "PCI function not covered by the IOMMU table");
	}
}

/* The running IOMMU driver: every PCI function in a group. */
static void r3_groups(const struct vc_iommu_facts *f, const bool *is_iommu,
		      struct vc_check *c)
{
	for (size_t i = 0; i < f->n_pci; i++) {
		const struct vc_pci_dev *d = &f->pci[i];
		if (is_iommu[i])
			continue;
		uint64_t bdf = (uint64_t)d->seg << 16 |
			       ivrs_devid(d->bus, d->dev, d->fn);
		if (d->group_err)
			fw_report_add(&c->findings, "R3-GROUP", FW_SEV_UNKNOWN,
				      (int32_t)i, bdf,
				      "iommu_group link not readable");
		else if (d->group < 0)
			fw_report_add(&c->findings, "R3-GROUP", FW_SEV_FAIL,
				      (int32_t)i, bdf,
				      "PCI function has no IOMMU group");
		else if (d->removable && !strcmp(d->group_type, "identity"))
			fw_report_add(&c->findings, "R3-IDENTITY", FW_SEV_WARN,
				      (int32_t)i, bdf,
				      "removable device in an identity "
				      "(untranslated) IOMMU group");
	}
}

/* Name of the PCI function of the first finding with this rule. */
static const char *first_dev(const struct vc_iommu_facts *f,
			     const struct vc_check *c, const char *rule)
{
	for (uint32_t i = 0; i < c->findings.count; i++) {
		const struct fw_finding *x = &c->findings.items[i];
		if (!strcmp(x->rule, rule) && x->index >= 0 &&
		    (size_t)x->index < f->n_pci)
			return f->pci[x->index].name;
	}
	return "?";
}

void judge_r3(const struct vc_iommu_facts *f, struct vc_check *c)
{
	bool intel = !f->dmar_err, amd = !f->ivrs_err;

	if (!intel && !amd) {
		int e = f->dmar_err != -ENOENT ? f->dmar_err : f->ivrs_err;
		if (e != -ENOENT) {
			vc_set(c, VC_UNKNOWN, "unknown", "cannot read the IOMMU table: %s",
			    vc_why(e, f->dmar_err != -ENOENT ? ACPI_TABLES "/DMAR"
							  : ACPI_TABLES "/IVRS"));
			return;
		}
		if (f->guest) {
			vc_set(c, VC_NA, "not-found",
			    "guest without a virtual IOMMU (no DMAR/IVRS table)");
			return;
		}
		vc_set(c, VC_FAIL, "not-found",
		    "no DMAR/IVRS ACPI table: no IOMMU, or disabled in firmware");
		vc_flag(c, "action-config-fw");
		return;
	}
	if (intel) {
		struct dmar d;
		vc_evidence_add(c, "acpi", "DMAR", NULL, "%zu bytes", f->dmar.len);
		if (dmar_parse(f->dmar.data, f->dmar.len, &d, &c->findings)) {
			vc_set(c, VC_FAIL, "not-valid", "DMAR table malformed");
			vc_flag(c, "action-contact-oem");
			return;
		}
		vc_evidence_add(c, "acpi", "DMAR flags", NULL, "0x%02x", d.flags);
	} else {
		struct ivrs v;
		vc_evidence_add(c, "acpi", "IVRS", NULL, "%zu bytes", f->ivrs.len);
		if (ivrs_parse(f->ivrs.data, f->ivrs.len, &v, &c->findings)) {
			vc_set(c, VC_FAIL, "not-valid", "IVRS table malformed");
			vc_flag(c, "action-contact-oem");
			return;
		}
		vc_evidence_add(c, "acpi", "IVRS IVinfo", NULL, "0x%08x", v.ivinfo);
	}
	if (f->pci_err)
		fw_report_add(&c->findings, "R3-PCI", FW_SEV_UNKNOWN, FW_NO_INDEX,
			      0, "PCI devices not listable");
	bool *is_iommu = calloc(f->n_pci ? f->n_pci : 1, sizeof(*is_iommu));
	if (!is_iommu) {
		vc_set(c, VC_ERROR, "unknown", "out of memory");
		return;
	}
	r3_coverage(f, intel, is_iommu, c);
	bool active = !f->class_err && f->n_iommu_class > 0;
	vc_evidence_add(c, "sysfs", "/sys/class/iommu", NULL, "%zu",
			f->n_iommu_class);
	vc_evidence_add(c, "sysfs", "/sys/kernel/iommu_groups", NULL, "%zu",
			f->n_groups);
	if (f->n_tbt_unprotected)
		fw_report_add(&c->findings, "R3-TBT", FW_SEV_WARN, FW_NO_INDEX,
			      f->n_tbt_unprotected, "Thunderbolt domain without "
			      "IOMMU DMA protection");
	if (active)
		r3_groups(f, is_iommu, c);
	free(is_iommu);
	if (!active)
		fw_report_add(&c->findings, "R3-ACTIVE", FW_SEV_WARN, FW_NO_INDEX,
			      0, "IOMMU driver not active (disabled on the "
			      "kernel command line?): table-only verdict");
	c->result = vc_worst_of(&c->findings);
	uint32_t gaps = fw_report_count_rule(&c->findings, "R3-COVER");
	uint32_t nogroup = 0;
	for (uint32_t i = 0; i < c->findings.count; i++)
		nogroup += !strcmp(c->findings.items[i].rule, "R3-GROUP") &&
			   c->findings.items[i].sev == FW_SEV_FAIL;
	switch (c->result) {
	case VC_FAIL:
		if (gaps)
			vc_set(c, VC_FAIL, "not-valid", "%u PCI function(s) not "
			    "covered by the %s table (%s%s)", gaps,
			    intel ? "DMAR" : "IVRS", first_dev(f, c, "R3-COVER"),
			    gaps > 1 ? ", ..." : "");
		else if (nogroup)
			vc_set(c, VC_FAIL, "not-valid", "%u PCI function(s) without "
			    "an IOMMU group (%s%s)", nogroup,
			    first_dev(f, c, "R3-GROUP"), nogroup > 1 ? ", ..." : "");
		else
			vc_set(c, VC_FAIL, "not-valid", "%s",
			    vc_first_finding_msg(c, FW_SEV_FAIL));
		vc_flag(c, "action-contact-oem");
		break;
	case VC_UNKNOWN:
		vc_set(c, VC_UNKNOWN, "unknown", "%s",
		    vc_first_finding_msg(c, FW_SEV_UNKNOWN));
		break;
	case VC_WARN:
		vc_set(c, VC_WARN, "enabled", "%s", vc_first_finding_msg(c, FW_SEV_WARN));
		break;
	default:
		vc_set(c, VC_PASS, "enabled", "%s IOMMU active, %zu PCI functions "
		    "covered", intel ? "VT-d" : "AMD-Vi", f->n_pci);
	}
}

void vc_eval_r3(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_iommu_facts f;
	gather_iommu(x->ev, x->guest, &f);
	judge_r3(&f, c);
	free_iommu(&f);
}
