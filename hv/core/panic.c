// SPDX-License-Identifier: MIT
/*
 * Fatal stop: log and reset the machine. A hypervisor that cannot go on
 * must not let the guest run unprotected. Reset through the PCI reset
 * control register 0xcf9 (Q35/ICH9 "RST_CNT"; QEMU with -no-reboot powers
 * off instead), then halt if that did not take.
 */
#include "arch/x86/cpu.h"
#include "core/hv.h"

void hv_panic(unsigned int cpu, const char *why)
{
	hv_log(cpu, "PANIC: %s", why);
	hv_log(cpu, "resetting the machine");
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	hlt_forever();
	__builtin_unreachable();
}
