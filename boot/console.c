// SPDX-License-Identifier: MIT
/*
 * Console output for the loader: ASCII in, UCS-2 to ConOut. A tiny
 * formatter (%s %d %u %x %lx %lu %c %%) so that nothing depends on
 * gnu-efi's Print() and its wide format strings.
 */
#include <stdarg.h>

#include "boot/loader.h"

static void out_ascii(const char *s, size_t n)
{
	CHAR16 buf[128];
	size_t i = 0;

	while (n) {
		char c = *s++;

		n--;
		if (c == '\n')
			buf[i++] = L'\r';
		buf[i++] = (CHAR16)(unsigned char)c;
		if (i >= VBS_ARRAY_SIZE(buf) - 3 || n == 0) {
			buf[i] = 0;
			ST->ConOut->OutputString(ST->ConOut, buf);
			i = 0;
		}
	}
}

void con_puts(const char *s)
{
	out_ascii(s, vbs_strlen(s));
}

static void put_num(uint64_t v, unsigned base, int width)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && i < (int)sizeof(tmp));
	while (i < width && i < (int)sizeof(tmp))
		tmp[i++] = '0';
	while (i--)
		out_ascii(&tmp[i], 1);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	while (*fmt) {
		const char *start = fmt;
		bool lng = false;
		int width = 0;

		while (*fmt && *fmt != '%')
			fmt++;
		out_ascii(start, (size_t)(fmt - start));
		if (!*fmt)
			break;
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == 'l') {
			lng = true;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			con_puts(s ? s : "(null)");
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			out_ascii(&c, 1);
			break;
		}
		case 'd': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			if (v < 0) {
				out_ascii("-", 1);
				v = -v;
			}
			put_num((uint64_t)v, 10, width);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				10, width);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				16, width);
			break;
		case '%':
			out_ascii("%", 1);
			break;
		default:
			out_ascii("?", 1);
			break;
		}
		if (*fmt)
			fmt++;
	}
	va_end(ap);
}

void con_banner(const char *s)
{
	con_puts("\n**************************************************"
		 "**********\n");
	con_printf("*** OpenVBS: %s\n", s);
	con_puts("**************************************************"
		 "**********\n\n");
}
