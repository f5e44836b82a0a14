/*
 * A 32-bit zero-extended absolute address of module data
 * (R_X86_64_32 against .bss), as -mcmodel=small code makes: it cannot
 * hold a module address (ELF-RELOC-RANGE).
 */
static unsigned long counter;
unsigned long fixture_init(void)
{
	unsigned long addr;

	__asm__("movl $%c1, %k0" : "=r"(addr) : "i"(&counter));
	return addr;
}
