/* SPDX-License-Identifier: MIT */
/*
 * vbsboot.efi internals: one file per concern (docs/boot.md "Flow").
 *
 *   main.c      the flow: policy, platform report, measure, kernel
 *   console.c   ASCII console output (ConOut and nothing else)
 *   esp.c       reading files of the ESP the loader came from
 *   cpu.c       CPUID, RDMSR, the stack-protector canary for BearSSL
 *   libc.c      the few C library symbols BearSSL needs
 *   policy.c    load the policy, verify it (verify.c), parse it (lib/boot)
 *   platform.c  gather firmware evidence, judge it (lib/boot/evaluate),
 *               print it and publish it in the OpenVbsReport variable
 *   measure.c   EFI_TCG2_PROTOCOL.HashLogExtendEvent
 *   initrd.c    the Linux initrd media LoadFile2 protocol
 *   kernel.c    LoadImage/StartImage of the measured kernel buffer
 *   hv.c        verify, measure, place and start the hypervisor
 */
#ifndef VBS_BOOT_LOADER_H
#define VBS_BOOT_LOADER_H

#include <efi.h>
#include <efilib.h>

#include "boot/policy.h"
#include "boot/report.h"

#define VBS_LOADER_VERSION "0.1.0"

/* A file read into loader memory (pool), never re-read afterwards. */
struct vbs_blob {
	uint8_t *data;
	size_t len;
};

/* console.c */
void con_puts(const char *s);
void con_printf(const char *fmt, ...);
void con_banner(const char *s); /* loud, framed */

/* esp.c */
EFI_STATUS esp_open(EFI_HANDLE image);
/* ASCII path like "\vmlinuz"; EFI_NOT_FOUND when absent. */
EFI_STATUS esp_read(const char *path, size_t max, struct vbs_blob *out);
void blob_free(struct vbs_blob *b);

/* cpu.c */
void cpu_setup_canary(void);
void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
uint64_t cpu_rdmsr(uint32_t msr);

/* policy.c */
void policy_load(struct vbs_policy *pol, uint8_t *source,
		 struct vbs_blob *raw);

/* platform.c */
void platform_report(struct vbs_boot_report *rep);
void platform_publish(struct vbs_boot_report *rep);

/* measure.c */
bool measure_init(void);
bool measure_capability(uint8_t *cap, size_t len);
EFI_STATUS measure(uint32_t pcr, const void *data, size_t len,
		   const char *desc);

/* initrd.c */
EFI_STATUS initrd_install(const struct vbs_blob *initrd);
void initrd_uninstall(void);

/* kernel.c */
EFI_STATUS kernel_start(EFI_HANDLE parent, const struct vbs_blob *kernel,
			const char *cmdline);

/* hv.c: true when the hypervisor runs and this CPU is its guest. */
bool hv_start(const struct vbs_policy *pol, bool tpm);

#endif
