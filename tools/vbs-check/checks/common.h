/* SPDX-License-Identifier: MIT */
/*
 * vbs-check: what the requirement families under checks/ share (one file
 * per family: cpu.c R1/R2/R9, iommu.c R3, tpm.c R4, smm.c R5, mat.c R6,
 * mor.c R7, drivers.c R8, secureboot.c R10; the table and the run are in
 * ../checks.c). Internal to vbs-check; the public interface is checks.h.
 */
#ifndef VBS_CHECK_CHECKS_COMMON_H
#define VBS_CHECK_CHECKS_COMMON_H

#include "checks.h"
#include "text.h"

#include "fw/dmar.h"
#include "fw/ivrs.h"
#include "fw/mor.h"
#include "fw/rules.h"
#include "fw/tpm2.h"
#include "fw/wsmt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ACPI_TABLES "/sys/firmware/acpi/tables"
#define EFIVARS "/sys/firmware/efi/efivars"
#define EFI_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"

/* Sets the verdict: result, fwupd result code, message. */
void vc_set(struct vc_check *c, enum vc_result r, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Adds a fwupd flag ("action-contact-oem", ...); at most four. */
void vc_flag(struct vc_check *c, const char *f);
/* Why evidence could not be read, in words a user can act on (static). */
const char *vc_why(int err, const char *path);

bool vc_has_name(const struct ev_list *l, const char *name);
/* Reads an ACPI table; -ENOENT when the (world-readable) listing lacks it. */
int vc_read_table(struct ev *ev, const struct ev_list *tables,
		  int tables_err, const char *sig, struct ev_buf *out);
/* Message of the first finding with this severity ("" if none). */
const char *vc_first_finding_msg(const struct vc_check *c, enum fw_sev sev);
/* The verdict of a findings report: its worst severity. */
enum vc_result vc_worst_of(const struct fw_report *r);

/* AMD (or Hygon) CPU: SVM and the AMD MSRs apply. */
bool vc_is_amd(const struct vc_cpu_facts *f);

/* Gather and judge one requirement on this Linux system (the table's
 * linux_eval column). */
void vc_eval_r1(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r2(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r3(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r4(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r5(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r6(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r7(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r8(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r9(struct vc_ctx *x, struct vc_check *c);
void vc_eval_r10(struct vc_ctx *x, struct vc_check *c);

#endif
