// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: takes the address of module data as a 32-bit
 * zero-extended immediate (R_X86_64_32), as -mcmodel=small code does: it
 * cannot hold a module address, ELF-RELOC-RANGE.
 */
#include <linux/module.h>

static unsigned long counter;

static int __init fixture_init(void)
{
	unsigned long addr;

	asm("movl $%c1, %k0" : "=r"(addr) : "i"(&counter));
	return addr ? 0 : -EINVAL;
}

static void __exit fixture_exit(void)
{
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
