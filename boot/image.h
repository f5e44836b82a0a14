/* SPDX-License-Identifier: MIT */
/* Images the loader starts: hv.bin, sk.bin (boot/image.c). */
#ifndef BOOT_IMAGE_H
#define BOOT_IMAGE_H

#include "boot/loader.h"

struct boot_image {
	uint64_t entry_off, file_size, mem_size, heap_size, align;
};

/* The common header (magic: 8 bytes); NULL when acceptable, else why. */
const char *image_header_check(const struct vbs_blob *img, const char *magic,
			       struct boot_image *h);
/* The detached signature at sig_path, of this kind (lib/boot/sigfile.h),
 * checked with the built-in key; messages start "OpenVBS: <label>: ". */
bool image_verified(const struct vbs_blob *img, const char *sig_path,
		    uint16_t kind, const char *label);
/* Reserve mem_size + heap_size + extra bytes (EfiReservedMemoryType, below
 * 4 GiB, aligned; slack freed), copy the image, zero the rest. */
EFI_STATUS image_place(const struct vbs_blob *img, const struct boot_image *h,
		       uint64_t extra, uint64_t *base, uint64_t *size);

#endif
