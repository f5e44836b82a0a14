/* A Windows-style driver entry, linked into PE images by mingw-w64. */
int fixture_data = 1;
int DriverEntry(void *driver, void *path)
{
	(void)driver;
	(void)path;
	return fixture_data;
}
