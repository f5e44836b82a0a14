/* A PE section both writable and executable (PE-WX). */
__asm__(".pushsection .wxtext, \"awx\", @progbits\n"
	".globl wx_code\nwx_code:\n\tnop\n\tret\n.popsection\n");
int DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return 0;
}
