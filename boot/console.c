// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "../arch/x86/serial.h"
#include "console.h"

void (*console_firmware_write)(const char *buf, size_t len);
bool console_serial_enabled = true;

static char *capture_buf;
static size_t capture_cap, capture_len, capture_dropped;

void console_capture_start(char *buf, size_t cap)
{
	capture_buf = buf;
	capture_cap = buf ? cap : 0;
	capture_len = capture_dropped = 0;
}

size_t console_capture_stop(size_t *dropped)
{
	size_t len = capture_len;

	*dropped = capture_dropped;
	console_capture_start(NULL, 0);
	return len;
}

static void capture(const char *buf, size_t len)
{
	size_t room = capture_cap - capture_len;
	size_t n = len < room ? len : room;

	memcpy(capture_buf + capture_len, buf, n);
	capture_len += n;
	capture_dropped += len - n;
}

void console_write(const char *buf, size_t len)
{
	if (capture_buf)
		capture(buf, len);
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
