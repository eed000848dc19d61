// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "out.h"

void out_write(struct out *o, const char *buf, size_t len)
{
	if (o && o->write && len)
		o->write(o->ctx, buf, len);
}

void out_puts(struct out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

void out_vprintf(struct out *o, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (!o)
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	out_write(o, buf, (size_t)n);
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}
