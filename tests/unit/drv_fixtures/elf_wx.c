/* A section both writable and executable (ELF-WX). */
__asm__(".pushsection .wxtext, \"awx\", @progbits\n"
	".globl wx_code\nwx_code:\n\tnop\n\tret\n.popsection\n");
int fixture_init(void) { return 0; }
