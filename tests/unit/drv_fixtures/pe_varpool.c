/* The pool type comes from the caller: not decidable (PE-XPOOL-UNKNOWN). */
__attribute__((ms_abi)) void *ExAllocatePoolWithTag(int pool_type,
						    unsigned long size,
						    unsigned tag);
__attribute__((ms_abi, noinline)) void *alloc_any(int pool_type)
{
	return ExAllocatePoolWithTag(pool_type + 0, 64, 0x76627364);
}
void *DriverEntry(void *driver, void *path)
{
	(void)path;
	return alloc_any((int)(unsigned long long)driver);
}
