// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: makes a page executable with set_memory_x():
 * ELF-XMEM (not exported by this kernel).
 */
#include <linux/module.h>
#include <linux/mm.h>

int set_memory_x(unsigned long addr, int numpages);

static char page_buf[PAGE_SIZE] __aligned(PAGE_SIZE);

static int __init fixture_init(void)
{
	return set_memory_x((unsigned long)page_buf, 1);
}

static void __exit fixture_exit(void)
{
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
