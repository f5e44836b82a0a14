// SPDX-License-Identifier: MIT
/*
 * vbs-check R6: the UEFI Memory Attributes Table (readiness-spec §3 R6, §2;
 * docs/readiness.md).
 */
#include "common.h"

/* ---- R6: EFI Memory Attributes Table (readiness-spec §3 R6, §2) -------- */

#define MAT_LOG_MAX 8192

int mat_facts_klog_line(struct vc_mat_facts *f, const char *line, size_t len)
{
	struct memattr_line m;
	uint64_t addr;

	if (len >= 5 && !memcmp(line, "efi: ", 5))
		f->efi_lines = true;
	if (text_efi_memattr_addr(line, len, &addr)) {
		f->memattr_found = true;
		f->memattr_addr = addr;
		return 0;
	}
	switch (text_memattr_parse(line, len, &m)) {
	case MEMATTR_HEADER:
		f->debug_listing = true;
		break;
	case MEMATTR_MALFORMED:
		f->n_malformed++;
		break;
	case MEMATTR_ENTRY:
		if (f->n_log >= MAT_LOG_MAX)
			return -ENOSPC;
		if (!f->log_entries) {
			f->log_entries = calloc(MAT_LOG_MAX, sizeof(*f->log_entries));
			f->log_invalid = calloc(MAT_LOG_MAX, sizeof(*f->log_invalid));
			if (!f->log_entries || !f->log_invalid)
				return -ENOMEM;
		}
		f->log_entries[f->n_log] = (struct efi_md){
			.type = m.type, .phys = m.start, .pages = m.pages,
			.attr = m.attr,
		};
		f->log_invalid[f->n_log++] = m.invalid;
		break;
	default:
		break;
	}
	return 0;
}

static void gather_runtime_map(struct ev *ev, struct vc_mat_facts *f)
{
	static const char base[] = "/sys/firmware/efi/runtime-map";
	struct ev_list l = { 0 };

	f->map_err = ev_ls(ev, base, &l);
	if (f->map_err)
		return;
	f->map = calloc(l.count ? l.count : 1, sizeof(*f->map));
	if (!f->map) {
		f->map_err = -ENOMEM;
		ev_list_free(&l);
		return;
	}
	for (size_t i = 0; i < l.count; i++) {
		char p[128];
		uint64_t type = 0;
		struct efi_md *md = &f->map[f->n_map];
		int err = 0;
#define RTMAP(field, dst)                                                  \
		snprintf(p, sizeof(p), "%s/%s/" field, base, l.names[i]);  \
		err = err ? err : ev_read_u64(ev, p, dst)
		RTMAP("type", &type);
		RTMAP("phys_addr", &md->phys);
		RTMAP("num_pages", &md->pages);
		RTMAP("attribute", &md->attr);
#undef RTMAP
		if (err) {
			f->map_err = err;
			break;
		}
		md->type = (uint32_t)type;
		f->n_map++;
	}
	ev_list_free(&l);
}

/* --devmem-mat: header first, then 16 + N*stride bytes, bounded. */
static void gather_raw_mat(struct ev *ev, struct vc_mat_facts *f)
{
	struct ev_buf h = { 0 };
	f->raw_err = ev->ops->physmem(ev, f->memattr_addr, MAT_HDR_LEN, &h);
	if (f->raw_err)
		return;
	uint64_t n = le32(h.data, 4), stride = le32(h.data, 8), total;
	ev_buf_free(&h);
	if (n > MAT_MAX_ENTRIES || stride > 4096 ||
	    __builtin_mul_overflow(n, stride, &total) ||
	    __builtin_add_overflow(total, MAT_HDR_LEN, &total) ||
	    total > EV_MAT_MAX) {
		/* read only the header: the MAT-H* rules will say why */
		total = MAT_HDR_LEN;
	}
	f->raw_err = ev->ops->physmem(ev, f->memattr_addr, (size_t)total,
				      &f->raw);
}

