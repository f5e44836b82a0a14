/*
 * A stand-in export table for ntoskrnl.exe, linked as a PE DLL by GNU ld so
 * the driver fixtures get a real import directory naming these functions.
 */
__attribute__((ms_abi)) void *ExAllocatePoolWithTag(int pool_type, unsigned long size, unsigned tag);
__attribute__((ms_abi)) void *MmMapIoSpace(unsigned long long phys, unsigned long size, int cache);
__attribute__((ms_abi)) void *ExAllocatePoolWithTag(int pool_type, unsigned long size, unsigned tag)
{
	(void)pool_type;
	(void)size;
	(void)tag;
	return 0;
}
__attribute__((ms_abi)) void *MmMapIoSpace(unsigned long long phys, unsigned long size, int cache)
{
	(void)phys;
	(void)size;
	(void)cache;
	return 0;
}
