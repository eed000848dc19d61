/* SPDX-License-Identifier: GPL-2.0-only */
/* 16550 UART output, polled, 115200 8n1. */
#ifndef KHOPROBE_ARCH_SERIAL_H
#define KHOPROBE_ARCH_SERIAL_H

#include <stddef.h>
#include <stdint.h>

/* I/O port of the console UART; 0 = no serial output.  COM1 by default. */
extern uint16_t serial_port;

void serial_init(uint16_t port);
void serial_putc(char c);
/* Writes @len bytes, "\n" as "\r\n". */
void serial_write(const char *s, size_t len);
void serial_puts(const char *s);
/* "0x" and at least one hex digit. */
void serial_put_hex(uint64_t v);
void serial_put_dec(uint64_t v);

#endif
