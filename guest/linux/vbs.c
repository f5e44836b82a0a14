// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * vbs.ko: OpenVBS's VTL0 driver (docs/abi.md "VTL0 driver (vbs.ko)",
 * docs/vbsctl.md). It refuses to load unless the OpenVBS hypervisor runs
 * (CPUID leaf 0x40000000 signature, include/vbs/cpuid.h), then carries
 * secure kernel requests (include/vbs/sk_abi.h) from user space to VTL1:
 *
 *   /dev/vbs            misc device, root only; ioctl VBS_IOC_CALL
 *                       (include/vbs/vbs_ioctl.h)
 *   /sys/kernel/vbs/    status (one line), vtl1 (running | absent),
 *                       log_dropped (through the status service)
 *
 * It also tells VTL1 where each kernel module's code lies (a module
 * notifier; itself at load), so that VTL1's events name the module an
 * address belongs to (VBS_SK_SVC_MODULE: VTL0's word, not verified).
 *
 * One request at a time (a mutex): one request page and one input and one
 * output buffer of VBS_SK_BUF_MAX bytes each, physically contiguous,
 * allocated at load. Buffers are zeroed before a call hands them to VTL1
 * and scrubbed after, so nothing of one caller (an imported key, an
 * unwrapped plaintext) stays in VTL0 memory or reaches another.
 *
 * Dual-licensed: the kernel needs a GPL-compatible license for
 * sysfs_create_group() and the exception tables; no third-party code.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <asm/asm.h>
#include <asm/processor.h>

#include "vbs/cpuid.h"
#include "vbs/hypercall.h"
#include "vbs/sk_abi.h"
#include "vbs/vbs_ioctl.h"

#define VBS_BUF_ORDER get_order(VBS_SK_BUF_MAX)

/* One request in flight: the buffers VTL1 reads and writes. */
static struct {
	struct mutex lock;
	struct vbs_sk_request *req;  /* its own page: aligned, in one page */
	void *in_buf;                /* VBS_SK_BUF_MAX bytes, contiguous */
	void *out_buf;               /* VBS_SK_BUF_MAX bytes, contiguous */
	u32 hv_version;              /* CPUID 0x40000001 EBX */
} vbs;

/* One secure kernel request; its input is already in vbs.in_buf. */
struct vbs_call {
	u32 service, op;
	u64 arg0, arg1;
	u32 in_len;     /* bytes of vbs.in_buf to pass */
	u32 out_cap;    /* bytes of vbs.out_buf VTL1 may write */
	s32 status;     /* out: enum vbs_sk_status */
	u32 out_len;    /* out: bytes VTL1 wrote */
	u32 hc_status;  /* out: enum vbs_hc_status, or ~0 when VMMCALL trapped */
};

#define VBS_HC_TRAPPED 0xffffffffu

/*
 * VBS_HC_VTL_CALL (include/vbs/hypercall.h; Hyper-V TLFS HvCallVtlCall):
 * RAX = 0x11, RBX = request GPA, RCX = RDX = RSI = RDI = 0; RAX back =
 * status. VMMCALL on a CPU the hypervisor does not run raises #UD: the
 * exception table (EX_TYPE_FAULT) resumes at 2: with the trap number in
 * RAX, and 2: marks it in RDI.
 */
static u32 vbs_vmmcall_vtl_call(phys_addr_t req_gpa)
{
	u64 rax = VBS_HC_VTL_CALL, rbx = req_gpa, rcx = 0, rdx = 0;
	u64 rsi = 0, rdi = 0;

	asm volatile("1: .byte 0x0f, 0x01, 0xd9\n"
		     "jmp 3f\n"
		     "2: mov $1, %%edi\n"
		     "3:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx),
		       "+S"(rsi), "+D"(rdi)
		     :
		     : "memory");
	if (rdi) {
		pr_err_ratelimited("vbs: VMMCALL raised trap %llu on CPU %d\n",
				   rax, smp_processor_id());
		return VBS_HC_TRAPPED;
	}
	return rax > U32_MAX - 1 ? U32_MAX - 1 : (u32)rax;
}

static void vbs_request_build(const struct vbs_call *c)
{
	struct vbs_sk_request *r = vbs.req;

	memset(r, 0, sizeof(*r));
	r->magic = VBS_SK_REQ_MAGIC;
	r->version = VBS_SK_ABI_VERSION;
	r->size = VBS_SK_REQ_SIZE;
	r->service = c->service;
	r->op = c->op;
	r->arg0 = c->arg0;
	r->arg1 = c->arg1;
	if (c->in_len) {
		r->in.gpa = virt_to_phys(vbs.in_buf);
		r->in.len = c->in_len;
	}
	if (c->out_cap) {
		memset(vbs.out_buf, 0, c->out_cap);
		r->out.gpa = virt_to_phys(vbs.out_buf);
		r->out.len = c->out_cap;
	}
}

/*
 * Makes the VTL call; vbs.lock held, lengths already checked against
 * VBS_SK_BUF_MAX. Returns 0 when VTL1 ran the request (c->status is its
 * answer), -ENODEV when no secure kernel runs, -EIO otherwise. The call
 * stays on this CPU (preemption off); interrupts stay on: VTL1 is
 * interrupted and the call restarted by the hypervisor (hypercall.h).
 */
static int vbs_vtl_call(struct vbs_call *c)
{
	u32 hc;

	c->status = 0;
	c->out_len = 0;
	vbs_request_build(c);
	preempt_disable();
	hc = vbs_vmmcall_vtl_call(virt_to_phys(vbs.req));
	preempt_enable();
	c->hc_status = hc;
	if (hc == VBS_HC_E_NOVTL1 || hc == VBS_HC_E_UNKNOWN ||
	    hc == VBS_HC_TRAPPED)
		return -ENODEV;
	if (hc != VBS_HC_OK) {
		pr_warn_ratelimited("vbs: VTL call refused by the hypervisor, status %u\n",
				    hc);
		return -EIO;
	}
	c->status = READ_ONCE(vbs.req->status);
	c->out_len = READ_ONCE(vbs.req->out_len);
	if (c->out_len > c->out_cap) {
		pr_warn_ratelimited("vbs: secure kernel answered %u bytes for a %u-byte buffer\n",
				    c->out_len, c->out_cap);
		c->out_len = 0;
		return -EIO;
	}
	return 0;
}

/* After a call: nothing of it stays in VTL0 memory. */
static void vbs_scrub(u32 in_len, u32 out_cap)
{
	memzero_explicit(vbs.in_buf, in_len);
	memzero_explicit(vbs.out_buf, out_cap);
}

/* The status service (VBS_SK_STATUS_GET). 0, -ENODEV, -EIO, -EPROTO
 * (the secure kernel answered an error or too few bytes), -EINTR. */
static int vbs_status_get(struct vbs_sk_status_info *si)
{
	struct vbs_call c = {
		.service = VBS_SK_SVC_STATUS,
		.op = VBS_SK_STATUS_GET,
		.out_cap = sizeof(*si),
	};
	int ret;

	if (mutex_lock_interruptible(&vbs.lock))
		return -EINTR;
	ret = vbs_vtl_call(&c);
	if (!ret && (c.status != VBS_SK_OK || c.out_len < sizeof(*si)))
		ret = -EPROTO;
	if (!ret)
		memcpy(si, vbs.out_buf, sizeof(*si));
	vbs_scrub(0, c.out_cap);
	mutex_unlock(&vbs.lock);
	return ret;
}

/* ---- module ranges for VTL1's events ---- */

/* A module's code (the text of its core part). */
static void vbs_module_text(const struct module *mod, u64 *base, u64 *size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	*base = (u64)(uintptr_t)mod->mem[MOD_TEXT].base;
	*size = mod->mem[MOD_TEXT].size;
#else
	*base = (u64)(uintptr_t)mod->core_layout.base;
	*size = mod->core_layout.text_size;
#endif
}

/* VBS_SK_MODULE_NOTE or _GONE for mod. Errors are only counted: a module
 * VTL1 does not know is reported without a name. */
static void vbs_module_report(const struct module *mod, u32 op)
{
	size_t len = strnlen(mod->name, VBS_SK_EV_MODULE_LEN - 1);
	struct vbs_call c = { .service = VBS_SK_SVC_MODULE, .op = op };
	u64 size;

	vbs_module_text(mod, &c.arg0, &size);
	if (op == VBS_SK_MODULE_NOTE) {
		c.arg1 = size;
		c.in_len = (u32)len;
	}
	mutex_lock(&vbs.lock);
	if (c.in_len)
		memcpy(vbs.in_buf, mod->name, len);
	if (vbs_vtl_call(&c) || c.status != VBS_SK_OK)
		pr_debug("vbs: module %s not reported to VTL1 (%d)\n",
			 mod->name, c.status);
	vbs_scrub(c.in_len, 0);
	mutex_unlock(&vbs.lock);
}

static int vbs_module_event(struct notifier_block *nb, unsigned long state,
			    void *data)
{
	if (state == MODULE_STATE_COMING)
		vbs_module_report(data, VBS_SK_MODULE_NOTE);
	else if (state == MODULE_STATE_GOING)
		vbs_module_report(data, VBS_SK_MODULE_GONE);
	return NOTIFY_DONE;
}

static struct notifier_block vbs_module_nb = {
	.notifier_call = vbs_module_event,
};

/* ---- /dev/vbs ---- */

static int vbs_ioctl_check(const struct vbs_ioctl_call *uc)
{
	if (uc->size != sizeof(*uc) || uc->reserved)
		return -EINVAL;
	if (uc->in_len > VBS_SK_BUF_MAX || uc->out_len > VBS_SK_BUF_MAX)
		return -EINVAL;
	if ((uc->in_len && !uc->in_ptr) || (uc->out_len && !uc->out_ptr))
		return -EINVAL;
	return 0;
}

/* Runs one request for user space; vbs.lock held. */
static int vbs_ioctl_run(struct vbs_ioctl_call *uc)
{
	struct vbs_call c = {
		.service = uc->service, .op = uc->op,
		.arg0 = uc->arg0, .arg1 = uc->arg1,
		.in_len = uc->in_len, .out_cap = uc->out_len,
	};
	int ret = 0;

	if (c.in_len && copy_from_user(vbs.in_buf, u64_to_user_ptr(uc->in_ptr),
				       c.in_len))
		ret = -EFAULT;
	if (!ret)
		ret = vbs_vtl_call(&c);
	if (!ret && c.out_len &&
	    copy_to_user(u64_to_user_ptr(uc->out_ptr), vbs.out_buf, c.out_len))
		ret = -EFAULT;
	vbs_scrub(c.in_len, c.out_cap);
	uc->status = c.status;
	uc->out_len = c.out_len;
	uc->hc_status = c.hc_status;
	return ret;
}

static long vbs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct vbs_ioctl_call uc;
	int ret;

	if (cmd != VBS_IOC_CALL)
		return -ENOTTY;
	if (copy_from_user(&uc, argp, sizeof(uc)))
		return -EFAULT;
	ret = vbs_ioctl_check(&uc);
	if (ret)
		return ret;
	uc.status = 0;
	uc.hc_status = 0;
	if (mutex_lock_interruptible(&vbs.lock))
		return -EINTR;
	ret = vbs_ioctl_run(&uc);
	mutex_unlock(&vbs.lock);
	if ((ret == 0 || ret == -ENODEV || ret == -EIO) &&
	    copy_to_user(argp, &uc, sizeof(uc)))
		return -EFAULT;
	return ret;
}

