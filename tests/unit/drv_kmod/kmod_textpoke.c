// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck fixture: writes code with text_poke(): ELF-TEXTPOKE (not
 * exported by this kernel).
 */
#include <linux/module.h>
#include <linux/mm.h>

void *text_poke(void *addr, const void *opcode, size_t len);

static char page_buf[PAGE_SIZE] __aligned(PAGE_SIZE);

static int __init fixture_init(void)
{
	return text_poke(page_buf, "\x90", 1) ? 0 : -EINVAL;
}

static void __exit fixture_exit(void)
{
}

module_init(fixture_init);
module_exit(fixture_exit);
MODULE_LICENSE("GPL");
