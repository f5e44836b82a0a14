// SPDX-License-Identifier: MIT
/*
 * vbs-bench: the guest side of scripts/bench (docs/performance.md). Each
 * subcommand runs one loop on one CPU and prints one line of key=value
 * pairs:
 *
 *   bench=NAME n=N sec=S ns_per_op=T cpu=C openvbs=0|1 [param=V]
 *   [exits.total=E exits.cpuid=E ...]
 *
 * sec is the loop's CLOCK_MONOTONIC time. Under OpenVBS, exits.* are the
 * exits of this CPU during the loop, by reason: read through the CPUID
 * leaves 0x40000000+ (docs/abi.md) before and after it, with the exits of
 * the reading itself taken out (measured by two reads back to back).
 *
 *   vbs-bench [-c CPU] syscall N         N getppid() through syscall(2)
 *   vbs-bench [-c CPU] forkexec N [PATH] N fork + execve + waitpid, of this
 *                                        program's "nop" or of PATH
 *   vbs-bench [-c CPU] cpuid N           N CPUID (leaf 0) at CPL 3: natively
 *                                        an instruction, under OpenVBS one
 *                                        exit round trip each
 *   vbs-bench [-c CPU] memwalk N [MIB]   N loads, one per 4 KiB page in a
 *                                        scrambled order over MIB MiB
 *                                        (default 64): TLB misses, no exits
 *   vbs-bench [-c CPU] invlpg N [PAGES]  N times: mprotect one page read-only
 *                                        and back (two single-page TLB
 *                                        flushes, INVLPG) then load PAGES
 *                                        (default 64) other pages
 *   vbs-bench [-c CPU] spin N            N rounds of register arithmetic:
 *                                        no memory, no exits (control)
 *   vbs-bench [-c CPU] vtlcall N         N VTL call round trips: a status
 *                                        request (VBS_SK_STATUS_GET) through
 *                                        /dev/vbs (vbs.ko) to VTL1 and back
 *   vbs-bench [-c CPU] sign-ecdsa N      N ECDSA-P256 signatures in VTL1 of
 *   vbs-bench [-c CPU] sign-ed25519 N    one 64-byte message (Ed25519 alike;
 *   vbs-bench [-c CPU] mac N             mac: HMAC-SHA256), through /dev/vbs
 *                                        with a key the vault creates before
 *                                        the loop and deletes after it
 *   vbs-bench nop                        exit 0 (the forkexec child)
 *
 * The VTL1 loops need the secure kernel: where /dev/vbs is absent or VTL1
 * is not running they print "bench-skipped=NAME reason: ..." and exit 3
 * (BENCH_EXIT_SKIPPED) instead of timing anything.
 *
 * The process is pinned to CPU (default 0) with sched_setaffinity, so the
 * counters read are that CPU's; children inherit the pinning.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * The counter reader is vbsctl's (guest/vbsctl/vbsctl.c: struct hv_info,
 * hv_read(), the static counter_names), compiled in from its one source
 * rather than copied. A main() there (older versions of the file) is
 * renamed and not used.
 */
int vbsctl_main(int argc, char **argv);
#define main vbsctl_main
#include "../vbsctl/vbsctl.c"
#undef main

#include "vbs/sk_abi.h"
#include "vbs/vbs_ioctl.h"

#define PAGE_SIZE 4096u
#define BENCH_EXIT_SKIPPED 3 /* a VTL1 loop where there is no VTL1 */
#define VAULT_MSG_LEN 64u    /* the message the vault loops sign or MAC */

static char self_exe[PATH_MAX]; /* forkexec's default child: this program */

struct bench_run {
	const char *name;
	unsigned long n;
	unsigned long param;  /* MIB or PAGES; 0 when the loop has none */
	const char *param_name;
	int cpu;
	struct hv_info before[2], after;
	struct timespec start, end;
};

