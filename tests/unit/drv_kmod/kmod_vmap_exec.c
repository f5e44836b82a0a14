// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: maps pages with vmap() and PAGE_KERNEL_EXEC, an
 * executable mapping: ELF-VMALLOC-PROT fail. vmap is exported: this module
 * loads.
 */
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>

static struct page *page;
static void *map;

static int __init fixture_init(void)
{
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	map = vmap(&page, 1, VM_MAP, PAGE_KERNEL_EXEC);
	return 0;
}

static void __exit fixture_exit(void)
{
	if (map)
		vunmap(map);
	__free_page(page);
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
