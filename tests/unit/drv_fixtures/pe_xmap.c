/* Imports MmMapIoSpace, which maps executable (PE-XMAP). */
__attribute__((ms_abi)) void *MmMapIoSpace(unsigned long long phys, unsigned long size, int cache);
void *DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return MmMapIoSpace(0xfed00000ull, 4096, 0);
}
