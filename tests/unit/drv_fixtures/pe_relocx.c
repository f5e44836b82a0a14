/* A 64-bit absolute address in code: a DIR64 fixup in .text (PE-RELOC-X). */
int fixture_data = 1;
int DriverEntry(void *driver, void *path)
{
	int *p;

	(void)driver;
	(void)path;
	__asm__("movabs $fixture_data, %0" : "=r"(p));
	return *p;
}