static int vbs_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static const struct file_operations vbs_fops = {
	.owner = THIS_MODULE,
	.open = vbs_open,
	.unlocked_ioctl = vbs_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static struct miscdevice vbs_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VBS_DEV_NAME,
	.fops = &vbs_fops,
	.mode = 0600,
};

/* ---- /sys/kernel/vbs ---- */

static const char *const vbs_prop_names[] = { "vtl1", "vault", "hvci" };

/* "vtl1,vault" for a VBS_SK_PROP_* mask, "none" for 0. */
static int vbs_props_format(char *buf, size_t size, u32 mask)
{
	int n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vbs_prop_names); i++)
		if (mask & (1u << i))
			n += scnprintf(buf + n, size - n, "%s%s", n ? "," : "",
				       vbs_prop_names[i]);
	if (mask >> ARRAY_SIZE(vbs_prop_names))
		n += scnprintf(buf + n, size - n, "%s0x%x", n ? "," : "",
			       mask >> ARRAY_SIZE(vbs_prop_names)
				       << ARRAY_SIZE(vbs_prop_names));
	if (!n)
		n = scnprintf(buf, size, "none");
	return n;
}

static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct vbs_sk_status_info si;
	char running[48];
	int ret = vbs_status_get(&si);

	if (ret == -ENODEV)
		return sysfs_emit(buf, "secure kernel: not running (OpenVBS hypervisor %u.%u.%u)\n",
				  vbs.hv_version >> 16, (vbs.hv_version >> 8) & 0xff,
				  vbs.hv_version & 0xff);
	if (ret)
		return sysfs_emit(buf, "secure kernel: error %d\n", ret);
	vbs_props_format(running, sizeof(running), si.props_running);
	return sysfs_emit(buf, "secure kernel: running, version %u.%u.%u, services %s, vault %u/%u, log next %llu dropped %llu\n",
			  si.sk_version >> 16, (si.sk_version >> 8) & 0xff,
			  si.sk_version & 0xff, running, si.vault_used,
			  si.vault_slots, si.log_next_seq, si.log_dropped);
}

