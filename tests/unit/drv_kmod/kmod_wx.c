// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: a section both writable and executable, made with
 * a section attribute: ELF-WX (the kernel's module_enforce_rwx_sections
 * refuses it).
 */
#include <linux/module.h>

/* "awx": allocated, writable, executable. */
asm(".pushsection .wxtext, \"awx\", @progbits\n"
    ".globl fixture_wx_code\n"
    "fixture_wx_code:\n\tret\n"
    ".popsection\n");

static int __init fixture_init(void)
{
	return 0;
}

static void __exit fixture_exit(void)
{
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
