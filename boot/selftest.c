// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deliberate faults, so tests can prove that an exception is reported
 * (vector, RIP, CR2, backtrace, exit code) rather than rebooting, and that
 * paging_map_ro() really write-protects.
 */
#include <inttypes.h>
#include <stdio.h>

#include "../arch/x86/exit.h"
#include "../arch/x86/paging.h"
#include "console.h"
#include "selftest.h"

static uint8_t ro_page[4096] __attribute__((aligned(4096)));

static noreturn void write_read_only(void)
{
	volatile uint64_t *p = (volatile uint64_t *)ro_page;

	if (paging_map_ro((uint64_t)ro_page, sizeof(ro_page))) {
		printf("selftest: could not map the page read-only\n");
		console_flush();
		arch_exit(EXIT_BOOT_ERROR);
	}
	printf("selftest: writing to read-only page 0x%" PRIx64 "\n",
	       (uint64_t)ro_page);
	console_flush();
	*p = 1;
	printf("selftest: the write did not fault\n");
	console_flush();
	arch_exit(EXIT_BOOT_ERROR);
}

/* Each frame holds 1 KiB, so 64 KiB of stack is gone after ~64 calls. */
static int __attribute__((noinline)) recurse(volatile int depth)
{
	volatile char pad[1024];

	pad[0] = (char)depth;
	if (depth > 1000000)
		return 0;
	return recurse(depth + 1) + pad[0];
}

noreturn void selftest_write_preserved(uint64_t pa)
{
	printf("selftest: writing to preserved memory at 0x%" PRIx64 "\n", pa);
	console_flush();
	*(volatile uint8_t *)pa = 0;
	printf("selftest: the write did not fault\n");
	console_flush();
	arch_exit(EXIT_BOOT_ERROR);
}

noreturn void selftest_run(enum selftest which)
{
	switch (which) {
	case SELFTEST_FAULT:
		write_read_only();
	case SELFTEST_UD:
		printf("selftest: executing an invalid opcode\n");
		console_flush();
		__builtin_trap();
	case SELFTEST_TRIPLE: {
		/* An empty IDT: the #UD cannot be delivered, nor the #DF. */
		struct { uint16_t limit; uint64_t base; } __attribute__((packed))
			none = { 0, 0 };

		printf("selftest: invalid opcode with an empty IDT (triple fault)\n");
		console_flush();
		__asm__ volatile("lidt %0; ud2" : : "m"(none));
		break;
	}
	case SELFTEST_STACK:
		printf("selftest: overflowing the stack into its guard page\n");
		console_flush();
		recurse(0);
		break;
	default:
		break;
	}
	arch_exit(EXIT_BOOT_ERROR);
}
