// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: allocates with __vmalloc_node_range() and
 * PAGE_KERNEL_EXEC: ELF-VMALLOC-PROT fail (not exported by this kernel:
 * the module would also fail to load on the unknown symbol).
 */
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/numa.h>

static void *buf;

static int __init fixture_init(void)
{
	buf = __vmalloc_node_range(PAGE_SIZE, 1, VMALLOC_START, VMALLOC_END,
				   GFP_KERNEL, PAGE_KERNEL_EXEC, 0,
				   NUMA_NO_NODE, __builtin_return_address(0));
	return buf ? 0 : -ENOMEM;
}

static void __exit fixture_exit(void)
{
	vfree(buf);
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