static int bench_usage(void)
{
	fprintf(stderr,
		"usage: vbs-bench [-c CPU] syscall|cpuid|spin N\n"
		"       vbs-bench [-c CPU] forkexec N [PATH]\n"
		"       vbs-bench [-c CPU] memwalk N [MIB]\n"
		"       vbs-bench [-c CPU] invlpg N [PAGES]\n"
		"       vbs-bench [-c CPU] vtlcall|sign-ecdsa|sign-ed25519|mac N\n"
		"       vbs-bench nop\n");
	return 64;
}

static int parse_ulong(const char *s, unsigned long min, unsigned long max,
		       unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "vbs-bench: cannot pin to CPU %d: %s\n", cpu,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Two reads back to back: their difference is what one read costs. */
static void bench_begin(struct bench_run *r)
{
	hv_read(&r->before[0]);
	hv_read(&r->before[1]);
	clock_gettime(CLOCK_MONOTONIC, &r->start);
}

static void bench_end(struct bench_run *r)
{
	clock_gettime(CLOCK_MONOTONIC, &r->end);
	hv_read(&r->after);
}

static double elapsed_sec(const struct bench_run *r)
{
	return (double)(r->end.tv_sec - r->start.tv_sec) +
	       (double)(r->end.tv_nsec - r->start.tv_nsec) / 1e9;
}

/* Exits of counter i during the loop, without those of the reads. */
static int64_t loop_exits(const struct bench_run *r, unsigned int i)
{
	uint64_t reads = r->before[1].counters[i] - r->before[0].counters[i];
	uint64_t span = r->after.counters[i] - r->before[1].counters[i];

	return (int64_t)(span - reads);
}

static void bench_print(const struct bench_run *r)
{
	double sec = elapsed_sec(r);
	bool present = r->before[0].present && r->after.present;
	unsigned int i;

	printf("bench=%s n=%lu sec=%.6f ns_per_op=%.1f cpu=%d openvbs=%d",
	       r->name, r->n, sec, sec * 1e9 / (double)r->n, r->after.os_cpu,
	       present ? 1 : 0);
	if (r->param_name)
		printf(" %s=%lu", r->param_name, r->param);
	if (present) {
		for (i = 0; i < VBS_CTR_COUNT; i++)
			printf(" exits.%s=%lld", counter_names[i],
			       (long long)loop_exits(r, i));
	}
	printf("\n");
	fflush(stdout);
}

static int loop_syscall(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

static int spawn_one(const char *path, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "vbs-bench: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "vbs-bench: %s did not exit 0\n", path);
		return -1;
	}
	return 0;
}

static int find_self_exe(void)
{
	ssize_t len = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (len <= 0 || (size_t)len >= sizeof(self_exe) - 1) {
		fprintf(stderr, "vbs-bench: cannot read /proc/self/exe\n");
		return -1;
	}
	self_exe[len] = '\0';
	return 0;
}

/* PATH with no arguments, or this program's "nop". */
static int loop_forkexec(unsigned long n, const char *path)
{
	char *argv[3] = { (char *)path, NULL, NULL };
	unsigned long i;

	if (!path) {
		argv[0] = self_exe;
		argv[1] = (char *)"nop";
	}
	for (i = 0; i < n; i++)
		if (spawn_one(argv[0], argv))
			return -1;
	return 0;
}

static int loop_cpuid(unsigned long n)
{
	uint32_t r[4];
	unsigned long i;

	for (i = 0; i < n; i++)
		cpuid(0, 0, r);
	return 0;
}

/* A permutation of the pages: stride by a large odd number modulo a power
 * of two visits each page once per pass, far from its neighbours. */
static int loop_memwalk(unsigned long n, volatile uint8_t *buf,
			unsigned long pages)
{
	unsigned long i, page = 0, mask = pages - 1;

	for (i = 0; i < n; i++) {
		(void)buf[page * PAGE_SIZE]; /* volatile: the load happens */
		page = (page + 40503ul) & mask;
	}
	return 0;
}

static int loop_invlpg(unsigned long n, uint8_t *buf, unsigned long pages)
{
	volatile uint8_t *set = buf + PAGE_SIZE;
	unsigned long i, p;

	for (i = 0; i < n; i++) {
		if (mprotect(buf, PAGE_SIZE, PROT_READ) ||
		    mprotect(buf, PAGE_SIZE, PROT_READ | PROT_WRITE)) {
			fprintf(stderr, "vbs-bench: mprotect: %s\n",
				strerror(errno));
			return -1;
		}
		buf[0] = (uint8_t)i;
		for (p = 0; p < pages; p++)
			(void)set[p * PAGE_SIZE];
	}
	return 0;
}

static int loop_spin(unsigned long n)
{
	unsigned long i;
	uint64_t x = 88172645463325252ull;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x));
	}
	return x == 0 ? 1 : 0;
}

