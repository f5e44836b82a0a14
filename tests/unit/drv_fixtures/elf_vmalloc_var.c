/* vmap with a protection the caller passes in: undecidable (warn). */
struct page;
extern void *vmap(struct page **pages, unsigned int count,
		  unsigned long flags, unsigned long prot);
void *fixture_map(struct page **pages, unsigned long prot)
{
	return vmap(pages, 1, 4, prot);
}
