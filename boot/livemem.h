/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Live physical memory and hardware for the checking core: the payload's
 * struct physmem (reads through our identity map, bounded by the memory
 * map) and struct platform (MMIO, PCI, TSC, footprint).
 */
#ifndef KHOPROBE_BOOT_LIVEMEM_H
#define KHOPROBE_BOOT_LIVEMEM_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/physmem.h"
#include "../lib/platform.h"

struct machine;
struct boot_layout;

/* Copy from identity-mapped memory; -1 when any page is not mapped. */
int live_read(uint64_t pa, void *buf, size_t len);

void livemem_init(struct physmem *pm, const struct machine *m);
void platform_init(struct platform *plat, const struct machine *m,
		   const struct boot_layout *l);

#endif
