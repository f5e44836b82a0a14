/*
 * __vmalloc_node_range with a protection without NX: 0x163 is
 * __PAGE_KERNEL_EXEC (present, RW, accessed, dirty, global), the 6th
 * argument (ELF-VMALLOC-PROT, fail).
 */
extern void *__vmalloc_node_range(unsigned long size, unsigned long align,
				  unsigned long start, unsigned long end,
				  unsigned int gfp, unsigned long prot,
				  unsigned long vm_flags, int node,
				  const void *caller);
void *fixture_init(void)
{
	return __vmalloc_node_range(4096, 1, 0, ~0ul, 0, 0x163, 0, -1, 0);
}
