/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console: the serial port (COM1 unless khoprobe.console= says
 * otherwise) and, while UEFI boot services last, the firmware's ConOut.
 * printf and the report sinks all end up in console_write().
 */
#ifndef KHOPROBE_BOOT_CONSOLE_H
#define KHOPROBE_BOOT_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "../lib/out.h"

/* Set by the EFI entry while ConOut is usable, NULL otherwise. */
extern void (*console_firmware_write)(const char *buf, size_t len);
/* False while only the firmware console should print (UEFI mirrors it). */
extern bool console_serial_enabled;

void console_write(const char *buf, size_t len);
/*
 * Keep a copy of everything console_write() prints in [buf, buf + cap),
 * for the UEFI build to show on ConOut afterwards.  When it fills up the
 * start is kept and the rest only counted.  buf NULL: stop capturing.
 */
void console_capture_start(char *buf, size_t cap);
/* Stop; the bytes kept, and in *dropped those that did not fit. */
size_t console_capture_stop(size_t *dropped);
/* A struct out printing on the console (through stdio, so ordered). */
extern struct out console_out;
void console_flush(void);

#endif
