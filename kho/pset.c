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
	free(s->run);
	free(s->rng);
	free(s->reach);
	pset_init(s);
}

void pset_move(struct pset *dst, struct pset *src)
{
	*dst = *src;
	pset_init(src);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

int pset_add_run(struct pset *s, uint64_t pa, unsigned int order,
		 uint64_t count)
{
	unsigned int shift = PSET_PAGE_SHIFT + order;

	if (order > PSET_MAX_ORDER || !count)
		return -1;
	/* at most (2^64 - pa) / size blocks fit below the top */
	if (count > (pa ? (0 - pa) >> shift : (uint64_t)1 << (64 - shift)))
		return -1;
	if (pset_extend(s, pa, order, count))
		return 0;
	if (s->nrun == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct prun *nr = realloc(s->run, cap * sizeof(*nr));

		if (!nr)
			return -1;
		s->run = nr;
		s->cap = cap;
	}
	if (count > UINT64_MAX - s->nblocks)
		s->nblocks = UINT64_MAX - count;	/* saturate */
	pset_push(s, pa, order, count);
	return 0;
}

int pset_add(struct pset *s, uint64_t pa, unsigned int order)
{
	return pset_add_run(s, pa, order, 1);
}

static int cmp_run(const struct prun *x, const struct prun *y)
{
	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static int cmp_run_q(const void *a, const void *b)
{
	return cmp_run(a, b);
}

static void insertion_sort(struct prun *r, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct prun cur = r[i];
		size_t k = i;

		while (k && cmp_run(&r[k - 1], &cur) > 0) {
			r[k] = r[k - 1];
			k--;
		}
		r[k] = cur;
	}
}

/* Bytes of a range (saturating: all of 2^64 does not fit). */
static uint64_t range_bytes(const struct prange *r)
{
	if (r->end != UINT64_MAX)
		return r->end - r->start;
	return r->start ? 0 - r->start : UINT64_MAX;
}

/* Range end (exclusive) of a run; UINT64_MAX when it reaches the top. */
static uint64_t run_end(const struct prun *r)
{
	uint64_t last = prun_last(r);

	return last == UINT64_MAX ? UINT64_MAX : last + 1;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/*
 * Overlapping sets only: an implicit search tree over the sorted runs
 * (node mid of [lo, hi), children [lo, mid) and [mid + 1, hi)) keeps in
 * reach[mid] the last byte any run of that subtree reaches, so a point
 * query visits O(log n) nodes plus the runs that actually contain it.
 */
static uint64_t build_reach(uint64_t *reach, const struct prun *r,
			    size_t lo, size_t hi)
{
	size_t mid;

	if (lo >= hi)
		return 0;
	mid = lo + (hi - lo) / 2;
	reach[mid] = max_u64(prun_last(&r[mid]),
			     max_u64(build_reach(reach, r, lo, mid),
				     build_reach(reach, r, mid + 1, hi)));
	return reach[mid];
}

static void report_overlap(const struct prun *a, const struct prun *b,
			   pset_overlap_fn cb, void *arg)
{
	uint64_t k = (b->pa - a->pa) >> prun_shift(a);
	struct pblock x = prun_block(a, k), y = prun_block(b, 0);

	cb(arg, &x, &y);
}

/*
 * One pass over the sorted runs: join runs of one order that continue
 * each other, detect overlaps (a run starting inside the run reaching
 * furthest so far) and build the merged ranges.
 */
static void join_scan(struct pset *s, pset_overlap_fn cb, void *arg)
{
	struct prun *run = s->run;
	struct prange *rng = s->rng;
	size_t out = 0, far = 0, nrng = 0;
	uint64_t last = prun_last(&run[0]), far_last = last, bytes = 0;

	rng[0] = (struct prange){ run[0].pa, run_end(&run[0]) };
	for (size_t i = 1; i < s->nrun; i++) {
		struct prun r = run[i];
		uint64_t r_last = prun_last(&r);
		uint64_t r_end = r_last == UINT64_MAX ? UINT64_MAX : r_last + 1;

		if (r.order == run[out].order && last != UINT64_MAX &&
		    last + 1 == r.pa) {
			run[out].count += r.count;	/* both fit: so does the sum */
		} else {
			if (r.pa <= far_last) {
				s->noverlap++;
				if (cb)
					report_overlap(&run[far], &r, cb, arg);
			}
			run[++out] = r;
		}
		last = r_last;
		if (r_last > far_last) {
			far = out;
			far_last = r_last;
		}
		if (r.pa <= rng[nrng].end) {
			if (r_end > rng[nrng].end)
				rng[nrng].end = r_end;
		} else {
			bytes = add_sat(bytes, range_bytes(&rng[nrng]));
			rng[++nrng] = (struct prange){ r.pa, r_end };
		}
	}
	s->nrun = out + 1;
	s->nrng = nrng + 1;
	s->bytes = add_sat(bytes, range_bytes(&rng[nrng]));
}

int pset_finish(struct pset *s, pset_overlap_fn cb, void *arg)
{
	struct prange *shrunk;

	if (s->unsorted && s->nrun <= PSET_SMALL_SORT)
		insertion_sort(s->run, s->nrun);
	else if (s->unsorted)
		qsort(s->run, s->nrun, sizeof(*s->run), cmp_run_q);
	s->unsorted = false;
	s->next = 0;		/* joins may have changed the last run */
	free(s->rng);
	free(s->reach);
	s->rng = NULL;
	s->reach = NULL;
	s->nrng = 0;
	s->noverlap = 0;
	s->bytes = 0;
	if (!s->nrun) {
		s->finished = true;
		return 0;
	}
	s->rng = malloc(s->nrun * sizeof(*s->rng));
	if (!s->rng)
		return -1;
	join_scan(s, cb, arg);
	shrunk = realloc(s->rng, s->nrng * sizeof(*s->rng));
	if (shrunk)
		s->rng = shrunk;
	if (s->noverlap) {
		s->reach = malloc(s->nrun * sizeof(*s->reach));
		if (!s->reach)
			return -1;
		build_reach(s->reach, s->run, 0, s->nrun);
	}
	s->finished = true;
	return 0;
}

/* Index of the last run with pa <= @pa, or -1. */
static long run_at_or_below(const struct pset *s, uint64_t pa)
{
	long lo = 0, hi = (long)s->nrun - 1, found = -1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (s->run[mid].pa <= pa) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

size_t pset_run_from(const struct pset *s, uint64_t pa)
{
	long i = run_at_or_below(s, pa);

	if (i >= 0 && s->run[i].pa == pa) {
		while (i > 0 && s->run[i - 1].pa == pa)
			i--;
		return (size_t)i;
	}
	return (size_t)(i + 1);
}

static bool run_contains(const struct prun *r, uint64_t pa)
{
	return pa >= r->pa && pa <= prun_last(r);
}

static bool run_head(const struct prun *r, uint64_t pa)
{
	return run_contains(r, pa) &&
	       !((pa - r->pa) & (prun_block_size(r) - 1));
}

/* Best answer among the runs containing a point (overlapping sets). */
struct pick {
	uint64_t pa;
	bool head;		/* want an exact head, else any containing block */
	bool found;
	struct pblock b;
};

static void consider(struct pick *k, const struct prun *r)
{
	struct pblock b;

	if (k->head) {
		if (!run_head(r, k->pa) || (k->found && r->order >= k->b.order))
			return;
		b = (struct pblock){ k->pa, (uint32_t)r->order };
	} else {
		b = prun_block(r, (k->pa - r->pa) >> prun_shift(r));
		if (k->found && (b.pa < k->b.pa ||
				 (b.pa == k->b.pa && b.order >= k->b.order)))
			return;
	}
	k->b = b;
	k->found = true;
}

static void stab(const struct pset *s, size_t lo, size_t hi, struct pick *k)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->reach[mid] < k->pa)
			return;		/* nothing below reaches pa */
		stab(s, lo, mid, k);
		if (s->run[mid].pa > k->pa)
			return;		/* mid and all right of it start above */
		if (run_contains(&s->run[mid], k->pa))
			consider(k, &s->run[mid]);
		lo = mid + 1;
	}
}

