/*
 * ExAllocatePool2 with POOL_FLAG_NON_PAGED (0x40, NX) and ExAllocatePool3
 * with POOL_FLAG_PAGED (0x100): no finding.
 */
__attribute__((ms_abi)) void *ExAllocatePool2(unsigned long long flags,
					      unsigned long long size,
					      unsigned tag);
__attribute__((ms_abi)) void *ExAllocatePool3(unsigned long long flags,
					      unsigned long long size,
					      unsigned tag, const void *params,
					      unsigned count);
void *DriverEntry(void *driver, void *path)
{
	void *a = ExAllocatePool2(0x40 /* POOL_FLAG_NON_PAGED */, 64, 0x76627364);

	(void)path;
	if (!a || !driver)
		return a;
	return ExAllocatePool3(0x100 /* POOL_FLAG_PAGED */, 64, 0x76627364, 0, 0);
}
