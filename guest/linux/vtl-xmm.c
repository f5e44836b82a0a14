// SPDX-License-Identifier: MIT
/*
 * vtl-xmm N: a user process's vector registers across N VTL calls
 * (tests/integration/vtl1.sh; issue 5 item 5). Each round loads XMM0-15
 * with a distinct pattern, makes a status request through /dev/vbs with the
 * ioctl system call issued from the same asm block (the registers hold the
 * pattern across the kernel, vbs.ko, the hypervisor's VTL switch and VTL1,
 * which runs BearSSL's SSE code), then reads them back. Prints
 * "vtl-xmm calls=N ok=K mismatches=M errors=E ns_per_call=T"; exit 0 only
 * when every call succeeded and no register changed.
 *
 * vtl-xmm refuse N: N requests VTL1 must refuse (an operation the status
 * service does not have), to overflow VTL1's event log; prints
 * "vtl-xmm refused=R of N"; exit 0 when all were refused.
 *
 * vtl-xmm spin CYCLES: one VTL call that keeps VTL1 busy for CYCLES TSC
 * cycles (VBS_SK_STATUS_SPIN); prints "vtl-xmm spin status=S ns=T".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vbs/sk_abi.h"
#include "vbs/vbs_ioctl.h"

static long ioctl_with_xmm(int fd, struct vbs_ioctl_call *uc,
			   const uint8_t in[256], uint8_t out[256])
{
	long ret;

	__asm__ volatile(
		"movdqu 0x00(%[in]), %%xmm0\n\t"  "movdqu 0x10(%[in]), %%xmm1\n\t"
		"movdqu 0x20(%[in]), %%xmm2\n\t"  "movdqu 0x30(%[in]), %%xmm3\n\t"
		"movdqu 0x40(%[in]), %%xmm4\n\t"  "movdqu 0x50(%[in]), %%xmm5\n\t"
		"movdqu 0x60(%[in]), %%xmm6\n\t"  "movdqu 0x70(%[in]), %%xmm7\n\t"
		"movdqu 0x80(%[in]), %%xmm8\n\t"  "movdqu 0x90(%[in]), %%xmm9\n\t"
		"movdqu 0xa0(%[in]), %%xmm10\n\t" "movdqu 0xb0(%[in]), %%xmm11\n\t"
		"movdqu 0xc0(%[in]), %%xmm12\n\t" "movdqu 0xd0(%[in]), %%xmm13\n\t"
		"movdqu 0xe0(%[in]), %%xmm14\n\t" "movdqu 0xf0(%[in]), %%xmm15\n\t"
		"syscall\n\t"
		"movdqu %%xmm0, 0x00(%[out])\n\t"  "movdqu %%xmm1, 0x10(%[out])\n\t"
		"movdqu %%xmm2, 0x20(%[out])\n\t"  "movdqu %%xmm3, 0x30(%[out])\n\t"
		"movdqu %%xmm4, 0x40(%[out])\n\t"  "movdqu %%xmm5, 0x50(%[out])\n\t"
		"movdqu %%xmm6, 0x60(%[out])\n\t"  "movdqu %%xmm7, 0x70(%[out])\n\t"
		"movdqu %%xmm8, 0x80(%[out])\n\t"  "movdqu %%xmm9, 0x90(%[out])\n\t"
		"movdqu %%xmm10, 0xa0(%[out])\n\t" "movdqu %%xmm11, 0xb0(%[out])\n\t"
		"movdqu %%xmm12, 0xc0(%[out])\n\t" "movdqu %%xmm13, 0xd0(%[out])\n\t"
		"movdqu %%xmm14, 0xe0(%[out])\n\t" "movdqu %%xmm15, 0xf0(%[out])\n\t"
		: "=a"(ret)
		: "a"((long)SYS_ioctl), "D"((long)fd), "S"((long)VBS_IOC_CALL),
		  "d"(uc), [in] "r"(in), [out] "r"(out)
		: "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		  "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		  "xmm12", "xmm13", "xmm14", "xmm15");
	return ret;
}

static int refuse_many(int fd, unsigned long n)
{
	struct vbs_ioctl_call uc;
	unsigned long i, refused = 0;

	for (i = 0; i < n; i++) {
		memset(&uc, 0, sizeof(uc));
		uc.size = sizeof(uc);
		uc.service = VBS_SK_SVC_STATUS;
		uc.op = 0x7777;
		if (ioctl(fd, VBS_IOC_CALL, &uc) == 0 && uc.status == VBS_SK_E_OP)
			refused++;
	}
	printf("vtl-xmm refused=%lu of %lu\n", refused, n);
	return refused == n ? 0 : 1;
}

static int spin(int fd, unsigned long cycles)
{
	struct vbs_ioctl_call uc;
	struct timespec t0, t1;
	int ret;

	memset(&uc, 0, sizeof(uc));
	uc.size = sizeof(uc);
	uc.service = VBS_SK_SVC_STATUS;
	uc.op = VBS_SK_STATUS_SPIN;
	uc.arg0 = cycles;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = ioctl(fd, VBS_IOC_CALL, &uc);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("vtl-xmm spin status=%d ns=%lld\n", ret ? -1000 : uc.status,
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
	       (t1.tv_nsec - t0.tv_nsec));
	return ret || uc.status ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc == 2 ? strtoul(argv[1], NULL, 10) : 0, i;
	unsigned long ok = 0, bad = 0, errors = 0;
	struct vbs_sk_status_info info;
	struct vbs_ioctl_call uc;
	uint8_t in[256], out[256];
	struct timespec t0, t1;
	unsigned int k;
	double ns;
	int fd;

	if (argc == 3 && (!strcmp(argv[1], "refuse") || !strcmp(argv[1], "spin")))
		n = strtoul(argv[2], NULL, 10);
	if (n == 0) {
		fprintf(stderr, "usage: vtl-xmm N | vtl-xmm refuse N | vtl-xmm spin CYCLES   (> 0)\n");
		return 2;
	}
	fd = open("/dev/" VBS_DEV_NAME, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "vtl-xmm: /dev/vbs: %s\n", strerror(errno));
		return 2;
	}
	if (argc == 3 && !strcmp(argv[1], "spin"))
		return spin(fd, n);
	if (argc == 3)
		return refuse_many(fd, n);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(in); k++)
			in[k] = (uint8_t)(i * 31 + k * 7 + 1);
		memset(&uc, 0, sizeof(uc));
		uc.size = sizeof(uc);
		uc.service = VBS_SK_SVC_STATUS;
		uc.op = VBS_SK_STATUS_GET;
		uc.out_ptr = (uintptr_t)&info;
		uc.out_len = sizeof(info);
		if (ioctl_with_xmm(fd, &uc, in, out) != 0 || uc.status != VBS_SK_OK)
			errors++;
		if (memcmp(in, out, sizeof(in)))
			bad++;
		else
			ok++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / (double)n;
	printf("vtl-xmm calls=%lu ok=%lu mismatches=%lu errors=%lu ns_per_call=%.0f\n",
	       n, ok, bad, errors, ns);
	close(fd);
	return bad || errors ? 1 : 0;
}
