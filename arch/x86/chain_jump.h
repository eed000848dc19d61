/* SPDX-License-Identifier: GPL-2.0-only */
/* The last instructions khoprobe runs: place the next kernel and enter it. */
#ifndef KHOPROBE_ARCH_CHAIN_JUMP_H
#define KHOPROBE_ARCH_CHAIN_JUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Copy @len bytes from @src to @dst; src 0 means zero-fill. */
struct chain_copy {
	uint64_t dst, src, len;
};

_Static_assert(sizeof(struct chain_copy) == 24, "chain_copy layout");

/*
 * With interrupts off: switch to @cr3 (an identity map with everything
 * writable), set CR4 = @cr4 and clear CR0.WP, do the copies in order, load
 * an empty IDT, and jump to @entry in 64-bit mode with RSI = @zero_page
 * and the other general registers zero, as purgatory does.  @copies and
 * this code must lie outside every destination.
 */
noreturn void chain_jump(const struct chain_copy *copies, size_t n,
			 uint64_t entry, uint64_t zero_page, uint64_t cr3,
			 uint64_t cr4);

#endif