/* Pages mapped, written once (so the loop takes no page faults). */
static uint8_t *touched_buffer(unsigned long pages)
{
	uint8_t *buf = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	unsigned long p;

	if (buf == MAP_FAILED) {
		fprintf(stderr, "vbs-bench: mmap of %lu pages: %s\n", pages,
			strerror(errno));
		return NULL;
	}
	for (p = 0; p < pages; p++)
		buf[p * PAGE_SIZE] = (uint8_t)p;
	return buf;
}

/* Exit status: 0, 1 (the loop failed), 64 (bad arguments). */
static int run_memory_loop(struct bench_run *r, const char *arg)
{
	bool walk = strcmp(r->name, "memwalk") == 0;
	unsigned long pages;
	uint8_t *buf;
	int rc;

	r->param_name = walk ? "mib" : "pages";
	r->param = 64; /* MiB for memwalk, pages for invlpg */
	if (arg && parse_ulong(arg, 1, walk ? 4096 : 65536, &r->param))
		return bench_usage();
	if (walk && (r->param & (r->param - 1))) {
		fprintf(stderr, "vbs-bench: memwalk: MIB must be a power of 2\n");
		return 64;
	}
	pages = walk ? r->param * 256 : r->param + 1;
	buf = touched_buffer(pages);
	if (!buf)
		return 1;
	bench_begin(r);
	rc = walk ? loop_memwalk(r->n, buf, pages) :
		    loop_invlpg(r->n, buf, r->param);
	bench_end(r);
	munmap(buf, pages * PAGE_SIZE);
	return rc ? 1 : 0;
}

/*
 * The VTL1 loops: secure kernel requests through vbs.ko's ioctl
 * (include/vbs/vbs_ioctl.h; the requests are include/vbs/sk_abi.h's).
 */
struct vault_loop {
	const char *name;
	uint32_t key_kind;   /* enum vbs_sk_key_kind */
	uint32_t op;         /* VBS_SK_VAULT_SIGN or VBS_SK_VAULT_MAC */
	uint32_t out_len;    /* the answer's length */
};

static const struct vault_loop vault_loops[] = {
	{ "sign-ecdsa", VBS_SK_KEY_ECDSA_P256, VBS_SK_VAULT_SIGN, 64 },
	{ "sign-ed25519", VBS_SK_KEY_ED25519, VBS_SK_VAULT_SIGN, 64 },
	{ "mac", VBS_SK_KEY_HMAC_SHA256, VBS_SK_VAULT_MAC, 32 },
};

static const struct vault_loop *find_vault_loop(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(vault_loops) / sizeof(vault_loops[0]); i++)
		if (strcmp(name, vault_loops[i].name) == 0)
			return &vault_loops[i];
	return NULL;
}

static bool is_vtl1_loop(const char *name)
{
	return strcmp(name, "vtlcall") == 0 || find_vault_loop(name);
}

static int bench_skip(const char *name, const char *reason)
{
	printf("bench-skipped=%s reason: %s\n", name, reason);
	fflush(stdout);
	fprintf(stderr, "vbs-bench: %s: skipped: %s\n", name, reason);
	return BENCH_EXIT_SKIPPED;
}

