// SPDX-License-Identifier: MIT
/*
 * The initrd is served to Linux's EFI stub from the buffer the loader
 * read and measured, through EFI_LOAD_FILE2_PROTOCOL (UEFI 2.10 §13.2) on
 * a handle whose device path is the Linux initrd media vendor path
 * (LINUX_EFI_INITRD_MEDIA_GUID 5568e427-68fc-4f3d-ac74-ca555231cc68; the
 * stub finds it with LocateDevicePath, Linux
 * drivers/firmware/efi/libstub/efi-stub-helper.c). The ESP is never read
 * again after measuring.
 */
#include "boot/loader.h"

#define LINUX_EFI_INITRD_MEDIA_GUID \
	{ 0x5568e427, 0x68fc, 0x4f3d, \
	  { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } }
#define EFI_LOAD_FILE2_PROTOCOL_GUID \
	{ 0x4006c0c1, 0xfcb3, 0x403e, \
	  { 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d } }

struct initrd_dp {
	VENDOR_DEVICE_PATH vendor;
	EFI_DEVICE_PATH end;
} __attribute__((packed));

_Static_assert(sizeof(struct initrd_dp) == 24, "initrd device path size");

static const struct initrd_dp initrd_dp = {
	.vendor = {
		.Header = { MEDIA_DEVICE_PATH, MEDIA_VENDOR_DP,
			    { sizeof(VENDOR_DEVICE_PATH), 0 } },
		.Guid = LINUX_EFI_INITRD_MEDIA_GUID,
	},
	.end = { END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE,
		 { sizeof(EFI_DEVICE_PATH), 0 } },
};

static EFI_GUID lf2_guid = EFI_LOAD_FILE2_PROTOCOL_GUID;
static const struct vbs_blob *served;
static EFI_HANDLE initrd_handle;

/* EFI_LOAD_FILE2_PROTOCOL.LoadFile (UEFI 2.10 §13.2.2) */
static EFI_STATUS EFIAPI initrd_load_file(EFI_LOAD_FILE_PROTOCOL *self,
					  EFI_DEVICE_PATH *path,
					  BOOLEAN boot_policy, UINTN *size,
					  VOID *buf)
{
	(void)self;
	(void)path;
	if (boot_policy)
		return EFI_UNSUPPORTED; /* LoadFile2 never takes BootPolicy */
	if (!size)
		return EFI_INVALID_PARAMETER;
	if (!served)
		return EFI_NOT_FOUND;
	if (!buf || *size < served->len) {
		*size = served->len;
		return EFI_BUFFER_TOO_SMALL;
	}
	vbs_memcpy(buf, served->data, served->len);
	*size = served->len;
	return EFI_SUCCESS;
}

static EFI_LOAD_FILE_PROTOCOL initrd_lf2 = { initrd_load_file };

EFI_STATUS initrd_install(const struct vbs_blob *initrd)
{
	EFI_STATUS st;

	served = initrd;
	st = BS->InstallMultipleProtocolInterfaces(
		&initrd_handle, &DevicePathProtocol, (void *)&initrd_dp,
		&lf2_guid, &initrd_lf2, NULL);
	if (EFI_ERROR(st))
		served = NULL;
	return st;
}

void initrd_uninstall(void)
{
	if (!initrd_handle)
		return;
	BS->UninstallMultipleProtocolInterfaces(
		initrd_handle, &DevicePathProtocol, (void *)&initrd_dp,
		&lf2_guid, &initrd_lf2, NULL);
	initrd_handle = NULL;
	served = NULL;
}
