// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: maps pages with a protection chosen at load time
 * (a module parameter): not decidable, ELF-VMALLOC-PROT warn.
 */
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>

static bool exec_map;
module_param(exec_map, bool, 0444);

static struct page *page;
static void *map;

static noinline pgprot_t fixture_prot(void)
{
	return exec_map ? PAGE_KERNEL_EXEC : PAGE_KERNEL;
}

static int __init fixture_init(void)
{
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	map = vmap(&page, 1, VM_MAP, fixture_prot());
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
