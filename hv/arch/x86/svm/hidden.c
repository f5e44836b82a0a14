// SPDX-License-Identifier: MIT
/*
 * Hidden memory (docs/hypervisor.md "VTL1", "Nested page tables"): the
 * hypervisor's region is the zero page in both VTLs' nested page tables
 * (hv_npt and hv_vtl1.npt), the secure kernel's region in VTL0's
 * (hv_npt) only. The one test of a guest-physical range against them,
 * for every exit that reads, names or changes guest memory on a VTL's
 * behalf (exits/npf.c, exits/intercept.c, exits/vtl.c, vcpu.c).
 */
#include "arch/x86/svm/svm.h"
#include "base/range.h"

/* A range that runs past 2^64 is no guest memory at all: refused as
 * hidden too, so that no caller has to remember to. */
bool hv_hidden_from_vtl(unsigned int vtl, uint64_t gpa, uint64_t len)
{
	if (vbs_range_wraps(gpa, len) ||
	    vbs_range_overlaps(gpa, len, hv_region.base, hv_region.size))
		return true;
	return vtl == 0 && hv_vtl1.present &&
	       vbs_range_overlaps(gpa, len, hv_vtl1.base, hv_vtl1.size);
}
