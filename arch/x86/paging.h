/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Our own identity map.  Built from the memory map at boot, then adjusted:
 * read-only for preserved memory (a stray write faults instead of
 * corrupting what the next kernel needs), uncached for MMIO.
 */
#ifndef KHOPROBE_ARCH_PAGING_H
#define KHOPROBE_ARCH_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE	((uint64_t)4096)

/* Leaf attributes, as in the page-table entry. */
#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_PS		(1ull << 7)

#define MAP_WB		(PTE_P | PTE_RW)
#define MAP_UC		(PTE_P | PTE_RW | PTE_PWT | PTE_PCD)
#define MAP_RO		(PTE_P)

/*
 * Start a fresh set of tables using page-table pages from [pool, pool +
 * size) (identity mapped, page aligned).  Uses 5 levels when CR4.LA57 is
 * set, 1 GiB pages when CPUID has them.
 */
void paging_begin(uint64_t pool, uint64_t size);
/* Map [pa, pa + len) (rounded out to pages) with @attr. 0 or -1 (pool). */
int paging_map(uint64_t pa, uint64_t len, uint64_t attr);
int paging_unmap(uint64_t pa, uint64_t len);
/* Load the new tables and set CR0.WP so read-only pages fault on writes. */
void paging_activate(void);

/* After activation: the API later layers use. */
int paging_map_ro(uint64_t pa, uint64_t len);
int paging_map_mmio(uint64_t pa, uint64_t len);

/*
 * How [pa, pa + len) is mapped: true when every page is present; *attr
 * gets the attributes of the first page (PTE_* bits).
 */
bool paging_query(uint64_t pa, uint64_t len, uint64_t *attr);

/*
 * Where table pages come from once the fixed pool is used up: @more
 * returns the address of a 4 KiB-aligned, identity-mapped writable page
 * we own, or 0 when it has none left.  NULL (the default): exhaustion.
 */
void paging_set_table_source(uint64_t (*more)(void));

struct paging_stats {
	unsigned int levels;
	bool gbpages;
	unsigned int phys_bits;
	uint64_t pool, pool_size, pool_used;
	uint64_t extra_tables;	/* pages taken from the table source */
	uint64_t root;
};
void paging_get_stats(struct paging_stats *s);

#endif
