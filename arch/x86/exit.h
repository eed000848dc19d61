/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a run ends.  Under QEMU with isa-debug-exit at iobase 0xf4 the code
 * written there becomes the exit status (code << 1) | 1:
 *
 *   EXIT_PASS       0 -> status 1   every check passed or skipped
 *   EXIT_FAIL       1 -> status 3   some check failed
 *   EXIT_EXCEPTION  2 -> status 5   CPU exception (report on the console)
 *   EXIT_BOOT_ERROR 3 -> status 7   the payload could not run the checks
 *
 * QEMU's status 0 means the guest never wrote the port (e.g. a triple
 * fault with -no-reboot): test harnesses treat it as failure.
 */
#ifndef KHOPROBE_ARCH_EXIT_H
#define KHOPROBE_ARCH_EXIT_H

#include <stdint.h>
#include <stdnoreturn.h>

enum exit_code {
	EXIT_PASS = 0,
	EXIT_FAIL = 1,
	EXIT_EXCEPTION = 2,
	EXIT_BOOT_ERROR = 3,
};

enum exit_action {
	EXIT_HALT,	/* isa-debug-exit, then halt (default) */
	EXIT_REBOOT,	/* isa-debug-exit, then reset the machine */
};

/* isa-debug-exit port (0xf4), 0 to skip writing it. */
extern uint16_t exit_port;
extern enum exit_action exit_action;

/* Announce the code on the serial console, write it, then halt/reset. */
noreturn void arch_exit(enum exit_code code);
const char *exit_code_name(enum exit_code code);

#endif