static ssize_t vtl1_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct vbs_sk_status_info si;
	int ret = vbs_status_get(&si);

	if (ret == -ENODEV)
		return sysfs_emit(buf, "absent\n");
	if (ret)
		return ret;
	return sysfs_emit(buf, "running\n");
}

static ssize_t log_dropped_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct vbs_sk_status_info si;
	int ret = vbs_status_get(&si);

	if (ret)
		return ret;
	return sysfs_emit(buf, "%llu\n", si.log_dropped);
}

static struct kobj_attribute vbs_attr_status = __ATTR_RO(status);
static struct kobj_attribute vbs_attr_vtl1 = __ATTR_RO(vtl1);
static struct kobj_attribute vbs_attr_log_dropped = __ATTR_RO(log_dropped);

static struct attribute *vbs_attrs[] = {
	&vbs_attr_status.attr,
	&vbs_attr_vtl1.attr,
	&vbs_attr_log_dropped.attr,
	NULL,
};

static const struct attribute_group vbs_attr_group = {
	.attrs = vbs_attrs,
};

static struct kobject *vbs_kobj;

/* ---- load and unload ---- */

/* CPUID leaf 0x40000000: "OpenVBSHyper" in EBX:ECX:EDX (include/vbs/cpuid.h). */
static bool vbs_hypervisor_present(void)
{
	unsigned int max_leaf, sig[3], eax, ecx, edx;

	cpuid(VBS_CPUID_LEAF_VENDOR, &max_leaf, &sig[0], &sig[1], &sig[2]);
	if (memcmp(sig, VBS_CPUID_SIGNATURE, VBS_CPUID_SIGNATURE_LEN) != 0 ||
	    max_leaf < VBS_CPUID_LEAF_INFO)
		return false;
	cpuid(VBS_CPUID_LEAF_INFO, &eax, &vbs.hv_version, &ecx, &edx);
	return true;
}

