// SPDX-License-Identifier: MIT
/*
 * hv-probe: user-mode probes of the hypervisor's exit handling, the guest
 * side of tests/integration/hv.sh. Each prints TAP-like "ok"/"not ok"
 * lines and exits non-zero on any failure.
 *
 *   hv-probe cpuid-prefix   CPUID with prefixes (3e 0f a2, 2e 3e 0f a2,
 *                           66 0f a2) returns the OpenVBS signature and
 *                           execution resumes right after the instruction
 *   hv-probe vmmcall-ud     VMMCALL at CPL 3 raises #UD (SIGILL)
 *   hv-probe svm-insn       VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT,
 *                           INVLPGA at CPL 3 raise #UD (SIGILL), as on a
 *                           CPU without SVM, and never execute
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vbs/cpuid.h"

static sigjmp_buf probe_jmp;
static volatile sig_atomic_t probe_sig;

static void on_signal(int sig)
{
	probe_sig = sig;
	siglongjmp(probe_jmp, 1);
}

/* Signature check of EBX:ECX:EDX; marker must be 0x5a after the asm. */
static int sig_ok(uint32_t b, uint32_t c, uint32_t d, uint32_t marker)
{
	char v[12];

	memcpy(v, &b, 4);
	memcpy(v + 4, &c, 4);
	memcpy(v + 8, &d, 4);
	return memcmp(v, VBS_CPUID_SIGNATURE, 12) == 0 && marker == 0x5a;
}

#define PREFIXED_CPUID(bytes, a, b, c, d, m)                                  \
	__asm__ volatile("xor %%esi, %%esi\n\t"                               \
			 ".byte " bytes "\n\t"                                \
			 "mov $0x5a, %%esi\n\t"                               \
			 : "=a"(a), "=b"(b), "=c"(c), "=d"(d), "=S"(m)        \
			 : "a"(VBS_CPUID_LEAF_VENDOR), "c"(0))

static int cpuid_prefix(void)
{
	uint32_t a, b, c, d, m;
	int fails = 0;

	PREFIXED_CPUID("0x3e, 0x0f, 0xa2", a, b, c, d, m);
	fails += !sig_ok(b, c, d, m);
	printf("%s - prefixed CPUID 3e 0f a2 resumes after itself\n",
	       sig_ok(b, c, d, m) ? "ok" : "not ok");
	PREFIXED_CPUID("0x2e, 0x3e, 0x0f, 0xa2", a, b, c, d, m);
	fails += !sig_ok(b, c, d, m);
	printf("%s - prefixed CPUID 2e 3e 0f a2 resumes after itself\n",
	       sig_ok(b, c, d, m) ? "ok" : "not ok");
	PREFIXED_CPUID("0x66, 0x0f, 0xa2", a, b, c, d, m);
	fails += !sig_ok(b, c, d, m);
	printf("%s - prefixed CPUID 66 0f a2 resumes after itself\n",
	       sig_ok(b, c, d, m) ? "ok" : "not ok");
	(void)a;
	return fails;
}

/* Runs the 3 bytes 0f 01 XX; returns the signal it raised, 0 if none. */
static int run_0f01(uint8_t modrm)
{
	volatile int executed = 0;

	probe_sig = 0;
	if (sigsetjmp(probe_jmp, 1) == 0) {
		switch (modrm) {
		case 0xd8: __asm__ volatile(".byte 0x0f,0x01,0xd8" ::: "memory"); break;
		case 0xd9: __asm__ volatile(".byte 0x0f,0x01,0xd9" ::: "memory"); break;
		case 0xda: __asm__ volatile(".byte 0x0f,0x01,0xda" ::: "memory"); break;
		case 0xdb: __asm__ volatile(".byte 0x0f,0x01,0xdb" ::: "memory"); break;
		case 0xdc: __asm__ volatile(".byte 0x0f,0x01,0xdc" ::: "memory"); break;
		case 0xdd: __asm__ volatile(".byte 0x0f,0x01,0xdd" ::: "memory"); break;
		case 0xde: __asm__ volatile(".byte 0x0f,0x01,0xde" ::: "memory"); break;
		case 0xdf: __asm__ volatile(".byte 0x0f,0x01,0xdf" ::: "memory"); break;
		}
		executed = 1;
	}
	return executed ? 0 : probe_sig;
}

static int vmmcall_ud(void)
{
	int sig = run_0f01(0xd9);

	printf("%s - VMMCALL at CPL 3 raises #UD (signal %d)\n",
	       sig == SIGILL ? "ok" : "not ok", sig);
	return sig != SIGILL;
}

static int svm_insn(void)
{
	static const struct { uint8_t modrm; const char *name; } insns[] = {
		{ 0xd8, "VMRUN" }, { 0xda, "VMLOAD" }, { 0xdb, "VMSAVE" },
		{ 0xdc, "STGI" }, { 0xdd, "CLGI" }, { 0xde, "SKINIT" },
		{ 0xdf, "INVLPGA" },
	};
	unsigned int i;
	int fails = 0, sig;

	for (i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		sig = run_0f01(insns[i].modrm);
		fails += sig != SIGILL;
		printf("%s - %s at CPL 3 raises #UD (signal %d)\n",
		       sig == SIGILL ? "ok" : "not ok", insns[i].name, sig);
	}
	return fails;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	if (argc == 2 && strcmp(argv[1], "cpuid-prefix") == 0)
		return cpuid_prefix() ? 1 : 0;
	if (argc == 2 && strcmp(argv[1], "vmmcall-ud") == 0)
		return vmmcall_ud() ? 1 : 0;
	if (argc == 2 && strcmp(argv[1], "svm-insn") == 0)
		return svm_insn() ? 1 : 0;
	fprintf(stderr, "usage: hv-probe cpuid-prefix|vmmcall-ud|svm-insn\n");
	return 2;
}
