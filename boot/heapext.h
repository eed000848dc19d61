/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The heap's second region: free KHO scratch memory, taken before the
 * checks when a handover is there (see docs/payload.md, "Heap").
 */
#ifndef KHOPROBE_BOOT_HEAPEXT_H
#define KHOPROBE_BOOT_HEAPEXT_H

#include <stdint.h>

#include "../lib/out.h"
#include "../lib/platform.h"
#include "machine.h"

#define HEAPEXT_MAX	(64ULL << 20)
#define HEAPEXT_ALIGN	(2ULL << 20)

/*
 * Find the handover the checks will start from (@kho_pa: a kho_data
 * payload, else @bp_pa: a zero page; both 0 when there is none), take
 * part of the largest free gap in its scratch areas for the heap, record
 * it in boot_layout and as the footprint range "heap (scratch)" of @pl,
 * and print what was taken (or why nothing was) on @o.
 */
void heapext_setup(struct out *o, const struct machine *m, struct platform *pl,
		   uint64_t bp_pa, uint64_t kho_pa);

#endif
