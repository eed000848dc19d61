// SPDX-License-Identifier: GPL-2.0-only
#include "cpu.h"
#include "exit.h"
#include "serial.h"

uint16_t exit_port = 0xf4;
enum exit_action exit_action = EXIT_HALT;

const char *exit_code_name(enum exit_code code)
{
	switch (code) {
	case EXIT_PASS:
		return "pass";
	case EXIT_FAIL:
		return "fail";
	case EXIT_EXCEPTION:
		return "exception";
	default:
		return "boot-error";
	}
}

static noreturn void reset_machine(void)
{
	outb(0xcf9, 0x02);	/* reset control register: hard reset */
	outb(0xcf9, 0x06);
	outb(0x64, 0xfe);	/* keyboard controller pulse */
	cpu_halt_forever();
	__builtin_unreachable();
}

noreturn void arch_exit(enum exit_code code)
{
	serial_puts("khoprobe: exit ");
	serial_puts(exit_code_name(code));
	serial_puts(" (isa-debug-exit ");
	serial_put_dec(code);
	serial_puts(", QEMU status ");
	serial_put_dec(code * 2 + 1);
	serial_puts(")\n");
	if (exit_port)
		outl(exit_port, code);
	if (exit_action == EXIT_REBOOT)
		reset_machine();
	cpu_halt_forever();
	__builtin_unreachable();
}
