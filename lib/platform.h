/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What only the payload has: live hardware and its own footprint.
 * khodump passes no platform, and the checks that need one skip.
 */
#ifndef KHOPROBE_PLATFORM_H
#define KHOPROBE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct phys_range {
	uint64_t start, end;	/* [start, end) */
	const char *what;
};

#define PLATFORM_MAX_FOOTPRINT	8

struct platform {
	/* Register reads; sizes exactly as named (VT-d traps wrong sizes). */
	uint32_t (*mmio_read32)(uint64_t pa);
	uint64_t (*mmio_read64)(uint64_t pa);
	/* PCI configuration space, segment 0 (legacy 0xcf8 mechanism). */
	uint32_t (*pci_read32)(unsigned int bdf, unsigned int off);
	void (*pci_write32)(unsigned int bdf, unsigned int off, uint32_t v);
	void (*mmio_write32)(uint64_t pa, uint32_t v);
	void (*mmio_write64)(uint64_t pa, uint64_t v);
	/*
	 * Write physical memory.  Only dma.live calls it, and only inside the
	 * canary range the user named on the command line; and the restore
	 * rehearsal (khoprobe.restore=hw), only inside @work below.
	 */
	int (*phys_write)(uint64_t pa, const void *buf, size_t len);
	/*
	 * Read firmware tables (ACPI): any range the memory map lists,
	 * reserved and NVS included.  Handover data never goes through this:
	 * the physmem reaches usable RAM alone, so a hostile handover pointer
	 * cannot make khoprobe read device or firmware memory.
	 */
	int (*fw_read)(uint64_t pa, void *buf, size_t len);
	/* Time stamp counter, for bounded waits. */
	uint64_t (*tsc)(void);
	uint64_t tsc_hz;
	uint64_t rsdp_pa;	/* 0 when unknown */
	/* The payload's own image, stack, heap and page tables. */
	struct phys_range footprint[PLATFORM_MAX_FOOTPRINT];
	size_t nfootprint;
	/*
	 * Page-aligned memory inside the footprint that nothing else uses:
	 * the restore rehearsal's invalidation queue and status word.
	 * {0, 0} when the payload offers none.
	 */
	struct phys_range work;
};

#endif
