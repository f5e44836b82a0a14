/* Makes pages writable again (ELF-MEMRW). */
extern int set_memory_rw(unsigned long addr, int numpages);
int fixture_init(unsigned long addr) { return set_memory_rw(addr, 1); }
