// SPDX-License-Identifier: MIT
/*
 * Evidence sources: record then replay gives the same bytes and the same
 * errors; replay stays inside its root; bad captures are refused; a run
 * over a capture with unreadable evidence reports unknown with the reason.
 */
#include "check_util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[PATH_MAX];

static void put(const char *rel, const void *data, size_t n)
{
	char p[PATH_MAX + 64], d[PATH_MAX + 64];
	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	snprintf(d, sizeof(d), "%s", p);
	for (char *s = d + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(d, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void puts_(const char *rel, const char *s)
{
	put(rel, s, strlen(s));
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/vc-ev-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir);
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static void record_then_replay(void **state)
{
	(void)state;
	char live[PATH_MAX + 32], cap[PATH_MAX + 32], p[PATH_MAX + 64];
	char link[64];
	struct ev_buf b = { 0 };
	struct ev_list l = { 0 };

	snprintf(live, sizeof(live), "%s/live", tmp);
	snprintf(cap, sizeof(cap), "%s/cap", tmp);
	puts_("live/devices/a/value", "42\n");
	snprintf(p, sizeof(p), "%s/live/bus", tmp);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/live/bus/a", tmp);
	assert_int_equal(symlink("../devices/a", p), 0);

	struct ev *rec = ev_record(cap);
	assert_non_null(rec);
	snprintf(p, sizeof(p), "%s/live/bus/a/value", tmp);
	assert_int_equal(ev_read(rec, p, &b), 0);
	assert_memory_equal(b.data, "42\n", 3);
	ev_buf_free(&b);
	snprintf(p, sizeof(p), "%s/live/bus/a", tmp);
	assert_int_equal(ev_readlink(rec, p, link, sizeof(link)), 0);
	snprintf(p, sizeof(p), "%s/live/devices", tmp);
	assert_int_equal(ev_ls(rec, p, &l), 0);
	assert_int_equal(l.count, 1);
	ev_list_free(&l);
	snprintf(p, sizeof(p), "%s/live/missing", tmp);
	assert_int_equal(ev_read(rec, p, &b), -ENOENT);
	snprintf(p, sizeof(p), "%s/live/devices", tmp);
	assert_int_equal(ev_read(rec, p, &b), -EISDIR);
	ev_close(rec);

	struct ev *rep = ev_replay(cap);
	assert_non_null(rep);
	snprintf(p, sizeof(p), "%s/live/bus/a/value", tmp);
	assert_int_equal(ev_read(rep, p, &b), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "42\n", 3);
	ev_buf_free(&b);
	char link2[64];
	snprintf(p, sizeof(p), "%s/live/bus/a", tmp);
	assert_int_equal(ev_readlink(rep, p, link2, sizeof(link2)), 0);
	assert_string_equal(link, link2);
	snprintf(p, sizeof(p), "%s/live/devices", tmp);
	assert_int_equal(ev_ls(rep, p, &l), 0);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.names[0], "a");
	ev_list_free(&l);
	/* the live errors come back, not a guess */
	assert_int_equal(ev_read(rep, p, &b), -EISDIR);
	snprintf(p, sizeof(p), "%s/live/missing", tmp);
	assert_int_equal(ev_read(rep, p, &b), -ENOENT);
	uint32_t r[4];
	assert_int_equal(ev_cpuid(rep, 0x12345678, 0, r), -ENOENT);
	uint64_t v;
	assert_int_equal(ev_rdmsr(rep, 0, 0x3a, &v), -ENOENT);
	ev_close(rep);
}

static void replay_stays_inside_root(void **state)
{
	(void)state;
	char root[PATH_MAX + 32], p[PATH_MAX + 64];
	struct ev_buf b = { 0 };

	snprintf(root, sizeof(root), "%s/jail", tmp);
	puts_("jail/sys/x", "in");
	snprintf(p, sizeof(p), "%s/jail/sys/abs", tmp);
	assert_int_equal(symlink("/etc/hostname", p), 0);
	snprintf(p, sizeof(p), "%s/jail/sys/up", tmp);
	assert_int_equal(symlink("../../../../../../../../etc/hostname", p), 0);
	struct ev *rep = ev_replay(root);
	assert_non_null(rep);
	assert_int_equal(ev_read(rep, "/sys/x", &b), 0);
	ev_buf_free(&b);
	assert_int_equal(ev_read(rep, "/sys/abs", &b), -ENOENT);
	assert_int_equal(ev_read(rep, "/sys/up", &b), -ENOENT);
	assert_int_equal(ev_read(rep, "/../../etc/hostname", &b), -ENOENT);
	ev_close(rep);
}

static void bad_capture_refused(void **state)
{
	(void)state;
	char root[PATH_MAX + 32];
	snprintf(root, sizeof(root), "%s/bad", tmp);
	puts_("bad/vbs-capture/cpuid", "00000000 00000000 zz\n");
	errno = 0;
	assert_null(ev_replay(root));
	assert_int_equal(errno, EINVAL);
	snprintf(root, sizeof(root), "%s/nonexistent", tmp);
	assert_null(ev_replay(root));
	assert_int_equal(errno, ENOENT);
}

/* A whole run over a hand-made capture with unreadable evidence. */
static void run_over_capture_with_errors(void **state)
{
	(void)state;
	char root[PATH_MAX + 32];
	static struct vc_check c[16];
	struct vc_ctx ctx = { .opt = { .profile = VC_PROFILE_OEM, .replay = true } };

	snprintf(root, sizeof(root), "%s/run", tmp);
	/* AMD host with SVM and NPT; VM_CR unreadable (no msr module) */
	puts_("run/vbs-capture/cpuid",
	      "00000000 00000000 00000010 68747541 444d4163 69746e65\n"
	      "00000001 00000000 00a00f11 00020800 7ffa3203 178bfbff\n"
	      "80000000 00000000 80000022 68747541 444d4163 69746e65\n"
	      "80000001 00000000 00a00f11 40000000 004003f7 2fd3fbff\n"
	      "8000000a 00000000 00000001 00000010 00000000 00000001\n");
	puts_("run/vbs-capture/msr", "0 c0010114 !ENOENT\n");
	puts_("run/vbs-capture/errors",
	      "read:/sys/firmware/acpi/tables/WSMT\tEACCES\n"
	      "read:/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-"
	      "00e098032b8c\tEACCES\n@klog\tEPERM\n");
	puts_("run/sys/devices/system/cpu/online", "0\n");
	puts_("run/sys/firmware/acpi/tables/WSMT", "");
	puts_("run/sys/firmware/efi/efivars/x", "");
	ctx.ev = ev_replay(root);
	assert_non_null(ctx.ev);
	assert_int_equal(vc_run(&ctx, c), 0);
	assert_false(ctx.guest);
	assert_int_equal(c[0].result, VC_UNKNOWN); /* R1 */
	assert_non_null(strstr(c[0].message, "modprobe msr"));
	assert_int_equal(c[1].result, VC_PASS);    /* R2: CPUID only */
	assert_int_equal(c[4].result, VC_UNKNOWN); /* R5 */
	assert_non_null(strstr(c[4].message, "permission denied"));
	assert_int_equal(c[5].result, VC_UNKNOWN); /* R6: klog EPERM */
	assert_int_equal(c[9].result, VC_UNKNOWN); /* R10 */
	assert_int_equal(c[8].result, VC_NA);      /* R9: not a guest */
	assert_int_equal(vc_exit_code(c, vc_checks_count, false), 1); /* R3-R4 fail */
	vc_ctx_free(&ctx);
	ev_close(ctx.ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record_then_replay),
		cmocka_unit_test(replay_stays_inside_root),
		cmocka_unit_test(bad_capture_refused),
		cmocka_unit_test(run_over_capture_with_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
