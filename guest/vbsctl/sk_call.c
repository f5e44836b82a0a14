// SPDX-License-Identifier: MIT
/*
 * One secure kernel request through /dev/vbs (vbs.ko; the ioctl ABI in
 * include/vbs/vbs_ioctl.h, docs/abi.md "VTL0 driver (vbs.ko)"), and the
 * mapping of its outcome to vbsctl's exit codes (docs/vbsctl.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vbs/sk_abi.h"
#include "vbs/vbs_ioctl.h"
#include "vbsctl.h"

#define VBS_DEV_PATH "/dev/" VBS_DEV_NAME

static int sk_status_exit(int32_t status)
{
	switch (status) {
	case VBS_SK_OK: return VBSCTL_OK;
	case VBS_SK_E_NOENT: return VBSCTL_E_NOENT;
	case VBS_SK_E_KIND: return VBSCTL_E_KIND;
	case VBS_SK_E_AUTH: return VBSCTL_E_AUTH;
	}
	return VBSCTL_E_REFUSED;
}

static int sk_ioctl(struct sk_call *c)
{
	struct vbs_ioctl_call uc;
	int fd, ret;

	fd = open(VBS_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		c->sys_errno = errno;
		return VBSCTL_E_DRIVER;
	}
	memset(&uc, 0, sizeof(uc));
	uc.size = sizeof(uc);
	uc.service = c->service;
	uc.op = c->op;
	uc.arg0 = c->arg0;
	uc.arg1 = c->arg1;
	uc.in_ptr = (uintptr_t)c->in;
	uc.in_len = c->in_len;
	uc.out_ptr = (uintptr_t)c->out;
	uc.out_len = c->out_cap;
	ret = ioctl(fd, VBS_IOC_CALL, &uc);
	c->sys_errno = ret < 0 ? errno : 0;
	close(fd);
	c->hc_status = uc.hc_status;
	if (ret < 0)
		return c->sys_errno == ENODEV ? VBSCTL_E_NOTRUNNING : VBSCTL_E_IO;
	c->status = uc.status;
	c->out_len = uc.out_len;
	if (c->out_len > c->out_cap)
		return VBSCTL_E_IO;
	return sk_status_exit(c->status);
}

void sk_call_reason(const struct sk_call *c, int rc, char *buf, size_t size)
{
	switch (rc) {
	case VBSCTL_OK:
		snprintf(buf, size, "ok");
		break;
	case VBSCTL_E_DRIVER:
		if (c->sys_errno == ENOENT || c->sys_errno == ENXIO ||
		    c->sys_errno == ENODEV)
			snprintf(buf, size, VBS_DEV_PATH " absent: vbs.ko is not "
				 "loaded (it loads only under the OpenVBS hypervisor)");
		else
			snprintf(buf, size, VBS_DEV_PATH ": %s%s",
				 strerror(c->sys_errno),
				 c->sys_errno == EACCES || c->sys_errno == EPERM ?
				 " (root only)" : "");
		break;
	case VBSCTL_E_NOTRUNNING:
		snprintf(buf, size, "the secure kernel (VTL1) is not running "
			 "(VTL call: hypercall status %u)", c->hc_status);
		break;
	case VBSCTL_E_IO:
		snprintf(buf, size, "VTL call failed: %s (hypercall status %u)",
			 c->sys_errno ? strerror(c->sys_errno) :
			 "malformed answer", c->hc_status);
		break;
	default:
		snprintf(buf, size, "the secure kernel refused: %s (status %d)",
			 sk_status_name(c->status), c->status);
		break;
	}
}

int sk_call(struct sk_call *c, const char *what, bool quiet)
{
	char reason[160];
	int rc;

	c->status = 0;
	c->out_len = 0;
	c->hc_status = 0;
	c->sys_errno = 0;
	rc = sk_ioctl(c);
	if (rc != VBSCTL_OK && !quiet) {
		sk_call_reason(c, rc, reason, sizeof(reason));
		fprintf(stderr, "vbsctl: %s: %s\n", what, reason);
	}
	return rc;
}

int sk_call_list(uint32_t service, uint32_t op, size_t entry_size,
		 const char *what, uint8_t **out, uint32_t *count)
{
	struct sk_call c = { .service = service, .op = op,
			     .out_cap = VBS_SK_BUF_MAX };
	int rc;

	*out = NULL;
	*count = 0;
	c.out = calloc(1, VBS_SK_BUF_MAX);
	if (!c.out)
		return VBSCTL_E_IO;
	rc = sk_call(&c, what, false);
	if (rc == VBSCTL_OK && c.out_len % entry_size != 0) {
		fprintf(stderr, "vbsctl: %s: malformed answer (%u bytes)\n",
			what, c.out_len);
		rc = VBSCTL_E_IO;
	}
	if (rc != VBSCTL_OK) {
		free(c.out);
		return rc;
	}
	*out = c.out;
	*count = (uint32_t)(c.out_len / entry_size);
	return VBSCTL_OK;
}
