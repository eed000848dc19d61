// SPDX-License-Identifier: GPL-2.0-only
/* COM1 output (no UART setup needed under QEMU) and a minimal printf. */
#include "standin.h"

#define COM1		0x3f8
#define DEBUG_EXIT	0xf4

static void con_putc(char c)
{
	if (c == '\n')
		con_putc('\r');
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}

static void put_num(uint64_t v, unsigned int base, int neg)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		con_putc('-');
	while (n)
		con_putc(buf[--n]);
}

static void con_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int longs = 0;

		if (*fmt != '%') {
			con_putc(*fmt);
			continue;
		}
		while (*++fmt == 'l')
			longs++;
		uint64_t v = 0;
		if (*fmt == 'd' || *fmt == 'u' || *fmt == 'x')
			v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			while (s && *s)
				con_putc(*s++);
			break;
		}
		case 'c':
			con_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t sv = longs ? (int64_t)v : (int32_t)v;
			put_num(sv < 0 ? (uint64_t)-sv : (uint64_t)sv, 10, sv < 0);
			break;
		}
		case 'u':
			put_num(v, 10, 0);
			break;
		case 'x':
			put_num(v, 16, 0);
			break;
		case '%':
			con_putc('%');
			break;
		default:
			return;
		}
	}
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

void debug_exit(uint32_t code)
{
	outl(DEBUG_EXIT, code);
}

void die(const char *fmt, ...)
{
	va_list ap;

	con_printf("STANDIN: error: ");
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
	con_printf("\n");
	debug_exit(STANDIN_FAIL_CODE);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return d;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
