/* Allocates module memory (ELF-XMEM). */
extern void *module_alloc(unsigned long size);
void *fixture_init(void) { return module_alloc(4096); }
