/* SPDX-License-Identifier: MIT */
/*
 * /dev/vbs, the VTL0 driver's ioctl ABI (docs/abi.md "VTL0 driver
 * (vbs.ko)"), used by guest/linux/vbs.c and guest/vbsctl.
 *
 * VBS_IOC_CALL carries one secure kernel request (include/vbs/sk_abi.h):
 * the driver copies in_len bytes from in_ptr into a zeroed kernel buffer,
 * builds a struct vbs_sk_request around it, makes the VTL call
 * (VBS_HC_VTL_CALL, include/vbs/hypercall.h) and copies out_len bytes of
 * the answer to out_ptr. Fields are little-endian, fixed-width, with
 * explicit padding; the struct is the same for 32- and 64-bit callers.
 *
 * Return value of ioctl(2):
 *   0        the secure kernel ran the request: status holds its
 *            enum vbs_sk_status, out_len the bytes written to out_ptr
 *   ENODEV   no secure kernel runs (hypercall status VBS_HC_E_NOVTL1 or
 *            VBS_HC_E_UNKNOWN); hc_status says which
 *   EIO      any other hypercall status, or an answer the driver rejects
 *            (out_len beyond the buffer); hc_status holds the former
 *   EINVAL   size, a reserved field, flags, or a length above
 *            VBS_SK_BUF_MAX
 *   EFAULT   a user pointer could not be read or written
 *   EINTR    a signal arrived while waiting for another caller's call
 * The struct is copied back on 0, ENODEV and EIO.
 */
#ifndef VBS_VBS_IOCTL_H
#define VBS_VBS_IOCTL_H

#include <linux/ioctl.h>
#include <stdint.h>

#define VBS_DEV_NAME "vbs"          /* /dev/vbs, a misc device, mode 0600 */

struct vbs_ioctl_call {
	uint32_t size;       /* 0x00 in: sizeof(struct vbs_ioctl_call) */
	uint32_t service;    /* 0x04 in: enum vbs_sk_service */
	uint32_t op;         /* 0x08 in: operation of that service */
	int32_t status;      /* 0x0c out: enum vbs_sk_status */
	uint64_t arg0;       /* 0x10 in: per operation */
	uint64_t arg1;       /* 0x18 in: per operation */
	uint64_t in_ptr;     /* 0x20 in: user address of the input, or 0 */
	uint32_t in_len;     /* 0x28 in: bytes, <= VBS_SK_BUF_MAX */
	uint32_t out_len;    /* 0x2c in: room at out_ptr (<= VBS_SK_BUF_MAX);
			      * out: bytes written */
	uint64_t out_ptr;    /* 0x30 in: user address of the output, or 0 */
	uint32_t hc_status;  /* 0x38 out: enum vbs_hc_status of the VTL call */
	uint32_t reserved;   /* 0x3c in: 0 */
};
_Static_assert(sizeof(struct vbs_ioctl_call) == 0x40, "vbs_ioctl_call");
_Static_assert(__builtin_offsetof(struct vbs_ioctl_call, in_ptr) == 0x20, "in_ptr");
_Static_assert(__builtin_offsetof(struct vbs_ioctl_call, out_ptr) == 0x30, "out_ptr");
_Static_assert(__builtin_offsetof(struct vbs_ioctl_call, hc_status) == 0x38, "hc_status");

#define VBS_IOC_MAGIC 'V'
#define VBS_IOC_CALL _IOWR(VBS_IOC_MAGIC, 0x01, struct vbs_ioctl_call)

#endif
