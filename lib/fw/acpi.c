// SPDX-License-Identifier: MIT
/* ACPI table header decode and checks (lib/fw/acpi.h). */
#include "fw/acpi.h"

uint8_t acpi_checksum(const uint8_t *buf, size_t len)
{
	uint8_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum = (uint8_t)(sum + buf[i]);
	return sum;
}

static void copy_chars(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (char)src[i];
	dst[n] = '\0';
}

int acpi_hdr_parse(const uint8_t *buf, size_t len, const char *expect_sig,
		   struct acpi_hdr *out, struct fw_report *r)
{
	if (!out || (!buf && len))
		return FW_EINVAL;
	vbs_memset(out, 0, sizeof(*out));
	/* ACPI 6.5 §5.2.6 "System Description Table Header": 36 bytes */
	if (!buf || len < ACPI_HDR_LEN) {
		fw_report_add(r, "ACPI-H1", FW_SEV_FAIL, FW_NO_INDEX, len,
			      "table shorter than the 36-byte ACPI header");
		return FW_EBADF;
	}
	copy_chars(out->signature, buf, 4);
	out->length = le32(buf, 4);
	out->revision = le8(buf, 8);
	out->checksum = le8(buf, 9);
	copy_chars(out->oem_id, buf + 10, 6);
	copy_chars(out->oem_table_id, buf + 16, 8);
	out->oem_revision = le32(buf, 24);
	out->creator_id = le32(buf, 28);
	out->creator_revision = le32(buf, 32);

	if (expect_sig && vbs_memcmp(buf, expect_sig, 4) != 0) {
		fw_report_add(r, "ACPI-H4", FW_SEV_FAIL, FW_NO_INDEX,
			      le32(buf, 0), "unexpected table signature");
		return FW_EBADF;
	}
	/* Length covers the whole table, header included. */
	if (out->length < ACPI_HDR_LEN || out->length > len) {
		fw_report_add(r, "ACPI-H2", FW_SEV_FAIL, FW_NO_INDEX,
			      out->length,
			      "header Length below 36 or beyond the bytes read");
		return FW_EBADF;
	}
	/* §5.2.6 Checksum: "Entire table must sum to zero." */
	out->checksum_ok = acpi_checksum(buf, out->length) == 0;
	if (!out->checksum_ok)
		fw_report_add(r, "ACPI-H3", FW_SEV_FAIL, FW_NO_INDEX,
			      acpi_checksum(buf, out->length),
			      "table checksum does not sum to zero");
	return 0;
}

bool acpi_sub_next(const uint8_t *buf, size_t end, size_t *off,
		   uint32_t index, const struct acpi_sub_layout *lay,
		   struct acpi_sub *s, struct fw_report *r, bool *broken)
{
	size_t slen;

	if (*off >= end)
		return false;
	if (!span_ok(end, *off, ACPI_SUB_HDR)) {
		fw_report_add(r, lay->rule_hdr, FW_SEV_FAIL, (int32_t)index,
			      end - *off, lay->msg_hdr);
		*broken = true;
		return false;
	}
	s->type = lay->type_width == 2 ? le16(buf, *off) : le8(buf, *off);
	slen = le16(buf, *off + lay->len_off);
	s->off = *off;
	s->len = slen;
	s->index = index;
	if (slen < ACPI_SUB_HDR) {
		fw_report_add(r, lay->rule_short, FW_SEV_FAIL, (int32_t)index,
			      slen, lay->msg_short);
		*broken = true;
		return false;
	}
	if (!span_ok(end, *off, slen)) {
		fw_report_add(r, lay->rule_len, FW_SEV_FAIL, (int32_t)index,
			      slen, lay->msg_len);
		*broken = true;
		return false;
	}
	*off += slen;
	return true;
}
