/* A PE section both writable and executable (PE-WX): COFF flags "wx". */
__asm__(".section .wxtext, \"wx\"\n"
	".globl wx_code\nwx_code:\n\tnop\n\tret\n.text\n");
int DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return 0;
}
