// SPDX-License-Identifier: MIT
/*
 * vbs-check R8: memory-integrity-compatible drivers (readiness-spec §3 R8):
 * advisory, and not observable from Linux.
 */
#include "common.h"

void vc_eval_r8(struct vc_ctx *x, struct vc_check *c)
{
	(void)x;
	vc_set(c, VC_NA, "not-supported",
	       "not observable from Linux: use Driver Verifier and the HLK "
	       "HVCI readiness test");
}
