/* SPDX-License-Identifier: MIT */
/* vbs-check output: text (virt-host-validate style) and JSON. */
#ifndef VBS_CHECK_OUT_H
#define VBS_CHECK_OUT_H

#include "checks.h"

#include <stdio.h>

void vc_print_text(FILE *o, const struct vc_check *c, size_t n, bool colour,
		   bool quiet);
/* Returns 0, or -1 when JSON could not be built or written. */
int vc_print_json(FILE *o, const struct vc_ctx *ctx, const struct vc_check *c,
		  size_t n, int exit_code);

#endif