/* One request: 0, or -errno of the ioctl; the answer in *uc. */
static int sk_request(int fd, struct vbs_ioctl_call *uc, uint32_t service,
		      uint32_t op, uint64_t arg0, const void *in,
		      uint32_t in_len, void *out, uint32_t out_cap)
{
	memset(uc, 0, sizeof(*uc));
	uc->size = sizeof(*uc);
	uc->service = service;
	uc->op = op;
	uc->arg0 = arg0;
	uc->in_ptr = (uintptr_t)in;
	uc->in_len = in_len;
	uc->out_ptr = (uintptr_t)out;
	uc->out_len = out_cap;
	return ioctl(fd, VBS_IOC_CALL, uc) ? -errno : 0;
}

static int sk_status_get(int fd, struct vbs_ioctl_call *uc)
{
	struct vbs_sk_status_info info;

	return sk_request(fd, uc, VBS_SK_SVC_STATUS, VBS_SK_STATUS_GET, 0,
			  NULL, 0, &info, sizeof(info));
}

static bool sk_answered(int ret, const struct vbs_ioctl_call *uc,
			uint32_t out_len)
{
	return ret == 0 && uc->status == VBS_SK_OK && uc->out_len == out_len;
}

static void sk_complain(const char *what, int ret,
			const struct vbs_ioctl_call *uc)
{
	if (ret)
		fprintf(stderr, "vbs-bench: %s: %s (hypercall status %u)\n",
			what, strerror(-ret), uc->hc_status);
	else
		fprintf(stderr, "vbs-bench: %s: secure kernel status %d, "
			"%u bytes\n", what, uc->status, uc->out_len);
}

/*
 * /dev/vbs, and one status request to see that VTL1 answers. Returns the
 * descriptor, or -1 after a message with *rc = BENCH_EXIT_SKIPPED (no
 * VTL1 here) or 1 (VTL1 is there but the call failed).
 */
static int vtl1_open(const char *name, int *rc)
{
	struct vbs_ioctl_call uc;
	int fd = open("/dev/" VBS_DEV_NAME, O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		if (errno == ENOENT || errno == ENXIO || errno == ENODEV) {
			*rc = bench_skip(name, "/dev/vbs is absent (vbs.ko "
					 "loads only under the OpenVBS hypervisor)");
		} else {
			fprintf(stderr, "vbs-bench: /dev/vbs: %s\n",
				strerror(errno));
			*rc = 1;
		}
		return -1;
	}
	ret = sk_status_get(fd, &uc);
	if (sk_answered(ret, &uc, sizeof(struct vbs_sk_status_info)))
		return fd;
	if (ret == -ENODEV) {
		*rc = bench_skip(name, "the secure kernel (VTL1) is not running");
	} else {
		sk_complain("status request", ret, &uc);
		*rc = 1;
	}
	close(fd);
	return -1;
}

static int loop_vtlcall(int fd, unsigned long n)
{
	struct vbs_ioctl_call uc;
	unsigned long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = sk_status_get(fd, &uc);
		if (!sk_answered(ret, &uc, sizeof(struct vbs_sk_status_info))) {
			sk_complain("status request", ret, &uc);
			return -1;
		}
	}
	return 0;
}

static int loop_vault(int fd, const struct vault_loop *v, uint32_t id,
		      unsigned long n)
{
	uint8_t msg[VAULT_MSG_LEN], out[64];
	struct vbs_ioctl_call uc;
	unsigned long i;
	int ret;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (i = 0; i < n; i++) {
		ret = sk_request(fd, &uc, VBS_SK_SVC_VAULT, v->op, id, msg,
				 sizeof(msg), out, sizeof(out));
		if (!sk_answered(ret, &uc, v->out_len)) {
			sk_complain(v->name, ret, &uc);
			return -1;
		}
	}
	return 0;
}

