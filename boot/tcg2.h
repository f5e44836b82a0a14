/* SPDX-License-Identifier: MIT */
/*
 * EFI_TCG2_PROTOCOL, from the TCG EFI Protocol Specification (Family 2.0,
 * rev 00.13) §6: gnu-efi 3.0.15 does not define it. Only the members the
 * loader calls are typed; structures the firmware fills are read by
 * offset (measure.c), events are built as bytes.
 */
#ifndef VBS_BOOT_TCG2_H
#define VBS_BOOT_TCG2_H

#include <efi.h>

/* 607f766c-7455-42be-930b-e4d76db2720f */
#define EFI_TCG2_PROTOCOL_GUID \
	{ 0x607f766c, 0x7455, 0x42be, \
	  { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } }

/* TCG PC Client PFP Specification §10.4.1 "Event Types" */
#define EV_IPL 0x0000000Du

struct efi_tcg2_protocol;

typedef EFI_STATUS(EFIAPI *efi_tcg2_get_capability)(
	struct efi_tcg2_protocol *self, void *capability);
typedef EFI_STATUS(EFIAPI *efi_tcg2_hash_log_extend_event)(
	struct efi_tcg2_protocol *self, UINT64 flags,
	EFI_PHYSICAL_ADDRESS data, UINT64 data_len, void *event);

struct efi_tcg2_protocol {
	efi_tcg2_get_capability get_capability;          /* §6.4 */
	void *get_event_log;                              /* §6.5 */
	efi_tcg2_hash_log_extend_event hash_log_extend_event; /* §6.6 */
	void *submit_command;
	void *get_active_pcr_banks;
	void *set_active_pcr_banks;
	void *get_result_of_set_active_pcr_banks;
};

/*
 * EFI_TCG2_BOOT_SERVICE_CAPABILITY (§6.4.4), natural alignment, 36 bytes
 * for protocol 1.1: offsets used by measure.c.
 */
#define TCG2_CAP_SIZE 36u
#define TCG2_CAP_STRUCT_MAJOR 1u
#define TCG2_CAP_STRUCT_MINOR 2u
#define TCG2_CAP_PRESENT 16u
#define TCG2_CAP_ACTIVE_BANKS 32u

/* EFI_TCG2_EVENT (§6.6.2), packed: Size, then the 14-byte header. */
#define TCG2_EVENT_HDR_SIZE 14u
#define TCG2_EVENT_DATA_OFF 18u

#endif
