// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: a module memory integrity has nothing against:
 * vmalloc'd data, a string, an init and an exit. No finding but ELF-SIG
 * (unsigned).
 */
#include <linux/module.h>
#include <linux/vmalloc.h>

static char *buf;

static int __init fixture_init(void)
{
	buf = vzalloc(PAGE_SIZE);
	if (!buf)
		return -ENOMEM;
	strscpy(buf, "clean", PAGE_SIZE);
	pr_info("drvcheck fixture: %s\n", buf);
	return 0;
}

static void __exit fixture_exit(void)
{
	vfree(buf);
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
