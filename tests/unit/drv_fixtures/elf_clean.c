/* A module-like object with nothing memory integrity objects to. */
extern int printk(const char *fmt, ...);
static int counter;
int fixture_init(void)
{
	counter++;
	return printk("hello %d\n", counter);
}
