/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KHOPROBE_ARCH_EXCEPTIONS_H
#define KHOPROBE_ARCH_EXCEPTIONS_H

#include <stdint.h>

/* Load our TSS and move the fatal vectors onto its IST stack. */
void cpu_init_tss(void);
/* The stack the backtrace may walk: [lo, hi). */
extern uint64_t exc_stack_lo, exc_stack_hi;

#endif
