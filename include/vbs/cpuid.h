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

/*
 * The rest of the range (docs/abi.md "CPUID"), readable at any CPL:
 * 0x40000000  EAX = highest leaf (VBS_CPUID_LEAF_MAX), EBX:ECX:EDX = vendor
 * 0x40000001  EAX = interface version (VBS_HC_ABI_VERSION), EBX =
 *             hypervisor version (major<<16 | minor<<8 | patch), ECX =
 *             number of counters (VBS_CTR_COUNT), EDX = this CPU's index
 * 0x40000002  ECX = counter index in: EAX = low, EBX = high 32 bits of this
 *             CPU's counter, ECX = the index echoed, EDX = 1 when the index
 *             is valid (all zero otherwise). Counters: include/vbs/hypercall.h
 */
#define VBS_CPUID_LEAF_INFO 0x40000001u
#define VBS_CPUID_LEAF_COUNTERS 0x40000002u
#define VBS_CPUID_LEAF_MAX VBS_CPUID_LEAF_COUNTERS

#endif
