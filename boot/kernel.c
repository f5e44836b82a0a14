// SPDX-License-Identifier: MIT
/*
 * Start Linux through its EFI stub: LoadImage from the buffer the loader
 * measured (UEFI 2.10 §7.4.1, SourceBuffer, no device path: the file is
 * not opened again), LoadOptions = the policy's command line in UCS-2
 * (§9.1 EFI_LOADED_IMAGE_PROTOCOL), then StartImage.
 */
#include "boot/loader.h"

static CHAR16 load_options[VBS_POLICY_CMDLINE_MAX];

static const char *load_error(EFI_STATUS st)
{
	switch (st) {
	case EFI_LOAD_ERROR:
		return "not a loadable PE/COFF image (truncated or corrupt?)";
	case EFI_UNSUPPORTED:
		return "image type not supported (not an EFI application?)";
	case EFI_SECURITY_VIOLATION:
	case EFI_ACCESS_DENIED:
		return "refused by the firmware's image verification "
		       "(Secure Boot: not signed by a key in db?)";
	case EFI_OUT_OF_RESOURCES:
		return "out of memory";
	}
	return "LoadImage failed";
}

EFI_STATUS kernel_start(EFI_HANDLE parent, const struct vbs_blob *kernel,
			const char *cmdline)
{
	EFI_LOADED_IMAGE *li;
	EFI_HANDLE image;
	EFI_STATUS st;
	size_t i;

	st = BS->LoadImage(FALSE, parent, NULL, kernel->data, kernel->len,
			   &image);
	if (EFI_ERROR(st)) {
		con_printf("OpenVBS: ERROR: kernel: %s (status 0x%lx)\n",
			   load_error(st), (uint64_t)st);
		return st;
	}
	st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st)) {
		con_printf("OpenVBS: ERROR: kernel has no loaded-image protocol\n");
		BS->UnloadImage(image);
		return st;
	}
	for (i = 0; cmdline[i] && i + 1 < VBS_ARRAY_SIZE(load_options); i++)
		load_options[i] = (CHAR16)(unsigned char)cmdline[i];
	load_options[i] = 0;
	li->LoadOptions = load_options;
	li->LoadOptionsSize = (UINT32)((i + 1) * sizeof(CHAR16));
	con_printf("OpenVBS: starting kernel (%lu bytes), command line \"%s\"\n",
		   (uint64_t)kernel->len, cmdline);
	st = BS->StartImage(image, NULL, NULL);
	con_printf("OpenVBS: ERROR: the kernel returned (status 0x%lx)\n",
		   (uint64_t)st);
	return EFI_ERROR(st) ? st : EFI_ABORTED;
}