static bool lookup(const struct pset *s, uint64_t pa, bool head,
		   struct pblock *b)
{
	struct pick k = { .pa = pa, .head = head };

	if (s->reach) {
		stab(s, 0, s->nrun, &k);
	} else {
		/* disjoint runs: only the nearest run at or below can hold pa */
		long i = run_at_or_below(s, pa);

		if (i >= 0 && run_contains(&s->run[i], pa))
			consider(&k, &s->run[i]);
	}
	if (k.found && b)
		*b = k.b;
	return k.found;
}

bool pset_head(const struct pset *s, uint64_t pa, struct pblock *b)
{
	return lookup(s, pa, true, b);
}

int pset_head_order(const struct pset *s, uint64_t pa)
{
	struct pblock b;

	return pset_head(s, pa, &b) ? (int)b.order : -1;
}

bool pset_find(const struct pset *s, uint64_t pa, struct pblock *b)
{
	return lookup(s, pa, false, b);
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

/* Byte @last is inside range @r (end UINT64_MAX: up to the top). */
static bool range_holds(const struct prange *r, uint64_t last)
{
	return last < r->end || r->end == UINT64_MAX;
}

bool pset_covers(const struct pset *s, uint64_t pa, uint64_t len)
{
	long i = range_at_or_below(s, pa);
	uint64_t last = len ? pa + len - 1 : pa;

	if (i < 0 || last < pa)
		return false;
	return range_holds(&s->rng[i], last);
}

bool pset_intersects(const struct pset *s, uint64_t pa, uint64_t len)
{
	uint64_t last = len ? pa + len - 1 : pa;
	long i;

	if (last < pa)
		last = UINT64_MAX;
	i = range_at_or_below(s, last);
	return i >= 0 && range_holds(&s->rng[i], pa);
}

uint64_t pset_bytes(const struct pset *s)
{
	return s->finished ? s->bytes : 0;
}

void pset_cursor_init(struct pset_cursor *c, const struct pset *s)
{
	c->s = s;
	c->i = 0;
	c->r = 0;
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
	while (c->i < s->nrng && !range_holds(&s->rng[c->i], pa))
		c->i++;
	if (c->i == s->nrng)
		return false;
	return s->rng[c->i].start <= pa && range_holds(&s->rng[c->i], last);
}

bool pset_cursor_head(struct pset_cursor *c, uint64_t pa)
{
	const struct pset *s = c->s;

	if (s->reach || (c->r < s->nrun && s->run[c->r].pa > pa))
		return pset_head(s, pa, NULL);	/* overlaps, or went back */
	while (c->r < s->nrun && prun_last(&s->run[c->r]) < pa)
		c->r++;
	return c->r < s->nrun && run_head(&s->run[c->r], pa);
}
