// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * prot-target: a test-only module with pages for VTL1 to protect
 * (tests/integration/vtl1-protect.sh, docs/secure-kernel.md "Protected
 * memory"). It allocates `pages` pages (page i filled with 0xa0 + i) and
 * accesses them on request, through the kernel's fault-tolerant accesses, so
 * that an access VTL1 denies (#GP injected into VTL0) comes back as an
 * error instead of an oops:
 *
 *   /sys/kernel/prot_target/phys    "I 0xPHYS" per page
 *   /sys/kernel/prot_target/op      write "w I OFF VAL" (8-byte store at
 *                                   page I + OFF, OFF 8-aligned, VAL hex),
 *                                   "b I OFF VAL" (1-byte store),
 *                                   "r I OFF" (8-byte load)
 *   /sys/kernel/prot_target/result  "ok 0xVAL" (the value read, or the
 *                                   value now at the address after a
 *                                   store) or "fault ERRNO"
 *
 * and one op that does not come back (tests/integration/vtl1-event.sh):
 *
 *   "x I"  with interrupts off, RSP at the top of page I, ud2: the CPU
 *          pushes the #UD frame onto page I. With page I's writes denied,
 *          that push is a secure intercept during event delivery; the
 *          hypervisor answers with #GP, whose push is denied too: #DF,
 *          which Linux takes on its own IST stack and reports ("double
 *          fault") before it panics. Without that answer the CPU would
 *          retry the push forever.
 *   "i I"  the same with interrupts on and a spin instead of ud2: the
 *          next external interrupt's frame push is denied (#GP now, the
 *          interrupt kept by the hypervisor), then the #GP's (#DF).
 */
#include <linux/kobject.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

#define TARGET_MAX_PAGES 16

static unsigned int pages = 4;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "pages to allocate (1..16)");

static struct page *target[TARGET_MAX_PAGES];
static struct kobject *target_kobj;
static DEFINE_MUTEX(target_lock);
static char last_result[64] = "none";

static ssize_t phys_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	ssize_t n = 0;
	unsigned int i;

	for (i = 0; i < pages; i++)
		n += sysfs_emit_at(buf, n, "%u 0x%llx\n", i,
				   (unsigned long long)page_to_phys(target[i]));
	return n;
}

static ssize_t result_show(struct kobject *k, struct kobj_attribute *a,
			   char *buf)
{
	ssize_t n;

	mutex_lock(&target_lock);
	n = sysfs_emit(buf, "%s\n", last_result);
	mutex_unlock(&target_lock);
	return n;
}

/* A store that survives a fault: the kernel's exception-table store
 * (copy_to_kernel_nofault is not exported to modules). */
static long store_nofault(void *p, u64 val, bool byte)
{
	u8 b = (u8)val;

	if (byte)
		__put_kernel_nofault(p, &b, u8, fault);
	else
		__put_kernel_nofault(p, &val, u64, fault);
	return 0;
fault:
	return -EFAULT;
}

static long target_access(char kind, void *p, u64 val, u64 *now)
{
	long rc = 0;

	if (kind != 'r')
		rc = store_nofault(p, val, kind == 'b');
	if (!rc)
		rc = copy_from_kernel_nofault(now, p, sizeof(*now));
	return rc;
}

/* The "x" and "i" ops: never return. The frame pushes start at the
 * page's top (RSP is 16-byte aligned for the push: SDM3 §6.14.2 "64-Bit
 * Mode Stack Frame"). */
static __always_inline void __noreturn fault_on_stack(unsigned int idx,
						      bool irq)
{
	unsigned long top = (unsigned long)page_address(target[idx]) +
			    PAGE_SIZE;

	pr_err("prot_target: %s with RSP at %#lx (page %u, phys %#llx)\n",
	       irq ? "interrupt" : "#UD", top, idx,
	       (unsigned long long)page_to_phys(target[idx]));
	local_irq_disable();
	if (irq)
		asm volatile("mov %0, %%rsp\n\tsti\n1:\tpause\n\tjmp 1b"
			     : : "r"(top) : "memory");
	else
		asm volatile("mov %0, %%rsp\n\tud2" : : "r"(top) : "memory");
	unreachable();
}

static ssize_t op_store(struct kobject *k, struct kobj_attribute *a,
			const char *buf, size_t count)
{
	unsigned int idx, off;
	u64 val = 0, now = 0;
	char kind;
	long rc;
	int n;

	if (sscanf(buf, "x %u", &idx) == 1 && idx < pages)
		fault_on_stack(idx, false);
	if (sscanf(buf, "i %u", &idx) == 1 && idx < pages)
		fault_on_stack(idx, true);
	n = sscanf(buf, "%c %u %u %llx", &kind, &idx, &off, &val);
	if (n < 3 || (kind != 'r' && kind != 'w' && kind != 'b') ||
	    (kind != 'r' && n != 4) || idx >= pages ||
	    off > PAGE_SIZE - 8 || (off & 7))
		return -EINVAL;
	mutex_lock(&target_lock);
	rc = target_access(kind, (u8 *)page_address(target[idx]) + off, val,
			   &now);
	if (rc)
		snprintf(last_result, sizeof(last_result), "fault %ld", rc);
	else
		snprintf(last_result, sizeof(last_result), "ok 0x%llx",
			 (unsigned long long)now);
	mutex_unlock(&target_lock);
	return count;
}

static struct kobj_attribute phys_attr = __ATTR_RO(phys);
static struct kobj_attribute result_attr = __ATTR_RO(result);
static struct kobj_attribute op_attr = __ATTR_WO(op);
static struct attribute *target_attrs[] = {
	&phys_attr.attr, &result_attr.attr, &op_attr.attr, NULL,
};
static const struct attribute_group target_group = { .attrs = target_attrs };

static void target_free(void)
{
	unsigned int i;

	for (i = 0; i < TARGET_MAX_PAGES; i++)
		if (target[i])
			__free_page(target[i]);
}

static int __init target_init(void)
{
	unsigned int i;
	int rc;

	if (!pages || pages > TARGET_MAX_PAGES)
		return -EINVAL;
	for (i = 0; i < pages; i++) {
		target[i] = alloc_page(GFP_KERNEL);
		if (!target[i]) {
			target_free();
			return -ENOMEM;
		}
		memset(page_address(target[i]), 0xa0 + i, PAGE_SIZE);
	}
	target_kobj = kobject_create_and_add("prot_target", kernel_kobj);
	if (!target_kobj) {
		target_free();
		return -ENOMEM;
	}
	rc = sysfs_create_group(target_kobj, &target_group);
	if (rc) {
		kobject_put(target_kobj);
		target_free();
	}
	return rc;
}

/* Never unloaded in the tests: protected pages cannot go back to the page
 * allocator (VTL0 cannot lift a protection). */
static void __exit target_exit(void)
{
	sysfs_remove_group(target_kobj, &target_group);
	kobject_put(target_kobj);
}

module_init(target_init);
module_exit(target_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("OpenVBS test: pages for VTL1 to protect");
