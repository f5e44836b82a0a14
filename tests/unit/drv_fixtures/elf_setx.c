/* Makes pages executable (ELF-XMEM). */
extern int set_memory_x(unsigned long addr, int numpages);
int fixture_init(unsigned long addr) { return set_memory_x(addr, 1); }
