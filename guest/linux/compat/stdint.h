/* SPDX-License-Identifier: MIT */
/*
 * The kernel has no <stdint.h>; the ABI headers in include/vbs/ use its
 * fixed-width names, which <linux/types.h> defines for kernel code too.
 * Only on vbs.ko's include path (guest/linux/Kbuild).
 */
#ifndef VBS_COMPAT_STDINT_H
#define VBS_COMPAT_STDINT_H
#include <linux/types.h>
#endif
