/* SPDX-License-Identifier: MIT */
/*
 * ACPI System Description Table Header: decode and sanity rules shared by
 * every table parser in lib/fw (WSMT, TPM2, DMAR, IVRS).
 *
 * Rules (docs/readiness.md):
 *   ACPI-H1 fail  buffer shorter than the 36-byte header
 *   ACPI-H2 fail  Length field < 36 or > buffer length ("lying length")
 *   ACPI-H3 fail  checksum: byte sum over Length bytes != 0 (mod 256)
 *   ACPI-H4 fail  signature is not the one expected
 */
#ifndef VBS_LIB_FW_ACPI_H
#define VBS_LIB_FW_ACPI_H

#include "fw/report.h"

#define ACPI_HDR_LEN 36u

/* Error returns of every lib/fw parser. */
#define FW_EINVAL (-22) /* bad arguments (NULL output, ...) */
#define FW_EBADF  (-9)  /* the bytes are not a usable table */
#define FW_ENOSPC (-28) /* caller's array too small (what fits is filled) */

/* ACPI 6.5 §5.2.6 "System Description Table Header", decoded. */
struct acpi_hdr {
	char signature[5];     /* NUL-terminated copy of the 4 bytes */
	uint32_t length;       /* Length field (validated <= buffer length) */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[7];
	char oem_table_id[9];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
	bool checksum_ok;
};

/*
 * Decode and check the header. expect_sig: 4-character signature or NULL
 * for any. Returns 0 when the header is usable (the table body is
 * [buf, buf + out->length)), even if the checksum is wrong (ACPI-H3 is
 * reported); FW_EBADF on ACPI-H1/H2/H4. Never reads past len.
 */
int acpi_hdr_parse(const uint8_t *buf, size_t len, const char *expect_sig,
		   struct acpi_hdr *out, struct fw_report *r);

/* Byte sum of buf[0..len) mod 256 (0 for a valid table). */
uint8_t acpi_checksum(const uint8_t *buf, size_t len);

/*
 * Sub-structures of a table that start with a type and a 16-bit Length
 * (DMAR remapping structures, IVRS IVDBs). One walker serves them all so
 * that every kind is bounds-checked the same way.
 */
struct acpi_sub_layout {
	uint8_t type_width;        /* bytes of the type field at offset 0 (1/2) */
	uint8_t len_off;           /* offset of the 16-bit Length */
	const char *rule_hdr;      /* header overruns the table */
	const char *msg_hdr;
	const char *rule_short;    /* Length below the header: would not advance */
	const char *msg_short;
	const char *rule_len;      /* Length overruns the table */
	const char *msg_len;
};

struct acpi_sub {
	uint16_t type;
	size_t off;      /* start in the table */
	size_t len;      /* validated Length */
	uint32_t index;  /* ordinal in the table */
};

#define ACPI_SUB_HDR 4u

/*
 * Decode the sub-structure at *off if its whole Length lies in
 * [*off, end), then advance *off past it. Returns false at the end of the
 * table or on a broken structure (reported under the layout's rule ids
 * into r, which may be NULL, and flagged in *broken).
 */
bool acpi_sub_next(const uint8_t *buf, size_t end, size_t *off,
		   uint32_t index, const struct acpi_sub_layout *lay,
		   struct acpi_sub *s, struct fw_report *r, bool *broken);

#endif
