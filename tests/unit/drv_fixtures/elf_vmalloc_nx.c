/* __vmalloc_node_range and vmap with NX set (bit 63): no finding. */
struct page;
extern void *__vmalloc_node_range(unsigned long size, unsigned long align,
				  unsigned long start, unsigned long end,
				  unsigned int gfp, unsigned long prot,
				  unsigned long vm_flags, int node,
				  const void *caller);
extern void *vmap(struct page **pages, unsigned int count,
		  unsigned long flags, unsigned long prot);
void *fixture_init(struct page **pages)
{
	void *p = __vmalloc_node_range(4096, 1, 0, ~0ul, 0,
				       0x8000000000000163ul, 0, -1, 0);

	return p ? p : vmap(pages, 1, 4, 0x8000000000000163ul);
}