void gather_mat(struct ev *ev, bool devmem, struct vc_mat_facts *f)
{
	struct ev_list l = { 0 };
	struct ev_buf k = { 0 };

	memset(f, 0, sizeof(*f));
	f->raw_err = -ENOENT;
	f->efi_err = ev_ls(ev, "/sys/firmware/efi", &l);
	f->efi = !f->efi_err;
	ev_list_free(&l);
	if (!f->efi)
		return;
	f->klog_err = ev->ops->klog(ev, &k);
	if (!f->klog_err) {
		const char *s = (const char *)k.data;
		for (size_t i = 0; i < k.len;) {
			const char *nl = memchr(s + i, '\n', k.len - i);
			size_t end = nl ? (size_t)(nl - s) : k.len;
			if (mat_facts_klog_line(f, s + i, end - i) == -ENOMEM)
				break;
			i = end + 1;
		}
		ev_buf_free(&k);
	}
	gather_runtime_map(ev, f);
	/* a capture holding efi/mat.bin is used by --root without asking */
	if (f->memattr_found && devmem)
		gather_raw_mat(ev, f);
}

void free_mat(struct vc_mat_facts *f)
{
	free(f->log_entries);
	free(f->log_invalid);
	free(f->map);
	ev_buf_free(&f->raw);
	memset(f, 0, sizeof(*f));
}

/*
 * readiness-spec §2.2: the MAT passes iff no rule fails; C1/C2 are unknown
 * without a memory map, which leaves a pass with a note.
 */
static void r6_verdict(struct vc_check *c, const char *what)
{
	enum fw_sev worst = fw_report_worst(&c->findings);
	bool unknown = false;

	for (uint32_t i = 0; i < c->findings.count; i++)
		unknown |= c->findings.items[i].sev == FW_SEV_UNKNOWN;
	if (worst == FW_SEV_FAIL) {
		vc_set(c, VC_FAIL, "not-valid", "%s: %s", what,
		    vc_first_finding_msg(c, FW_SEV_FAIL));
		vc_flag(c, "action-contact-oem");
		return;
	}
	for (uint32_t i = 0; i < c->findings.count; i++)
		if (c->findings.items[i].sev == FW_SEV_WARN) {
			vc_set(c, VC_WARN, "valid", "%s: %s", what,
			    c->findings.items[i].msg);
			return;
		}
	vc_set(c, VC_PASS, "valid", "%s%s", what, unknown ?
	    ": memory-map cross-check not done (no runtime-map)" : "");
	c->has_note = unknown;
}

/*
 * Entry rules and (with_map) the memory-map cross-check, with scratch so
 * that a hostile table of up to MAT_MAX_ENTRIES stays O(n log n)
 * (lib/fw/mat.h); without memory for it, the O(n^2) path gives the same
 * findings.
 */
static void check_mat_entries(const struct efi_md *e, size_t n,
			      const struct vc_mat_facts *f, bool with_map,
			      struct fw_report *r)
{
	uint32_t *work = calloc(MAT_WORK_WORDS(n ? n : 1), sizeof(*work));
	size_t work_len = work ? MAT_WORK_WORDS(n) : 0;

	mat_check_entries_ws(e, n, 0, work, work_len, r);
	if (with_map)
		mat_check_memmap_ws(e, n, f->map_err ? NULL : f->map, f->n_map,
				    work, work_len, r);
	free(work);
}

static void judge_raw_mat(const struct vc_mat_facts *f, struct vc_check *c)
{
	struct mat_hdr h;
	size_t n = 0;
	struct efi_md *e = calloc(MAT_MAX_ENTRIES, sizeof(*e));

	if (!e) {
		vc_set(c, VC_ERROR, "unknown", "out of memory");
		return;
	}
	vc_evidence_add(c, "devmem", "MAT", NULL, "%zu bytes at 0x%llx",
			f->raw.len, (unsigned long long)f->memattr_addr);
	int rc = mat_parse(f->raw.data, f->raw.len, 0, &h, e, MAT_MAX_ENTRIES,
			   &n, &c->findings);
	if (rc != FW_EBADF)
		check_mat_entries(e, n, f, true, &c->findings);
	free(e);
	if (rc == FW_EBADF && fw_report_worst(&c->findings) != FW_SEV_FAIL) {
		vc_set(c, VC_UNKNOWN, "unknown", "raw MAT not judged: %s",
		    vc_first_finding_msg(c, FW_SEV_UNKNOWN));
		return;
	}
	r6_verdict(c, "raw MAT");
}

