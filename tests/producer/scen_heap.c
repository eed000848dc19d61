// SPDX-License-Identifier: GPL-2.0-only
/*
 * A preserved set the size of a real VM's memfd of scattered 4 KiB pages:
 * 150,000 isolated order-0 blocks, every other page from 4 GiB (QEMU
 * -m 6G puts RAM at [4 GiB, 8 GiB); the e820 declares [4 GiB, 6 GiB)).
 * Its runs need several MiB of heap, far more than the payload's fixed
 * 1 MiB: the payload decodes it only with the heap grown into scratch.
 */
#include "handover.h"

#define HEAP_RAM_START		0x100000000ULL
#define HEAP_RAM_END		0x180000000ULL
#define HEAP_BLOCKS		150000u

static void scattered(struct hb *h)
{
	const struct hb_range e820[3] = {
		{ 0, HB_RAM_LOW_END },
		{ HB_RAM_START, HB_RAM_END - HB_RAM_START },
		{ HEAP_RAM_START, HEAP_RAM_END - HEAP_RAM_START },
	};

	gmem_add_ram(h->g, HEAP_RAM_START, HEAP_RAM_END - HEAP_RAM_START);
	hb_set_e820(h, 3, e820);
	hb_typical(h);
	for (uint64_t i = 0; i < HEAP_BLOCKS; i++)
		hb_preserve(h, HEAP_RAM_START + 2 * i * HB_PAGE, 0);
}

HB_SCENARIO(heap_scattered) = {
	.name = "heap-scattered-150k",
	.description = "150,000 isolated 4 KiB preserved blocks above 4 GiB "
		       "(a VM's scattered memfd): needs a heap grown into scratch",
	.expect_pass = true, .build = scattered,
	.kho = HB_KHO_V3, .luo = HB_LUO_STRUCT_B,
};
