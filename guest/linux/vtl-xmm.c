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
 * vtl-xmm ymm N: the same with all 256 bits of YMM0-15 (AVX; VTL1 runs
 * with CR4.OSXSAVE clear, so it can neither read nor change the upper
 * halves, and the hypervisor's FXSAVE switch covers all it can touch:
 * docs/hypervisor.md "VTL1"). Exit 77 when the CPU or kernel has no AVX.
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

/* YMM0-15 (SDM1 §14.1 "Intel AVX"), 32 bytes each, across the call. */
static long ioctl_with_ymm(int fd, struct vbs_ioctl_call *uc,
			   const uint8_t in[512], uint8_t out[512])
{
	long ret;

	__asm__ volatile(
		"vmovdqu 0x000(%[in]), %%ymm0\n\t"  "vmovdqu 0x020(%[in]), %%ymm1\n\t"
		"vmovdqu 0x040(%[in]), %%ymm2\n\t"  "vmovdqu 0x060(%[in]), %%ymm3\n\t"
		"vmovdqu 0x080(%[in]), %%ymm4\n\t"  "vmovdqu 0x0a0(%[in]), %%ymm5\n\t"
		"vmovdqu 0x0c0(%[in]), %%ymm6\n\t"  "vmovdqu 0x0e0(%[in]), %%ymm7\n\t"
		"vmovdqu 0x100(%[in]), %%ymm8\n\t"  "vmovdqu 0x120(%[in]), %%ymm9\n\t"
		"vmovdqu 0x140(%[in]), %%ymm10\n\t" "vmovdqu 0x160(%[in]), %%ymm11\n\t"
		"vmovdqu 0x180(%[in]), %%ymm12\n\t" "vmovdqu 0x1a0(%[in]), %%ymm13\n\t"
		"vmovdqu 0x1c0(%[in]), %%ymm14\n\t" "vmovdqu 0x1e0(%[in]), %%ymm15\n\t"
		"syscall\n\t"
		"vmovdqu %%ymm0, 0x000(%[out])\n\t"  "vmovdqu %%ymm1, 0x020(%[out])\n\t"
		"vmovdqu %%ymm2, 0x040(%[out])\n\t"  "vmovdqu %%ymm3, 0x060(%[out])\n\t"
		"vmovdqu %%ymm4, 0x080(%[out])\n\t"  "vmovdqu %%ymm5, 0x0a0(%[out])\n\t"
		"vmovdqu %%ymm6, 0x0c0(%[out])\n\t"  "vmovdqu %%ymm7, 0x0e0(%[out])\n\t"
		"vmovdqu %%ymm8, 0x100(%[out])\n\t"  "vmovdqu %%ymm9, 0x120(%[out])\n\t"
		"vmovdqu %%ymm10, 0x140(%[out])\n\t" "vmovdqu %%ymm11, 0x160(%[out])\n\t"
		"vmovdqu %%ymm12, 0x180(%[out])\n\t" "vmovdqu %%ymm13, 0x1a0(%[out])\n\t"
		"vmovdqu %%ymm14, 0x1c0(%[out])\n\t" "vmovdqu %%ymm15, 0x1e0(%[out])\n\t"
		"vzeroupper\n\t"
		: "=a"(ret)
		: "a"((long)SYS_ioctl), "D"((long)fd), "S"((long)VBS_IOC_CALL),
		  "d"(uc), [in] "r"(in), [out] "r"(out)
		: "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
		  "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		  "xmm12", "xmm13", "xmm14", "xmm15");
	return ret;
}

/* AVX usable: CPUID.1:ECX.AVX[28] and OSXSAVE[27], XCR0 bits 1-2 (SSE and
 * AVX state enabled by the OS; SDM1 §14.3 "Detection of Intel AVX"). */
static int avx_usable(void)
{
	uint32_t a, b, c, d, lo = 0, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(1), "c"(0));
	if ((c & (1u << 28)) && (c & (1u << 27)))
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((lo & 6) == 6)
		return 1;
	fprintf(stderr, "vtl-xmm: ymm: CPUID.1:ECX %08x (AVX bit 28, OSXSAVE "
		"bit 27), XCR0 %08x\n", c, lo);
	return 0;
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

static void status_call(struct vbs_ioctl_call *uc, struct vbs_sk_status_info *info)
{
	memset(uc, 0, sizeof(*uc));
	uc->size = sizeof(*uc);
	uc->service = VBS_SK_SVC_STATUS;
	uc->op = VBS_SK_STATUS_GET;
	uc->out_ptr = (uintptr_t)info;
	uc->out_len = sizeof(*info);
}

/* N status calls with the vector registers (XMM, or YMM when ymm) loaded. */
static int vector_calls(int fd, unsigned long n, int ymm)
{
	unsigned long ok = 0, bad = 0, errors = 0, i;
	size_t len = ymm ? 512 : 256, k;
	struct vbs_sk_status_info info;
	struct vbs_ioctl_call uc;
	uint8_t in[512], out[512];
	struct timespec t0, t1;
	long ret;
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		for (k = 0; k < len; k++)
			in[k] = (uint8_t)(i * 31 + k * 7 + 1);
		status_call(&uc, &info);
		ret = ymm ? ioctl_with_ymm(fd, &uc, in, out) :
			    ioctl_with_xmm(fd, &uc, in, out);
		if (ret != 0 || uc.status != VBS_SK_OK)
			errors++;
		if (memcmp(in, out, len))
			bad++;
		else
			ok++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / (double)n;
	printf("vtl-xmm %scalls=%lu ok=%lu mismatches=%lu errors=%lu ns_per_call=%.0f\n",
	       ymm ? "ymm " : "", n, ok, bad, errors, ns);
	return bad || errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc == 2 ? strtoul(argv[1], NULL, 10) : 0;
	const char *mode = argc == 3 ? argv[1] : "xmm";
	int fd, rc;

	if (argc == 3 && (!strcmp(mode, "refuse") || !strcmp(mode, "spin") ||
			  !strcmp(mode, "ymm")))
		n = strtoul(argv[2], NULL, 10);
	if (n == 0) {
		fprintf(stderr, "usage: vtl-xmm N | vtl-xmm ymm N | vtl-xmm refuse N | vtl-xmm spin CYCLES   (> 0)\n");
		return 2;
	}
	if (!strcmp(mode, "ymm") && !avx_usable()) {
		fprintf(stderr, "vtl-xmm: ymm: no AVX on this CPU or kernel\n");
		return 77;
	}
	fd = open("/dev/" VBS_DEV_NAME, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "vtl-xmm: /dev/vbs: %s\n", strerror(errno));
		return 2;
	}
	if (!strcmp(mode, "spin"))
		rc = spin(fd, n);
	else if (!strcmp(mode, "refuse"))
		rc = refuse_many(fd, n);
	else
		rc = vector_calls(fd, n, !strcmp(mode, "ymm"));
	close(fd);
	return rc;
}
