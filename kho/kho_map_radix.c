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

/*
 * One bitmap word of a leaf: runs of set bits are runs of blocks (keys of
 * one order are consecutive block numbers); a full word is 64 blocks.
 */
static bool decode_word(struct radix_walk *w, uint64_t word, uint64_t pa,
			unsigned int order)
{
	unsigned int shift = 12 + order;

	if (word == UINT64_MAX)
		return kho_add_run(w->p, pa, order, 64);
	while (word) {
		unsigned int b = (unsigned int)__builtin_ctzll(word);
		uint64_t rest = ~(word >> b);
		unsigned int n = rest ? (unsigned int)__builtin_ctzll(rest) : 64 - b;

		word = b + n >= 64 ? 0 : word & (~0ULL << (b + n));
		if (!kho_add_run(w->p, pa + ((uint64_t)b << shift), order, n))
			return false;
	}
	return true;
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
	/* the leaf's first block: its key without the order marker */
	uint64_t first = bad ? 0 : (base ^ (1ULL << top)) << shift;

	for (unsigned int g = 0; g < (1u << LEAF_BITS) / 8; g += 64) {
		if (kho_zero64(bm + g))
			continue;
		for (unsigned int wd = g / 8; wd < g / 8 + 8; wd++) {
			uint64_t word = kho_le64(bm + 8 * wd);

			if (word && bad) {
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
			if (!decode_word(w, word, first + ((64ULL * wd) << shift),
					 (unsigned int)order)) {
				w->stop = true;
				return;
			}
		}
	}
}

static void walk(struct radix_walk *w, uint64_t node, int level,
		 uint64_t prefix)
{
	const uint8_t *t;

	if (read_node(w, node, level))
		return;
	t = w->page[level];
	for (unsigned int i = 0; i < (1u << TABLE_BITS) && !w->stop; i++) {
		uint64_t child, pre = (prefix << TABLE_BITS) | i;

		if (!(i & 7) && kho_zero64(t + 8 * i)) {
			i += 7;
			continue;
		}
		child = kho_le64(t + 8 * i);
		if (!child)
			continue;
		if (level > 1) {
			walk(w, child, level - 1, pre);
		} else if (!read_node(w, child, 0)) {
			uint64_t before = w->p->kho.preserved.nblocks;

			decode_leaf(w, child, pre);
			explain(w->p, "  radix leaf 0x%llx: keys 0x%llx.., %llu blocks "
				"of order %d", (unsigned long long)child,
				(unsigned long long)(pre << LEAF_BITS),
				(unsigned long long)(w->p->kho.preserved.nblocks -
						     before),
				ORDER0_MARK - (63 - __builtin_clzll((pre << LEAF_BITS) | 1)));
		}
	}
}

void kho_decode_radix(struct probe *p, uint64_t root)
{
	struct radix_walk w = { .p = p };
	uint8_t *buf = malloc((LEVELS + 1) * KHO_PAGE);

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
	free(buf);
}