static void judge_log_mat(const struct vc_mat_facts *f, struct vc_check *c)
{
	size_t n_invalid = 0;
	for (size_t i = 0; i < f->n_log; i++)
		n_invalid += f->log_invalid[i];
	vc_evidence_add(c, "dmesg", "efi: MEMATTR", "kernel-log", "0x%llx",
			(unsigned long long)f->memattr_addr);
	vc_evidence_add(c, "dmesg", "efi: memattr entries", "kernel-log",
			"%zu listed, %zu invalid%s", f->n_log, n_invalid,
			f->debug_listing ? " (efi=debug)" : "");
	if (f->n_malformed)
		fw_report_add(&c->findings, "R6-LOG", FW_SEV_WARN, FW_NO_INDEX,
			      f->n_malformed, "memattr log lines did not parse");
	if (f->debug_listing) {
		/* every entry is in the log: the full entry rules apply */
		check_mat_entries(f->log_entries, f->n_log, f, true,
				  &c->findings);
		r6_verdict(c, "MAT (kernel log, efi=debug)");
		return;
	}
	if (n_invalid) {
		/* only Linux-rejected entries are printed: judge those */
		check_mat_entries(f->log_entries, f->n_log, f, false,
				  &c->findings);
		if (vc_worst_of(&c->findings) == VC_FAIL) {
			r6_verdict(c, "MAT (kernel log)");
			return;
		}
		fw_report_add(&c->findings, "R6-LINUX", FW_SEV_FAIL, FW_NO_INDEX,
			      n_invalid, "Linux rejected MAT entries");
		r6_verdict(c, "MAT (kernel log)");
		return;
	}
	vc_set(c, VC_UNKNOWN, "unknown",
	    "MAT present at 0x%llx, entries not visible: boot with efi=debug "
	    "or use --devmem-mat", (unsigned long long)f->memattr_addr);
}

void judge_r6(const struct vc_mat_facts *f, enum vc_profile p,
	      struct vc_check *c)
{
	enum vc_result absent = p == VC_PROFILE_OEM ? VC_FAIL : VC_WARN;

	if (!f->efi) {
		if (f->efi_err != -ENOENT)
			vc_set(c, VC_UNKNOWN, "unknown", "%s",
			    vc_why(f->efi_err, "/sys/firmware/efi"));
		else
			vc_set(c, absent, "not-found",
			    "not booted through UEFI: no Memory Attributes Table");
		return;
	}
	if (f->raw.data) {
		judge_raw_mat(f, c);
		return;
	}
	if (f->klog_err) {
		vc_set(c, VC_UNKNOWN, "unknown", "kernel log not readable: %s",
		    vc_why(f->klog_err, "syslog"));
		return;
	}
	if (!f->memattr_found) {
		if (!f->efi_lines) {
			vc_set(c, VC_UNKNOWN, "unknown",
			    "the kernel log no longer holds the EFI boot lines");
			return;
		}
		vc_set(c, absent, "not-found",
		    "firmware publishes no EFI Memory Attributes Table");
		vc_flag(c, "action-contact-oem");
		return;
	}
	judge_log_mat(f, c);
}

void vc_eval_r6(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_mat_facts f;
	/* replay: efi/mat.bin in the capture is used when it is there */
	gather_mat(x->ev, x->opt.devmem_mat || x->opt.replay, &f);
	judge_r6(&f, x->opt.profile, c);
	free_mat(&f);
}
