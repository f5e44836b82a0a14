// SPDX-License-Identifier: MIT
/*
 * The hypervisor log: QEMU's ISA debug console at port 0xe9 (captured by
 * scripts/testbed into hv.log). Each line starts with "[hv cpuN] " and is
 * written whole under a lock, so lines of several CPUs never mix. A tiny
 * printf: %s %c %d %u %x %lx %lu %ld %llx %p and %016lx-style width with
 * zero padding.
 */
#include "arch/x86/cpu.h"
#include "core/hv.h"
#include "core/spinlock.h"

#define HV_LOG_PORT 0xe9

static void log_putc(char c)
{
	outb(HV_LOG_PORT, (uint8_t)c);
}

static void log_puts(const char *s)
{
	while (*s)
		log_putc(*s++);
}

static void log_num(uint64_t v, unsigned int base, int neg, unsigned int width,
		    char pad)
{
	char buf[24];
	unsigned int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && n < sizeof(buf));
	if (neg)
		log_putc('-');
	while (width > n) {
		log_putc(pad);
		width--;
	}
	while (n)
		log_putc(buf[--n]);
}

static uint64_t arg_unsigned(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, int64_t) : va_arg(*ap, int);
}

static void log_format(const char *fmt, va_list ap0)
{
	unsigned int width;
	va_list ap;
	int64_t sv;
	int longs;
	char pad;

	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			log_putc(*fmt);
			continue;
		}
		fmt++;
		pad = ' ';
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (unsigned int)(*fmt - '0');
		for (longs = 0; *fmt == 'l'; fmt++)
			longs = 1;
		switch (*fmt) {
		case 's':
			log_puts(va_arg(ap, const char *));
			break;
		case 'c':
			log_putc((char)va_arg(ap, int));
			break;
		case 'd':
			sv = arg_signed(&ap, longs);
			log_num(sv < 0 ? (uint64_t)-sv : (uint64_t)sv, 10,
				sv < 0, width, pad);
			break;
		case 'u':
			log_num(arg_unsigned(&ap, longs), 10, 0, width, pad);
			break;
		case 'x':
			log_num(arg_unsigned(&ap, longs), 16, 0, width, pad);
			break;
		case 'p':
			log_puts("0x");
			log_num((uint64_t)(uintptr_t)va_arg(ap, void *), 16, 0,
				width, pad);
			break;
		case '%':
			log_putc('%');
			break;
		default:
			log_putc('?');
			break;
		}
		if (!*fmt)
			break;
	}
	va_end(ap);
}

static struct hv_spinlock log_lock;

void hv_vlog(unsigned int cpu, const char *fmt, va_list ap)
{
	hv_spin_lock(&log_lock);
	log_puts("[hv cpu");
	log_num(cpu, 10, 0, 0, ' ');
	log_puts("] ");
	log_format(fmt, ap);
	log_putc('\n');
	hv_spin_unlock(&log_lock);
}

void hv_log(unsigned int cpu, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(cpu, fmt, ap);
	va_end(ap);
}
