/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The set of preserved blocks, whatever map encoding it came from.
 *
 * A block is a naturally aligned power-of-two run of pages, (pa, order).
 * Fill with pset_add(), then pset_finish() once; afterwards every query is
 * O(log n) and iteration (s->blk[0..n)) is in address order.
 */
#ifndef KHOPROBE_PSET_H
#define KHOPROBE_PSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PSET_PAGE_SHIFT	12
/* Largest order whose size still fits comfortably in 64 bits. */
#define PSET_MAX_ORDER	40

struct pblock {
	uint64_t pa;
	uint32_t order;
	uint32_t flags;		/* free for the decoder's use */
};

/* A maximal run of address-contiguous preserved blocks. */
struct prange {
	uint64_t start, end;	/* [start, end) */
};

struct pset {
	struct pblock *blk;
	size_t n, cap;
	struct prange *rng;
	size_t nrng;
	bool finished;
	size_t noverlap;	/* overlapping pairs found by pset_finish() */
};

static inline uint64_t pblock_size(const struct pblock *b)
{
	return (uint64_t)1 << (PSET_PAGE_SHIFT + b->order);
}

void pset_init(struct pset *s);
void pset_free(struct pset *s);
/* Returns -1 when out of memory or the order exceeds PSET_MAX_ORDER. */
int pset_add(struct pset *s, uint64_t pa, unsigned int order);

typedef void (*pset_overlap_fn)(void *arg, const struct pblock *a,
				const struct pblock *b);
/*
 * Sort, detect overlaps (each overlapping pair reported once to @cb, which
 * may be NULL; the count is kept in s->noverlap) and build the merged
 * ranges.  Returns -1 when out of memory.
 */
int pset_finish(struct pset *s, pset_overlap_fn cb, void *arg);

/* The block whose head is exactly @pa, or NULL. */
const struct pblock *pset_head(const struct pset *s, uint64_t pa);
/* Order of the block headed at @pa, or -1. */
int pset_head_order(const struct pset *s, uint64_t pa);
/* The block containing @pa, or NULL. */
const struct pblock *pset_find(const struct pset *s, uint64_t pa);
/* Every byte of [pa, pa + len) lies in preserved blocks. */
bool pset_covers(const struct pset *s, uint64_t pa, uint64_t len);
/* Some byte of [pa, pa + len) lies in a preserved block. */
bool pset_intersects(const struct pset *s, uint64_t pa, uint64_t len);
/* Total preserved bytes. */
uint64_t pset_bytes(const struct pset *s);

/*
 * A forward cursor for callers that query in ascending address order (the
 * page-table walk): amortised O(1) per query instead of a binary search.
 */
struct pset_cursor {
	const struct pset *s;
	size_t i;
};

void pset_cursor_init(struct pset_cursor *c, const struct pset *s);
bool pset_cursor_covers(struct pset_cursor *c, uint64_t pa, uint64_t len);

#endif
