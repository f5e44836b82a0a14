// SPDX-License-Identifier: MIT
/*
 * vbs-ioctl-probe: the guest side of tests/integration/vbs-ko.sh. Drives
 * /dev/vbs (include/vbs/vbs_ioctl.h) with malformed requests and prints
 * one TAP line per check; each must be refused with the errno that
 * docs/abi.md "VTL0 driver (vbs.ko)" names, before any VTL call. Then one
 * well-formed status request: it prints "vtl-call errno=E hc=H status=S"
 * for the script, which knows whether a secure kernel should run.
 * Test guest only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vbs/sk_abi.h"
#include "vbs/vbs_ioctl.h"

static int failures;

static void check(int ok, const char *what, int err)
{
	printf("%s - vbs.ko: %s (errno %d)\n", ok ? "ok" : "not ok", what, err);
	failures += !ok;
}

static void call_init(struct vbs_ioctl_call *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->service = VBS_SK_SVC_STATUS;
	c->op = VBS_SK_STATUS_GET;
}

/* ioctl; returns 0 or errno. */
static int call(int fd, unsigned long cmd, struct vbs_ioctl_call *c)
{
	return ioctl(fd, cmd, c) == 0 ? 0 : errno;
}

static void malformed(int fd)
{
	static uint8_t buf[16];
	struct vbs_ioctl_call c;
	int e;

	call_init(&c);
	c.size = sizeof(c) - 8;
	e = call(fd, VBS_IOC_CALL, &c);
	check(e == EINVAL, "wrong size refused with EINVAL", e);
	call_init(&c);
	c.reserved = 1;
	e = call(fd, VBS_IOC_CALL, &c);
	check(e == EINVAL, "reserved field not zero refused with EINVAL", e);
	call_init(&c);
	c.in_ptr = (uintptr_t)buf;
	c.in_len = VBS_SK_BUF_MAX + 1;
	e = call(fd, VBS_IOC_CALL, &c);
	check(e == EINVAL, "in_len above VBS_SK_BUF_MAX refused with EINVAL", e);
	call_init(&c);
	c.out_ptr = (uintptr_t)buf;
	c.out_len = 0xffffffffu;
	e = call(fd, VBS_IOC_CALL, &c);
	check(e == EINVAL, "out_len 0xffffffff refused with EINVAL", e);
	call_init(&c);
	c.in_len = 16;
	e = call(fd, VBS_IOC_CALL, &c);
	check(e == EINVAL, "a length without a pointer refused with EINVAL", e);
	call_init(&c);
	c.in_ptr = 0x10;
	c.in_len = 16;
	e = call(fd, VBS_IOC_CALL, &c);
	check(e == EFAULT, "an unmapped input pointer refused with EFAULT", e);
	call_init(&c);
	c.in_ptr = 0xffff888000000000ull;
	c.in_len = 16;
	e = call(fd, VBS_IOC_CALL, &c);
	check(e == EFAULT, "a kernel address as input refused with EFAULT", e);
	e = ioctl(fd, VBS_IOC_CALL, (void *)0x10) == 0 ? 0 : errno;
	check(e == EFAULT, "an unmapped request refused with EFAULT", e);
	e = call(fd, _IOWR(VBS_IOC_MAGIC, 0x7f, struct vbs_ioctl_call), &c);
	check(e == ENOTTY, "an unknown ioctl refused with ENOTTY", e);
}

/* A process without root (uid/gid 65534) cannot open /dev/vbs. */
static void unprivileged(void)
{
	int status = 0, e;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(open("/dev/vbs", O_RDWR) < 0 ? errno : 0);
	}
	waitpid(pid, &status, 0);
	e = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	check(e == EACCES || e == EPERM, "open by uid 65534 refused", e);
}

int main(void)
{
	struct vbs_sk_status_info si;
	struct vbs_ioctl_call c;
	int fd = open("/dev/vbs", O_RDWR), e;

	if (fd < 0) {
		printf("not ok - vbs.ko: open /dev/vbs: %s\n", strerror(errno));
		return 1;
	}
	malformed(fd);
	unprivileged();
	call_init(&c);
	memset(&si, 0xa5, sizeof(si));
	c.out_ptr = (uintptr_t)&si;
	c.out_len = sizeof(si);
	e = call(fd, VBS_IOC_CALL, &c);
	printf("vtl-call errno=%d hc=%u status=%d out_len=%u\n", e, c.hc_status,
	       c.status, c.out_len);
	close(fd);
	return failures != 0;
}
