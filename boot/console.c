// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "../arch/x86/serial.h"
#include "console.h"

void (*console_firmware_write)(const char *buf, size_t len);
bool console_serial_enabled = true;

void console_write(const char *buf, size_t len)
{
	if (console_serial_enabled)
		serial_write(buf, len);
	if (console_firmware_write)
		console_firmware_write(buf, len);
}

static void out_to_stdout(void *ctx, const char *buf, size_t len)
{
	fwrite(buf, 1, len, stdout);
}

struct out console_out = { .write = out_to_stdout };

void console_flush(void)
{
	fflush(stdout);
}
