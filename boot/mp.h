/* SPDX-License-Identifier: MIT */
/*
 * EFI_MP_SERVICES_PROTOCOL, as much as the loader uses (UEFI PI 1.7,
 * volume 2, §13.4 "MP Services Protocol"): gnu-efi has no header for it.
 * Only GetNumberOfProcessors and GetProcessorInfo are called; neither
 * wakes an application processor.
 */
#ifndef BOOT_MP_H
#define BOOT_MP_H

#include <efi.h>

#define EFI_MP_SERVICES_PROTOCOL_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, \
	  { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

#define PROCESSOR_AS_BSP_BIT 0x00000001
#define PROCESSOR_ENABLED_BIT 0x00000002

/* PI 1.7 vol 2 §13.4.3 EFI_PROCESSOR_INFORMATION */
typedef struct {
	UINT64 ProcessorId; /* the processor's APIC ID */
	UINT32 StatusFlag;
	struct { UINT32 Package, Core, Thread; } Location;
} EFI_PROCESSOR_INFORMATION;

typedef struct _EFI_MP_SERVICES_PROTOCOL EFI_MP_SERVICES_PROTOCOL;
struct _EFI_MP_SERVICES_PROTOCOL {
	EFI_STATUS (EFIAPI *GetNumberOfProcessors)(
		EFI_MP_SERVICES_PROTOCOL *This, UINTN *NumberOfProcessors,
		UINTN *NumberOfEnabledProcessors);
	EFI_STATUS (EFIAPI *GetProcessorInfo)(
		EFI_MP_SERVICES_PROTOCOL *This, UINTN ProcessorNumber,
		EFI_PROCESSOR_INFORMATION *ProcessorInfoBuffer);
	/* StartupAllAPs, StartupThisAP, SwitchBSP, EnableDisableAP,
	 * WhoAmI follow; never called (docs/hypervisor.md: an AP started
	 * through MP services is reset by the firmware's next INIT). */
	void *StartupAllAPs, *StartupThisAP, *SwitchBSP, *EnableDisableAP;
	void *WhoAmI;
};

#endif
