/* SPDX-License-Identifier: MIT */
/* vbs-check output: text (virt-host-validate style) and JSON. */
#ifndef VBS_CHECK_OUT_H
#define VBS_CHECK_OUT_H

#include "checks.h"

#include <stdio.h>

/*
 * One line per check (lib/boot/checks.h vbs_format_check, the loader's
 * format too), the loader's finding as a "[firmware: ...]" column, then a
 * line about the loader's report itself.
 */
void vc_print_text(FILE *o, const struct vc_loader *loader,
		   const struct vc_check *c, size_t n, bool colour, bool quiet);
/* A check's result in the report vocabulary (pass with a note: note). */
uint8_t vc_to_vbs_result(const struct vc_check *c);
/* Returns 0, or -1 when JSON could not be built or written. */
int vc_print_json(FILE *o, const struct vc_ctx *ctx, const struct vc_check *c,
		  size_t n, int exit_code);

#endif