static void vbs_buffers_free(void)
{
	if (vbs.out_buf)
		free_pages((unsigned long)vbs.out_buf, VBS_BUF_ORDER);
	if (vbs.in_buf)
		free_pages((unsigned long)vbs.in_buf, VBS_BUF_ORDER);
	if (vbs.req)
		free_page((unsigned long)vbs.req);
	vbs.out_buf = vbs.in_buf = NULL;
	vbs.req = NULL;
}

static int vbs_buffers_alloc(void)
{
	vbs.req = (void *)get_zeroed_page(GFP_KERNEL);
	vbs.in_buf = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					      VBS_BUF_ORDER);
	vbs.out_buf = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					       VBS_BUF_ORDER);
	if (vbs.req && vbs.in_buf && vbs.out_buf)
		return 0;
	vbs_buffers_free();
	return -ENOMEM;
}

static void vbs_log_state(void)
{
	struct vbs_sk_status_info si;
	int ret = vbs_status_get(&si);

	if (!ret)
		pr_info("vbs: OpenVBS hypervisor %u.%u.%u; secure kernel running, version %u.%u.%u\n",
			vbs.hv_version >> 16, (vbs.hv_version >> 8) & 0xff,
			vbs.hv_version & 0xff, si.sk_version >> 16,
			(si.sk_version >> 8) & 0xff, si.sk_version & 0xff);
	else
		pr_info("vbs: OpenVBS hypervisor %u.%u.%u; secure kernel not running (%d)\n",
			vbs.hv_version >> 16, (vbs.hv_version >> 8) & 0xff,
			vbs.hv_version & 0xff, ret);
}

static int __init vbs_init(void)
{
	int ret;

	if (!vbs_hypervisor_present()) {
		pr_err("vbs: OpenVBS hypervisor not present (no \"%s\" at CPUID 0x%x); not loading\n",
		       VBS_CPUID_SIGNATURE, VBS_CPUID_LEAF_VENDOR);
		return -ENODEV;
	}
	mutex_init(&vbs.lock);
	ret = vbs_buffers_alloc();
	if (ret)
		return ret;
	vbs_log_state();
	ret = misc_register(&vbs_misc);
	if (ret)
		goto err_buffers;
	vbs_kobj = kobject_create_and_add("vbs", kernel_kobj);
	if (!vbs_kobj) {
		ret = -ENOMEM;
		goto err_misc;
	}
	ret = sysfs_create_group(vbs_kobj, &vbs_attr_group);
	if (ret)
		goto err_kobj;
	vbs_module_report(THIS_MODULE, VBS_SK_MODULE_NOTE);
	register_module_notifier(&vbs_module_nb);
	return 0;

err_kobj:
	kobject_put(vbs_kobj);
err_misc:
	misc_deregister(&vbs_misc);
err_buffers:
	vbs_buffers_free();
	return ret;
}

static void __exit vbs_exit(void)
{
	unregister_module_notifier(&vbs_module_nb);
	vbs_module_report(THIS_MODULE, VBS_SK_MODULE_GONE);
	sysfs_remove_group(vbs_kobj, &vbs_attr_group);
	kobject_put(vbs_kobj);
	misc_deregister(&vbs_misc);
	vbs_buffers_free();
}

module_init(vbs_init);
module_exit(vbs_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("OpenVBS VTL0 driver: secure kernel requests, /dev/vbs, /sys/kernel/vbs");
