// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "pset.h"

void pset_init(struct pset *s)
{
	memset(s, 0, sizeof(*s));
}

void pset_free(struct pset *s)
{
	free(s->blk);
	free(s->rng);
	pset_init(s);
}

int pset_add(struct pset *s, uint64_t pa, unsigned int order)
{
	if (order > PSET_MAX_ORDER)
		return -1;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct pblock *nb = realloc(s->blk, cap * sizeof(*nb));

		if (!nb)
			return -1;
		s->blk = nb;
		s->cap = cap;
	}
	s->blk[s->n++] = (struct pblock){ .pa = pa, .order = order };
	s->finished = false;
	return 0;
}

static int cmp_block(const void *a, const void *b)
{
	const struct pblock *x = a, *y = b;

	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* Decoders often emit blocks in order already: skip the sort then. */
static bool blocks_sorted(const struct pset *s)
{
	for (size_t i = 1; i < s->n; i++)
		if (cmp_block(&s->blk[i - 1], &s->blk[i]) > 0)
			return false;
	return true;
}

static uint64_t block_end(const struct pblock *b)
{
	uint64_t end = b->pa + pblock_size(b);

	return end < b->pa ? UINT64_MAX : end;	/* saturate at the top */
}

int pset_finish(struct pset *s, pset_overlap_fn cb, void *arg)
{
	size_t far = 0;		/* block reaching furthest so far */

	if (s->n > 1 && !blocks_sorted(s))
		qsort(s->blk, s->n, sizeof(*s->blk), cmp_block);
	free(s->rng);
	s->rng = NULL;
	s->nrng = 0;
	s->noverlap = 0;
	if (!s->n) {
		s->finished = true;
		return 0;
	}
	s->rng = malloc(s->n * sizeof(*s->rng));
	if (!s->rng)
		return -1;
	s->rng[0] = (struct prange){ s->blk[0].pa, block_end(&s->blk[0]) };
	s->nrng = 1;
	for (size_t i = 1; i < s->n; i++) {
		const struct pblock *b = &s->blk[i];
		struct prange *last = &s->rng[s->nrng - 1];
		uint64_t end = block_end(b);

		if (b->pa < block_end(&s->blk[far])) {
			s->noverlap++;
			if (cb)
				cb(arg, &s->blk[far], b);
		}
		if (end > block_end(&s->blk[far]))
			far = i;
		if (b->pa <= last->end) {
			if (end > last->end)
				last->end = end;
		} else {
			s->rng[s->nrng++] = (struct prange){ b->pa, end };
		}
	}
	s->finished = true;
	return 0;
}

/* Index of the last block with pa <= @pa, or -1. */
static long last_at_or_below(const struct pset *s, uint64_t pa)
{
	long lo = 0, hi = (long)s->n - 1, found = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (s->blk[mid].pa <= pa) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

const struct pblock *pset_head(const struct pset *s, uint64_t pa)
{
	long i = last_at_or_below(s, pa);

	/* Duplicates sort by order: step back to the first with this pa. */
	while (i > 0 && s->blk[i - 1].pa == pa)
		i--;
	return (i >= 0 && s->blk[i].pa == pa) ? &s->blk[i] : NULL;
}

int pset_head_order(const struct pset *s, uint64_t pa)
{
	const struct pblock *b = pset_head(s, pa);

	return b ? (int)b->order : -1;
}

const struct pblock *pset_find(const struct pset *s, uint64_t pa)
{
	long i = last_at_or_below(s, pa);

	/*
	 * Blocks of a valid set do not overlap, so the nearest head below is
	 * the only candidate; a few steps back cover a larger block that
	 * starts below smaller ones in a corrupt set.
	 */
	for (long k = i; k >= 0 && k > i - 8; k--)
		if (pa < block_end(&s->blk[k]))
			return &s->blk[k];
	return NULL;
}

static long range_at_or_below(const struct pset *s, uint64_t pa)
{
	long lo = 0, hi = (long)s->nrng - 1, found = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (s->rng[mid].start <= pa) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

bool pset_covers(const struct pset *s, uint64_t pa, uint64_t len)
{
	long i = range_at_or_below(s, pa);
	uint64_t last = len ? pa + len - 1 : pa;

	if (i < 0 || last < pa)
		return false;
	return last < s->rng[i].end;
}

bool pset_intersects(const struct pset *s, uint64_t pa, uint64_t len)
{
	uint64_t last = len ? pa + len - 1 : pa;
	long i;

	if (last < pa)
		last = UINT64_MAX;
	i = range_at_or_below(s, last);
	return i >= 0 && s->rng[i].end > pa;
}

uint64_t pset_bytes(const struct pset *s)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < s->nrng; i++)
		sum += s->rng[i].end - s->rng[i].start;
	return sum;
}

void pset_cursor_init(struct pset_cursor *c, const struct pset *s)
{
	c->s = s;
	c->i = 0;
}

bool pset_cursor_covers(struct pset_cursor *c, uint64_t pa, uint64_t len)
{
	const struct pset *s = c->s;
	uint64_t last = len ? pa + len - 1 : pa;

	if (last < pa)
		return false;
	/* Went backwards: fall back to a search. */
	if (c->i < s->nrng && s->rng[c->i].start > pa) {
		long i = range_at_or_below(s, pa);

		c->i = i < 0 ? 0 : (size_t)i;
	}
	while (c->i < s->nrng && s->rng[c->i].end <= pa)
		c->i++;
	if (c->i == s->nrng)
		return false;
	return s->rng[c->i].start <= pa && last < s->rng[c->i].end;
}
