// SPDX-License-Identifier: GPL-2.0-only
/*
 * Identity page tables, 4 or 5 levels, from a fixed pool of pages.
 *
 * paging_map() installs the largest page that fits each aligned piece of
 * the range (1 GiB when CPUID allows, 2 MiB, 4 KiB) and splits a larger
 * page when only part of it changes attributes.  Table pages are never
 * freed: the pool (and the optional source behind it) bounds the total,
 * and exhaustion is reported (-1), not fatal.
 */
#include <string.h>

#include "cpu.h"
#include "paging.h"

#define ENTRIES		512
#define ADDR_MASK	0x000ffffffffff000ull
#define ATTR_MASK	(PTE_P | PTE_RW | PTE_PWT | PTE_PCD)
#define TABLE_ATTR	(PTE_P | PTE_RW)

static struct {
	uint64_t *root;
	uint64_t pool, pool_size, pool_used;
	unsigned int levels;
	bool gbpages;
	unsigned int phys_bits;
	bool active;
	uint64_t (*more)(void);
	uint64_t extra;
} pg;

void paging_set_table_source(uint64_t (*more)(void))
{
	pg.more = more;
}

static uint64_t *alloc_table(void)
{
	uint64_t *t;

	if (pg.pool_used + PAGE_SIZE <= pg.pool_size) {
		t = (uint64_t *)(pg.pool + pg.pool_used);
		pg.pool_used += PAGE_SIZE;
	} else {
		uint64_t pa = pg.more ? pg.more() : 0;

		if (!pa || pa & (PAGE_SIZE - 1))
			return NULL;
		t = (uint64_t *)pa;
		pg.extra++;
	}
	memset(t, 0, PAGE_SIZE);
	return t;
}

static unsigned int cpu_phys_bits(void)
{
	uint32_t r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000008)
		return 36;
	cpuid(0x80000008, 0, r);
	return r[0] & 0xff;
}

static bool cpu_has_gbpages(void)
{
	uint32_t r[4];

	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000001)
		return false;
	cpuid(0x80000001, 0, r);
	return r[3] & (1u << 26);
}

void paging_begin(uint64_t pool, uint64_t size)
{
	memset(&pg, 0, sizeof(pg));
	pg.pool = pool;
	pg.pool_size = size;
	pg.levels = (read_cr4() & (1ull << 12)) ? 5 : 4;
	pg.gbpages = cpu_has_gbpages();
	pg.phys_bits = cpu_phys_bits();
	pg.root = alloc_table();
}

static unsigned int level_shift(unsigned int level)
{
	return 12 + 9 * (level - 1);
}

static bool leaf_allowed(unsigned int level)
{
	return level == 1 || level == 2 || (level == 3 && pg.gbpages);
}

/* Replace the large page in *e by a table of the next smaller pages. */
static int split(uint64_t *e, unsigned int level)
{
	uint64_t *t = alloc_table();
	uint64_t base = *e & ADDR_MASK & ~((1ull << level_shift(level)) - 1);
	uint64_t attr = *e & ATTR_MASK;
	uint64_t step = 1ull << level_shift(level - 1);

	if (!t)
		return -1;
	for (int i = 0; i < ENTRIES; i++)
		t[i] = (base + i * step) | attr | (level - 1 > 1 ? PTE_PS : 0);
	*e = (uint64_t)t | TABLE_ATTR;
	return 0;
}

/* Set [va, end) to @attr (0 = not present); va and end page aligned. */
static int set_range(uint64_t va, uint64_t end, uint64_t attr)
{
	while (va < end) {
		uint64_t *t = pg.root;
		unsigned int level = pg.levels;

		for (;;) {
			unsigned int shift = level_shift(level);
			uint64_t size = 1ull << shift;
			uint64_t *e = &t[(va >> shift) & (ENTRIES - 1)];
			uint64_t next = (va & ~(size - 1)) + size;

			if (leaf_allowed(level) && !(va & (size - 1)) &&
			    end - va >= size) {
				*e = attr ? va | attr | (level > 1 ? PTE_PS : 0)
					  : 0;
				va += size;
				break;
			}
			if (!(*e & PTE_P)) {
				if (!attr) {
					va = next < end ? next : end;
					break;
				}
				uint64_t *n = alloc_table();

				if (!n)
					return -1;
				*e = (uint64_t)n | TABLE_ATTR;
			} else if (level > 1 && (*e & PTE_PS)) {
				if (split(e, level))
					return -1;
			}
			t = (uint64_t *)(*e & ADDR_MASK);
			level--;
		}
	}
	return 0;
}

static int change(uint64_t pa, uint64_t len, uint64_t attr)
{
	uint64_t start = pa & ~(PAGE_SIZE - 1);
	uint64_t end, limit;
	int ret;

	if (!len || !pg.root)
		return -1;
	end = pa + len;
	if (end < pa)
		return -1;
	end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	limit = 1ull << pg.phys_bits;
	if (start >= limit)
		return -1;
	if (end > limit || end == 0)
		end = limit;
	ret = set_range(start, end, attr);
	if (pg.active)
		write_cr3(read_cr3());
	return ret;
}

int paging_map(uint64_t pa, uint64_t len, uint64_t attr)
{
	return change(pa, len, attr);
}

int paging_unmap(uint64_t pa, uint64_t len)
{
	return change(pa, len, 0);
}

int paging_map_ro(uint64_t pa, uint64_t len)
{
	return change(pa, len, MAP_RO);
}

int paging_map_mmio(uint64_t pa, uint64_t len)
{
	uint64_t attr;

	if (paging_query(pa, len, &attr) && (attr & ATTR_MASK) == MAP_UC)
		return 0;
	return change(pa, len, MAP_UC);
}

void paging_activate(void)
{
	write_cr3((uint64_t)pg.root);
	write_cr0(read_cr0() | CR0_WP);
	pg.active = true;
}

/* The leaf mapping @va, or 0; *span = bytes from va to its end. */
static uint64_t lookup(uint64_t va, uint64_t *span)
{
	uint64_t *t = pg.root;

	for (unsigned int level = pg.levels; level >= 1; level--) {
		unsigned int shift = level_shift(level);
		uint64_t size = 1ull << shift;
		uint64_t e = t[(va >> shift) & (ENTRIES - 1)];

		*span = size - (va & (size - 1));
		if (!(e & PTE_P))
			return 0;
		if (level == 1 || (e & PTE_PS))
			return e;
		t = (uint64_t *)(e & ADDR_MASK);
	}
	return 0;
}

bool paging_query(uint64_t pa, uint64_t len, uint64_t *attr)
{
	uint64_t end = pa + len, span, e;
	bool first = true;

	if (!pg.root || end < pa || (len && end - 1 >= 1ull << pg.phys_bits))
		return false;
	if (!len)
		end = pa + 1;
	while (pa < end) {
		e = lookup(pa, &span);
		if (!e)
			return false;
		if (first && attr)
			*attr = e & ATTR_MASK;
		first = false;
		if (end - pa <= span)
			break;
		pa += span;
	}
	return true;
}

void paging_get_stats(struct paging_stats *s)
{
	s->levels = pg.levels;
	s->gbpages = pg.gbpages;
	s->phys_bits = pg.phys_bits;
	s->pool = pg.pool;
	s->pool_size = pg.pool_size;
	s->pool_used = pg.pool_used;
	s->extra_tables = pg.extra;
	s->root = (uint64_t)pg.root;
}
