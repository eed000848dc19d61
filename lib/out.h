/* SPDX-License-Identifier: GPL-2.0-only */
/* A text sink: the serial console in the payload, stdout in khodump. */
#ifndef KHOPROBE_OUT_H
#define KHOPROBE_OUT_H

#include <stdarg.h>
#include <stddef.h>

struct out {
	void (*write)(void *ctx, const char *buf, size_t len);
	void *ctx;
};

void out_write(struct out *o, const char *buf, size_t len);
void out_puts(struct out *o, const char *s);
/* Lines longer than 1023 bytes are cut. */
void out_printf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_vprintf(struct out *o, const char *fmt, va_list ap);

#endif
