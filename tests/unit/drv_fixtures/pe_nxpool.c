/* Allocates from NonPagedPoolNx (512) only: no finding. */
__attribute__((ms_abi)) void *ExAllocatePoolWithTag(int pool_type,
						    unsigned long size,
						    unsigned tag);
void *DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return ExAllocatePoolWithTag(512 /* NonPagedPoolNx */, 64, 0x76627364);
}
