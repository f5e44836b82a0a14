// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: maps a page frame with vmap_pfn() and
 * PAGE_KERNEL_EXEC, an executable mapping: ELF-VMALLOC-PROT fail.
 */
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <linux/mm.h>

static struct page *page;
static void *map;

static int __init fixture_init(void)
{
	unsigned long pfn;

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	pfn = page_to_pfn(page);
	map = vmap_pfn(&pfn, 1, PAGE_KERNEL_EXEC);
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
