// SPDX-License-Identifier: MIT
/*
 * Measured launch: every object the loader uses is hashed, extended into
 * a PCR and logged through EFI_TCG2_PROTOCOL.HashLogExtendEvent (TCG EFI
 * Protocol Specification §6.6). Which PCR and why: docs/boot.md
 * "Measurements".
 */
#include "boot/loader.h"
#include "boot/tcg2.h"

#define EVENT_MAX 256u

static struct efi_tcg2_protocol *tcg2;
static EFI_GUID tcg2_guid = EFI_TCG2_PROTOCOL_GUID;

bool measure_init(void)
{
	if (tcg2)
		return true;
	if (EFI_ERROR(BS->LocateProtocol(&tcg2_guid, NULL, (void **)&tcg2)))
		tcg2 = NULL;
	return tcg2 != NULL;
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
	p[off + 2] = (uint8_t)(v >> 16);
	p[off + 3] = (uint8_t)(v >> 24);
}

/*
 * EV_IPL event whose data is the ASCII description (no NUL), the way
 * GRUB and systemd-boot log their strings, so the log is readable with
 * tpm2_eventlog.
 */
EFI_STATUS measure(uint32_t pcr, const void *data, size_t len,
		   const char *desc)
{
	static uint8_t ev[TCG2_EVENT_DATA_OFF + EVENT_MAX];
	size_t dlen = vbs_strlen(desc);
	EFI_STATUS st;

	if (!tcg2)
		return EFI_NOT_FOUND;
	if (dlen > EVENT_MAX)
		dlen = EVENT_MAX;
	vbs_memset(ev, 0, sizeof(ev));
	put32(ev, 0, (uint32_t)(TCG2_EVENT_DATA_OFF + dlen)); /* Size */
	put32(ev, 4, TCG2_EVENT_HDR_SIZE);                    /* HeaderSize */
	ev[8] = 1;                                            /* HeaderVersion */
	put32(ev, 10, pcr);                                   /* PCRIndex */
	put32(ev, 14, EV_IPL);                                /* EventType */
	vbs_memcpy(ev + TCG2_EVENT_DATA_OFF, desc, dlen);
	st = tcg2->hash_log_extend_event(tcg2, 0,
					 (EFI_PHYSICAL_ADDRESS)(uintptr_t)data,
					 len, ev);
	if (EFI_ERROR(st))
		con_printf("OpenVBS: measuring \"%s\" into PCR %u failed "
			   "(status 0x%lx)\n", desc, pcr, (uint64_t)st);
	return st;
}

/*
 * GetCapability into cap[len] (Size set to the 1.1 structure size); the
 * caller reads it by offset (boot/tcg2.h). False without a TCG2 protocol.
 */
bool measure_capability(uint8_t *cap, size_t len)
{
	if (!measure_init() || len < TCG2_CAP_SIZE)
		return false;
	vbs_memset(cap, 0, len);
	cap[0] = TCG2_CAP_SIZE;
	return !EFI_ERROR(tcg2->get_capability(tcg2, cap));
}
