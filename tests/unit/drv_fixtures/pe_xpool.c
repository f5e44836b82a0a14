/* Allocates from NonPagedPool, an executable pool type (PE-XPOOL, at the call). */
__attribute__((ms_abi)) void *ExAllocatePoolWithTag(int pool_type, unsigned long size, unsigned tag);
void *DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return ExAllocatePoolWithTag(0 /* NonPagedPool */, 64, 0x76627364);
}
