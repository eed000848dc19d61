/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KHOPROBE_BOOT_SELFTEST_H
#define KHOPROBE_BOOT_SELFTEST_H

#include <stdint.h>
#include <stdnoreturn.h>

#include "options.h"

/* Raise the CPU exception khoprobe.selftest= asked for; never returns. */
noreturn void selftest_run(enum selftest which);
/* Write to @pa, which was just mapped read-only; never returns. */
noreturn void selftest_write_preserved(uint64_t pa);

#endif
