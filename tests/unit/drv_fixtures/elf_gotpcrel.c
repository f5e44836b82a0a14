/*
 * A GOT-relative load (R_X86_64_REX_GOTPCRELX), as position-independent
 * code makes: the x86-64 module loader refuses the type (ELF-RELOC-TYPE).
 */
extern unsigned long jiffies;
unsigned long *fixture_init(void)
{
	unsigned long *p;

	__asm__("movq jiffies@GOTPCREL(%%rip), %0" : "=r"(p));
	return p;
}
