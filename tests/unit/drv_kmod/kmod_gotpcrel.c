// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: loads an address through the GOT
 * (R_X86_64_REX_GOTPCRELX), as -fpic code does: the module loader refuses
 * the relocation type, ELF-RELOC-TYPE.
 */
#include <linux/module.h>
#include <linux/jiffies.h>

static unsigned long *where;

static int __init fixture_init(void)
{
	asm volatile("movq jiffies@GOTPCREL(%%rip), %0" : "=r"(where));
	return 0;
}

static void __exit fixture_exit(void)
{
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
