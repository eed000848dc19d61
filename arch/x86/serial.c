// SPDX-License-Identifier: GPL-2.0-only
/*
 * Polled 16550 output.  Used by the console and, directly, by the
 * exception handler, so nothing here allocates or needs relocated data.
 */
#include "cpu.h"
#include "serial.h"

uint16_t serial_port = 0x3f8;

/* Register offsets from the base port. */
enum {
	UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
	UART_MCR = 4, UART_LSR = 5,
};
#define LSR_THRE	0x20
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
/* Bounded wait for the transmitter: a missing UART must not hang us. */
#define THRE_SPINS	200000

void serial_init(uint16_t port)
{
	serial_port = port;
	if (!port)
		return;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DATA, 1);	/* divisor 1: 115200 baud */
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, 0xc7);	/* FIFO on, cleared */
	outb(port + UART_MCR, 0x03);	/* DTR, RTS */
}

void serial_putc(char c)
{
	uint16_t port = serial_port;

	if (!port)
		return;
	for (int i = 0; i < THRE_SPINS; i++)
		if (inb(port + UART_LSR) & LSR_THRE)
			break;
	outb(port + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

void serial_puts(const char *s)
{
	while (*s) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}

void serial_put_hex(uint64_t v)
{
	char buf[19];
	int i = sizeof(buf);

	do {
		buf[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	serial_write(buf + i, sizeof(buf) - i);
}

void serial_put_dec(uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	serial_write(buf + i, sizeof(buf) - i);
}
