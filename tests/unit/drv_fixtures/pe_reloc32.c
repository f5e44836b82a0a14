/*
 * A 32-bit absolute address in data (.long symbol): GNU ld records an
 * IMAGE_REL_BASED_HIGHLOW base relocation for it (PE-RELOC-TYPE). The
 * image is linked low (drv.mk) so that the address fits 32 bits at all.
 */
int fixture_data = 1;
__asm__(".section .rdata, \"dr\"\n.globl fixture_abs32\n"
	"fixture_abs32:\n\t.long fixture_data\n.text\n");
int DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return fixture_data;
}