/* docs/abi.md "Secure kernel services": VBS_SK_VAULT_CREATE, its id. */
static int vault_create(int fd, const struct vault_loop *v, uint32_t *id)
{
	static const char label[] = "vbs-bench";
	struct vbs_ioctl_call uc;
	int ret;

	ret = sk_request(fd, &uc, VBS_SK_SVC_VAULT, VBS_SK_VAULT_CREATE,
			 v->key_kind, label, sizeof(label) - 1, id, sizeof(*id));
	if (!sk_answered(ret, &uc, sizeof(*id))) {
		sk_complain("vault create", ret, &uc);
		return -1;
	}
	return 0;
}

static int vault_delete(int fd, uint32_t id)
{
	struct vbs_ioctl_call uc;
	int ret;

	ret = sk_request(fd, &uc, VBS_SK_SVC_VAULT, VBS_SK_VAULT_DELETE, id,
			 NULL, 0, NULL, 0);
	if (!sk_answered(ret, &uc, 0)) {
		sk_complain("vault delete", ret, &uc);
		return -1;
	}
	return 0;
}

/* Exit status: 0, 1 (a call failed), 3 (no VTL1 here). */
static int run_vtl1_loop(struct bench_run *r)
{
	const struct vault_loop *v = find_vault_loop(r->name);
	uint32_t id = 0;
	int fd, rc = 0;

	fd = vtl1_open(r->name, &rc);
	if (fd < 0)
		return rc;
	if (v && vault_create(fd, v, &id)) {
		close(fd);
		return 1;
	}
	if (v) {
		r->param_name = "msg_bytes";
		r->param = VAULT_MSG_LEN;
	}
	bench_begin(r);
	rc = v ? loop_vault(fd, v, id, r->n) : loop_vtlcall(fd, r->n);
	bench_end(r);
	if (v && vault_delete(fd, id))
		rc = -1;
	close(fd);
	return rc ? 1 : 0;
}

/* Exit status: 0, 1 (the loop failed), 3 (skipped), 64 (bad arguments). */
static int run_loop(struct bench_run *r, const char *arg)
{
	int rc;

	if (strcmp(r->name, "memwalk") == 0 || strcmp(r->name, "invlpg") == 0)
		return run_memory_loop(r, arg);
	if (is_vtl1_loop(r->name))
		return arg ? bench_usage() : run_vtl1_loop(r);
	if (arg && strcmp(r->name, "forkexec") != 0)
		return bench_usage();
	bench_begin(r);
	if (strcmp(r->name, "syscall") == 0)
		rc = loop_syscall(r->n);
	else if (strcmp(r->name, "forkexec") == 0)
		rc = loop_forkexec(r->n, arg);
	else if (strcmp(r->name, "cpuid") == 0)
		rc = loop_cpuid(r->n);
	else
		rc = loop_spin(r->n);
	bench_end(r);
	return rc ? 1 : 0;
}

static bool known_loop(const char *name)
{
	static const char *const names[] = {
		"syscall", "forkexec", "cpuid", "memwalk", "invlpg", "spin",
		"vtlcall", "sign-ecdsa", "sign-ed25519", "mac",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct bench_run r = { .cpu = 0 };
	unsigned long cpu;
	int i = 1, rc;

	if (argc == 2 && strcmp(argv[1], "nop") == 0)
		return 0;
	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		if (parse_ulong(argv[2], 0, CPU_SETSIZE - 1, &cpu))
			return bench_usage();
		r.cpu = (int)cpu;
		i = 3;
	}
	if (argc - i < 2 || argc - i > 3 || !known_loop(argv[i]) ||
	    parse_ulong(argv[i + 1], 1, ULONG_MAX / 2, &r.n))
		return bench_usage();
	r.name = argv[i];
	if (strcmp(r.name, "forkexec") == 0 && argc - i == 2 &&
	    find_self_exe())
		return 1;
	if (pin_to_cpu(r.cpu))
		return 1;
	rc = run_loop(&r, argc - i == 3 ? argv[i + 2] : NULL);
	if (rc)
		return rc;
	bench_print(&r);
	return 0;
}
