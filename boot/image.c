// SPDX-License-Identifier: MIT
/*
 * What the hypervisor and the secure kernel images have in common for the
 * loader (include/vbs/hv_image.h, include/vbs/sk_image.h: the same 0x38-byte
 * header layout, different magic): the header checked by offset, the
 * detached signature verified with the built-in key, and reserved memory
 * for the image (EfiReservedMemoryType below 4 GiB, aligned).
 */
#include "boot/image.h"
#include "boot/verify.h"
#include "pubkey.h" /* generated in $(B)/boot by vbs-sign pubkey-header */

#define IMG_FILE_MAX (16u << 20)
#define IMG_HEAP_MAX (256ull << 20)
#define IMG_ALIGN_MAX (1ull << 30)
#define PAGE 4096ull
#define BELOW_4G 0xffffffffull

static const uint8_t image_pubkey[VBS_PUBKEY_LEN] = VBS_PUBKEY_BYTES;

const char *image_header_check(const struct vbs_blob *img, const char *magic,
			       struct boot_image *h)
{
	const uint8_t *b = img->data;

	if (!span_ok(img->len, 0, 0x38))
		return "shorter than its header";
	if (vbs_memcmp(b, magic, 8) != 0)
		return "wrong kind of image (magic)";
	if (le32(b, 0x08) != 1 || le32(b, 0x0c) != 0x38)
		return "unsupported header version";
	h->entry_off = le64(b, 0x10);
	h->file_size = le64(b, 0x18);
	h->mem_size = le64(b, 0x20);
	h->heap_size = le64(b, 0x28);
	h->align = le64(b, 0x30);
	if (h->file_size != img->len || h->mem_size < h->file_size ||
	    h->mem_size % PAGE || h->heap_size % PAGE ||
	    h->heap_size > IMG_HEAP_MAX || h->mem_size > IMG_FILE_MAX * 4ull)
		return "inconsistent sizes";
	if (h->entry_off < 0x38 || h->entry_off >= h->file_size)
		return "entry point outside the image";
	if (h->align < PAGE || h->align > IMG_ALIGN_MAX ||
	    (h->align & (h->align - 1)))
		return "bad alignment";
	return NULL;
}

bool image_verified(const struct vbs_blob *img, const char *sig_path,
		    uint16_t kind, const char *label)
{
	struct vbs_blob sig;
	enum vbs_verify v;
	const char *why;

	if (EFI_ERROR(esp_read(sig_path, 4096, &sig))) {
		con_printf("OpenVBS: %s: %s missing: the image is not started\n",
			   label, sig_path);
		return false;
	}
	v = vbs_verify_detached(image_pubkey, kind, sig.data, sig.len,
				img->data, img->len, &why);
	blob_free(&sig);
	if (v != VBS_VERIFY_OK) {
		con_printf("OpenVBS: %s: signature REJECTED: %s (built-in key "
			   "%s): the image is not started\n", label, why,
			   VBS_PUBKEY_ID);
		return false;
	}
	return true;
}

EFI_STATUS image_place(const struct vbs_blob *img, const struct boot_image *h,
		       uint64_t extra, uint64_t *base, uint64_t *size)
{
	uint64_t total = h->mem_size + h->heap_size + extra, pages, a, slack;
	EFI_PHYSICAL_ADDRESS raw = BELOW_4G;
	EFI_STATUS st;

	pages = (total + h->align) / PAGE;
	st = BS->AllocatePages(AllocateMaxAddress, EfiReservedMemoryType, pages,
			       &raw);
	if (EFI_ERROR(st))
		return st;
	a = (raw + h->align - 1) & ~(h->align - 1);
	if (a > raw)
		BS->FreePages(raw, (a - raw) / PAGE);
	slack = raw + pages * PAGE - (a + total);
	if (slack)
		BS->FreePages(a + total, slack / PAGE);
	vbs_memcpy((void *)(uintptr_t)a, img->data, img->len);
	vbs_memset((void *)(uintptr_t)(a + img->len), 0, total - img->len);
	*base = a;
	*size = total;
	return EFI_SUCCESS;
}
