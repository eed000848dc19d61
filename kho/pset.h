/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The set of preserved blocks, whatever map encoding it came from.
 *
 * A block is a naturally aligned power-of-two run of pages, (pa, order).
 * The set stores runs of address-contiguous blocks of one order
 * {pa, order, count}: a memfd of thousands of 2 MiB folios is one run, so
 * memory and time follow the map's shape, not the number of blocks.
 * Fill with pset_add() / pset_add_run(), then pset_finish() once;
 * afterwards every query is O(log n) in the number of runs and iteration
 * (s->run[0..nrun)) is in address order.
 */
#ifndef KHOPROBE_PSET_H
#define KHOPROBE_PSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PSET_PAGE_SHIFT	12
/* Up to this many runs, pset_finish() sorts in place (no allocation). */
#define PSET_SMALL_SORT	32
/* Largest order whose size still fits comfortably in 64 bits. */
#define PSET_MAX_ORDER	40

/* One preserved block, as a value (queries fill it in). */
struct pblock {
	uint64_t pa;
	uint32_t order;
};

/* @count blocks of order @order, the first headed at @pa. */
struct prun {
	uint64_t pa;
	uint64_t count : 56;	/* >= 1; a run never passes 2^64 */
	uint64_t order : 8;
};

/* A maximal range of address-contiguous preserved runs. */
struct prange {
	uint64_t start, end;	/* [start, end); end UINT64_MAX: to the top */
};

struct pset {
	struct prun *run;
	size_t nrun, cap;
	uint64_t nblocks;	/* preserved blocks (not runs) */
	uint64_t next;		/* where the last run added ends; 0: cannot grow */
	bool unsorted;		/* a run was added below the one before it */
	struct prange *rng;
	size_t nrng;
	uint64_t *reach;	/* overlapping sets only: see pset.c */
	uint64_t bytes;		/* preserved bytes, once finished */
	bool finished;
	size_t noverlap;	/* overlapping pairs found by pset_finish() */
};

static inline uint64_t pblock_size(const struct pblock *b)
{
	return (uint64_t)1 << (PSET_PAGE_SHIFT + b->order);
}

static inline unsigned int prun_shift(const struct prun *r)
{
	return PSET_PAGE_SHIFT + (unsigned int)r->order;
}

static inline uint64_t prun_block_size(const struct prun *r)
{
	return (uint64_t)1 << prun_shift(r);
}

/* Last byte of the run (exact: runs never pass 2^64, see pset_add_run). */
static inline uint64_t prun_last(const struct prun *r)
{
	return r->pa + ((uint64_t)r->count << prun_shift(r)) - 1;
}

/* Block @i of the run. */
static inline struct pblock prun_block(const struct prun *r, uint64_t i)
{
	return (struct pblock){ .pa = r->pa + (i << prun_shift(r)),
				.order = (uint32_t)r->order };
}

void pset_init(struct pset *s);
void pset_free(struct pset *s);
/* Hand everything @src holds to @dst (empty or freed); @src ends empty. */
void pset_move(struct pset *dst, struct pset *src);
/* Returns -1 when out of memory or the order exceeds PSET_MAX_ORDER. */
int pset_add(struct pset *s, uint64_t pa, unsigned int order);
/*
 * @count blocks of @order from @pa; joins the last run when it continues
 * it.  Returns -1 when out of memory, the order exceeds PSET_MAX_ORDER,
 * @count is 0 or the run would pass the top of the address space.
 */
int pset_add_run(struct pset *s, uint64_t pa, unsigned int order,
		 uint64_t count);

/*
 * Decoders' hot path: extend the last run by @count blocks when
 * [pa, ...) continues it exactly.  False when it does not (the caller
 * then adds a run).
 */
static inline bool pset_extend(struct pset *s, uint64_t pa, unsigned int order,
			       uint64_t count)
{
	unsigned int shift = PSET_PAGE_SHIFT + order;
	struct prun *r;

	if (pa != s->next || !pa)
		return false;
	r = &s->run[s->nrun - 1];
	if (r->order != order || count > ((0 - pa) >> shift))
		return false;
	r->count += count;
	s->nblocks += count;
	s->next = pa + (count << shift);	/* 0 at the top: stops growing */
	s->finished = false;
	return true;
}

/*
 * Appends a run; the caller has checked the order, the count (it stays
 * below 2^64) and that s->nrun < s->cap.  Runs enter the set only here
 * and through pset_extend(), which keeps s->unsorted and s->next true.
 */
static inline void pset_push(struct pset *s, uint64_t pa, unsigned int order,
			     uint64_t count)
{
	const struct prun *last = s->nrun ? &s->run[s->nrun - 1] : NULL;

	if (last && (pa < last->pa || (pa == last->pa && order < last->order)))
		s->unsorted = true;
	s->run[s->nrun++] = (struct prun){ .pa = pa, .count = count,
					   .order = order };
	s->nblocks += count;
	s->next = pa + (count << (PSET_PAGE_SHIFT + order));
	s->finished = false;
}

/*
 * Two overlapping runs: @a is the block of the earlier run that the later
 * run's first block @b starts in (the first byte they share).
 */
typedef void (*pset_overlap_fn)(void *arg, const struct pblock *a,
				const struct pblock *b);
/*
 * Sort, join runs that continue each other, detect overlaps (a run that
 * starts inside an earlier one is reported once to @cb, which may be
 * NULL; the count is kept in s->noverlap) and build the merged ranges.
 * Returns -1 when out of memory.
 */
int pset_finish(struct pset *s, pset_overlap_fn cb, void *arg);

/*
 * True when @pa is the exact head of a recorded block: in a run of order o
 * starting at r, (pa - r) is a multiple of the block size.  Fills @b (may
 * be NULL).  When overlapping runs both have a head at @pa, the smaller
 * order wins.
 */
bool pset_head(const struct pset *s, uint64_t pa, struct pblock *b);
/* Order of the block headed at @pa, or -1. */
int pset_head_order(const struct pset *s, uint64_t pa);
/* The block containing @pa (the nearest head below when runs overlap). */
bool pset_find(const struct pset *s, uint64_t pa, struct pblock *b);
/* Every byte of [pa, pa + len) lies in preserved blocks. */
bool pset_covers(const struct pset *s, uint64_t pa, uint64_t len);
/* Some byte of [pa, pa + len) lies in a preserved block. */
bool pset_intersects(const struct pset *s, uint64_t pa, uint64_t len);
/* Total preserved bytes once finished (overlaps counted once; saturates). */
uint64_t pset_bytes(const struct pset *s);
/* Index of the first run whose head is >= @pa (nrun when none). */
size_t pset_run_from(const struct pset *s, uint64_t pa);

/*
 * A forward cursor for callers that query in ascending address order (the
 * page-table walk): amortised O(1) per query instead of a binary search.
 */
struct pset_cursor {
	const struct pset *s;
	size_t i;		/* range */
	size_t r;		/* run */
};

void pset_cursor_init(struct pset_cursor *c, const struct pset *s);
bool pset_cursor_covers(struct pset_cursor *c, uint64_t pa, uint64_t len);
/* pset_head() for ascending @pa. */
bool pset_cursor_head(struct pset_cursor *c, uint64_t pa);

#endif
