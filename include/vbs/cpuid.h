/* SPDX-License-Identifier: MIT */
/*
 * OpenVBS's hypervisor CPUID interface, as a guest OS sees it.
 *
 * Leaf 0x40000000 (the range reserved for hypervisors, Intel SDM2 "CPUID"
 * leaf 40000000H, AMD APM3 "CPUID Fn4000_00[FF:00]"): EBX, ECX, EDX hold
 * the vendor signature, 12 bytes, no NUL. The hypervisor issue implements
 * the leaf; vbs-check reads it to know it runs under OpenVBS, where SVM is
 * hidden from the OS on purpose (docs/readiness.md, "Under OpenVBS").
 */
#ifndef VBS_CPUID_H
#define VBS_CPUID_H

#define VBS_CPUID_LEAF_VENDOR 0x40000000u
/* EBX "Open", ECX "VBSH", EDX "yper" */
#define VBS_CPUID_SIGNATURE "OpenVBSHyper"
#define VBS_CPUID_SIGNATURE_LEN 12

#endif
