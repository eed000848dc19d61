// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho-v2+ memory map: a 6-level radix tree.  Levels 5..1 are pages of 512
 * u64 child PAs; level-1 entries point at 32768-bit leaf bitmaps.  A set bit
 * is a key (1 << (52 - order)) | (pa >> (12 + order)): the highest set bit
 * of the key gives the order.
 */
#include <stdlib.h>

#include "kho_int.h"

#define LEVELS		5
#define LEAF_BITS	15
#define TABLE_BITS	9
#define ORDER0_MARK	52

struct radix_walk {
	struct probe *p;
	struct u64set seen;
	uint8_t *page[LEVELS + 1];	/* one buffer per level, leaf at [0] */
	bool stop;
};

static int read_node(struct radix_walk *w, uint64_t pa, int level)
{
	struct probe *p = w->p;
	const char *why;
	int added;

	if (!kho_page_aligned(pa)) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "radix level-%d node 0x%llx is not page-aligned",
			   level, (unsigned long long)pa);
		return -1;
	}
	/*
	 * Tables are followed, so a table reached twice is a cycle or shared
	 * subtree; leaves are not followed and need no such record.
	 */
	added = level ? u64set_add(&w->seen, pa) : 1;
	if (added <= 0) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   added ? "out of memory" :
			   "radix node 0x%llx reached twice (cycle or sharing)",
			   (unsigned long long)pa);
		w->stop = true;
		return -1;
	}
	if (++p->kho.map_pages > KHO_MAX_META_PAGES) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "more than %u map metadata pages", KHO_MAX_META_PAGES);
		w->stop = true;
		return -1;
	}
	if (phys_read(p->pm, pa, w->page[level], KHO_PAGE, &why)) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "radix level-%d node 0x%llx: %s", level,
			   (unsigned long long)pa, why);
		return -1;
	}
	return 0;
}

/* Bits of a leaf whose keys share @prefix (key >> 15). */
static void decode_leaf(struct radix_walk *w, uint64_t leaf, uint64_t prefix)
{
	struct probe *p = w->p;
	const uint8_t *bm = w->page[0];
	uint64_t base = prefix << LEAF_BITS;
	int top = 63 - __builtin_clzll(base | 1);
	int order = ORDER0_MARK - top;
	bool bad = base ? order < 0 || order > KHO_MAX_ORDER : true;
	unsigned int shift = bad ? 0 : 12 + (unsigned int)order;

	if (!bad) {
		/* keys of one order are consecutive block numbers */
		if (!kho_decode_bits(p, bm, (base ^ (1ULL << top)) << shift,
				     (unsigned int)order))
			w->stop = true;
		return;
	}
	for (unsigned int wd = 0; wd < (1u << LEAF_BITS) / 64; wd++) {
		uint64_t word = kho_le64(bm + 8 * wd);

		if (word) {
			/* marker inside the leaf bits, or order out of range */
			uint64_t key = base | (64ULL * wd +
				(unsigned int)__builtin_ctzll(word));
			int o = ORDER0_MARK - (63 - __builtin_clzll(key));

			check_fail(&p->rep, CK_KHO_MEMORY_MAP,
				   "radix leaf 0x%llx: key 0x%llx encodes "
				   "order %d (valid 0..%d)",
				   (unsigned long long)leaf,
				   (unsigned long long)key, o, KHO_MAX_ORDER);
			return;
		}
	}
}

static void visit(struct radix_walk *w, uint64_t child, int level,
		  uint64_t pre);

static void walk(struct radix_walk *w, uint64_t node, int level,
		 uint64_t prefix)
{
	const uint8_t *t;

	if (read_node(w, node, level))
		return;
	t = w->page[level];
	/* tables are sparse: skip all-zero groups of 8 entries in a tight loop */
	for (unsigned int g = 0; g < (1u << TABLE_BITS) && !w->stop; g += 8) {
		if (kho_zero64(t + 8 * g))
			continue;
		for (unsigned int i = g; i < g + 8 && !w->stop; i++) {
			uint64_t child = kho_le64(t + 8 * i);

			if (child)
				visit(w, child, level, (prefix << TABLE_BITS) | i);
		}
	}
}

/* Entry @pre of a level-@level table points at @child. */
static void visit(struct radix_walk *w, uint64_t child, int level,
		  uint64_t pre)
{
	uint64_t before;

	if (level > 1) {
		walk(w, child, level - 1, pre);
		return;
	}
	if (read_node(w, child, 0))
		return;
	before = w->p->kho.preserved.nblocks;
	decode_leaf(w, child, pre);
	explain(w->p, "  radix leaf 0x%llx: keys 0x%llx.., %llu blocks "
		"of order %d", (unsigned long long)child,
		(unsigned long long)(pre << LEAF_BITS),
		(unsigned long long)(w->p->kho.preserved.nblocks - before),
		ORDER0_MARK - (63 - __builtin_clzll((pre << LEAF_BITS) | 1)));
}

void kho_decode_radix(struct probe *p, uint64_t root)
{
	struct radix_walk w = { .p = p };
	void *raw;
	uint8_t *buf = kho_page_bufs(LEVELS + 1, &raw);

	if (!buf) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP, "out of memory");
		return;
	}
	u64set_init(&w.seen);
	for (int i = 0; i <= LEVELS; i++)
		w.page[i] = buf + i * KHO_PAGE;
	walk(&w, root, LEVELS, 0);
	explain(p, "  %zu radix tables walked", w.seen.n);
	u64set_free(&w.seen);
	free(raw);
}
