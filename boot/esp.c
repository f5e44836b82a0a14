// SPDX-License-Identifier: MIT
/*
 * Files of the ESP the loader was started from (UEFI 2.10 §13.4
 * "Simple File System Protocol", §13.5 "File Protocol").
 */
#include "boot/loader.h"

static EFI_FILE_HANDLE esp_root;

EFI_STATUS esp_open(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st;

	st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	esp_root = LibOpenRoot(li->DeviceHandle);
	return esp_root ? EFI_SUCCESS : EFI_NOT_FOUND;
}

void blob_free(struct vbs_blob *b)
{
	if (b->data)
		BS->FreePool(b->data);
	b->data = NULL;
	b->len = 0;
}

static EFI_STATUS file_size(EFI_FILE_HANDLE f, uint64_t *size)
{
	EFI_FILE_INFO *info = LibFileInfo(f);

	if (!info)
		return EFI_DEVICE_ERROR;
	*size = info->FileSize;
	BS->FreePool(info);
	return EFI_SUCCESS;
}

EFI_STATUS esp_read(const char *path, size_t max, struct vbs_blob *out)
{
	CHAR16 wpath[VBS_POLICY_PATH_MAX];
	EFI_FILE_HANDLE f;
	uint64_t size;
	UINTN got;
	EFI_STATUS st;
	size_t i;

	out->data = NULL;
	out->len = 0;
	if (!esp_root)
		return EFI_NOT_READY;
	for (i = 0; path[i] && i + 1 < VBS_ARRAY_SIZE(wpath); i++)
		wpath[i] = (CHAR16)(unsigned char)path[i];
	if (path[i])
		return EFI_INVALID_PARAMETER;
	wpath[i] = 0;
	st = esp_root->Open(esp_root, &f, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	st = file_size(f, &size);
	if (!EFI_ERROR(st) && size > max)
		st = EFI_BAD_BUFFER_SIZE;
	if (!EFI_ERROR(st))
		st = BS->AllocatePool(EfiLoaderData, size ? size : 1,
				      (void **)&out->data);
	if (!EFI_ERROR(st)) {
		got = size;
		st = f->Read(f, &got, out->data);
		if (!EFI_ERROR(st) && got != size)
			st = EFI_END_OF_FILE;
		out->len = got;
	}
	f->Close(f);
	if (EFI_ERROR(st))
		blob_free(out);
	return st;
}
