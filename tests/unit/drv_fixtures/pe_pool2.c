/* ExAllocatePool2 with POOL_FLAG_NON_PAGED_EXECUTE (0x80): PE-XPOOL. */
__attribute__((ms_abi)) void *ExAllocatePool2(unsigned long long flags,
					      unsigned long long size,
					      unsigned tag);
void *DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return ExAllocatePool2(0x80 /* POOL_FLAG_NON_PAGED_EXECUTE */, 64,
			       0x76627364);
}
