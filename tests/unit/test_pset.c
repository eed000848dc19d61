// SPDX-License-Identifier: GPL-2.0-only
/*
 * The preserved-block set: runs of blocks, lookups, ranges, overlap
 * detection, cursor, arithmetic at the top of the address space, and a
 * random cross-check of every query against a block-by-block model.
 */
#include <stdlib.h>
#include <string.h>

#include "../../kho/pset.h"
#include "../tap.h"

#define TOP	UINT64_MAX

static void test_lookups(void)
{
	struct pblock b = { 0 };
	struct pset s;

	pset_init(&s);
	pset_add(&s, 0x200000, 9);	/* 2 MiB at 2 MiB */
	pset_add(&s, 0x1000, 0);
	pset_add(&s, 0x2000, 1);	/* 8 KiB: contiguous with 0x1000 */
	pset_add(&s, 0x10000000, 0);
	ok(pset_finish(&s, NULL, NULL) == 0, "finish");
	is_u64(s.noverlap, 0, "no overlaps");
	is_u64(s.nrng, 3, "three merged ranges");
	is_u64(s.nblocks, 4, "four blocks");
	is_u64(pset_head_order(&s, 0x200000), 9, "head order 9");
	is_u64(pset_head_order(&s, 0x2000), 1, "head order 1");
	ok(pset_head_order(&s, 0x201000) == -1, "tail is not a head");
	ok(pset_find(&s, 0x3fffff, &b) && b.pa == 0x200000 && b.order == 9,
	   "find inside the 2 MiB block");
	ok(!pset_find(&s, 0x400000, &b), "nothing past its end");
	ok(pset_covers(&s, 0x1000, 0x3000), "covers across adjacent blocks");
	ok(!pset_covers(&s, 0x1000, 0x3001), "not one byte further");
	ok(pset_intersects(&s, 0x3fff, 2), "intersects at the edge");
	ok(!pset_intersects(&s, 0x4000, 0x1000), "gap does not intersect");
	is_u64(pset_bytes(&s), 0x3000 + 0x200000 + 0x1000, "total bytes");
	pset_free(&s);
}

static void test_runs(void)
{
	struct pblock b = { 0 };
	struct pset s;

	pset_init(&s);
	/* added out of order, one block at a time: joined by finish */
	for (int i = 99; i >= 0; i--)
		pset_add(&s, 0x40000000 + (uint64_t)i * 0x200000, 9);
	/* three 4 KiB pages, then two 16 KiB blocks right after them */
	ok(pset_add_run(&s, 0x1000, 0, 3) == 0, "add a run of 3 pages");
	ok(pset_add_run(&s, 0x4000, 2, 2) == 0, "add a run of 2 order-2 blocks");
	ok(pset_finish(&s, NULL, NULL) == 0, "finish");
	is_u64(s.nrun, 3, "100 folios join into one run; 2 more runs");
	is_u64(s.nblocks, 105, "105 blocks");
	is_u64(s.nrng, 2, "two ranges (different orders abut)");
	is_u64(s.run[2].count, 100, "the folio run has 100 blocks");
	is_u64(pset_bytes(&s), 0x3000 + 0x8000 + 100 * 0x200000ULL, "bytes");
	is_u64(pset_head_order(&s, 0x2000), 0, "page 2 of the order-0 run");
	is_u64(pset_head_order(&s, 0x8000), 2, "block 2 of the order-2 run");
	ok(pset_head_order(&s, 0x5000) == -1, "inside an order-2 block: no head");
	ok(pset_head_order(&s, 0xc000) == -1, "just past the run: no head");
	ok(pset_head_order(&s, 0x0) == -1, "just before the run: no head");
	is_u64(pset_head_order(&s, 0x40000000 + 99 * 0x200000ULL), 9,
	       "last folio of the run");
	ok(pset_head_order(&s, 0x40000000 + 100 * 0x200000ULL) == -1,
	   "one folio past the run");
	ok(pset_head_order(&s, 0x40001000) == -1, "a page inside a folio");
	ok(pset_find(&s, 0x9fff, &b) && b.pa == 0x8000 && b.order == 2,
	   "find: the order-2 block holding 0x9fff");
	ok(pset_find(&s, 0x40000000 + 0x5fffff, &b) &&
	   b.pa == 0x40400000 && b.order == 9, "find: the third folio");
	ok(pset_covers(&s, 0x1000, 0xb000), "covers both runs at once");
	ok(!pset_covers(&s, 0x1000, 0xb001), "but not a byte more");
	ok(pset_covers(&s, 0x40000000, 100 * 0x200000ULL), "covers all folios");
	ok(pset_add_run(&s, 0x1000, 0, 0) == -1, "count 0 refused");
	ok(pset_add_run(&s, 0x1000, PSET_MAX_ORDER + 1, 1) == -1,
	   "order > PSET_MAX_ORDER refused");
	pset_free(&s);
}

struct seen {
	int n;
	struct pblock a, b;
};

static void on_overlap(void *arg, const struct pblock *a,
		       const struct pblock *b)
{
	struct seen *v = arg;

	if (!v->n++) {
		v->a = *a;
		v->b = *b;
	}
}

static void test_overlap(void)
{
	struct seen v = { 0 };
	struct pset s;

	pset_init(&s);
	pset_add(&s, 0x200000, 9);
	pset_add(&s, 0x201000, 0);	/* inside the 2 MiB block */
	pset_add(&s, 0x300000, 0);	/* also inside */
	pset_add(&s, 0x400000, 0);	/* just after: fine */
	pset_finish(&s, on_overlap, &v);
	is_u64(s.noverlap, 2, "two overlapping runs found");
	is_u64(v.n, 2, "callback saw both");
	ok(v.a.pa == 0x200000 && v.a.order == 9 && v.b.pa == 0x201000 &&
	   v.b.order == 0, "first pair: page 0x201000 in folio 0x200000");
	pset_free(&s);

	/*
	 * A run of order-9 folios containing a run of pages that starts on
	 * its second folio's head: one overlapping pair, named by the first
	 * shared block; both heads at 0x400000 exist, the smaller order wins.
	 */
	memset(&v, 0, sizeof(v));
	pset_init(&s);
	pset_add_run(&s, 0x200000, 9, 4);	/* [2 MiB, 10 MiB) */
	pset_add_run(&s, 0x400000, 0, 3);	/* pages 0x400000..0x402fff */
	pset_finish(&s, on_overlap, &v);
	is_u64(s.noverlap, 1, "one overlapping pair of runs");
	ok(v.a.pa == 0x400000 && v.a.order == 9 && v.b.pa == 0x400000 &&
	   v.b.order == 0, "named by the folio 0x400000 and page 0x400000");
	is_u64(pset_head_order(&s, 0x400000), 0, "two heads: the smaller order");
	is_u64(pset_head_order(&s, 0x402000), 0, "page head inside a folio");
	is_u64(pset_head_order(&s, 0x600000), 9, "the next folio");
	ok(pset_head_order(&s, 0x403000) == -1, "past the pages: no head");
	{
		struct pblock b = { 0 };

		ok(pset_find(&s, 0x401800, &b) && b.pa == 0x401000 && b.order == 0,
		   "find: the nearest head below");
		ok(pset_find(&s, 0x5ff000, &b) && b.pa == 0x400000 && b.order == 9,
		   "find: past the pages, the folio");
	}
	is_u64(pset_bytes(&s), 8ULL << 20, "bytes counted once");
	is_u64(s.nblocks, 7, "blocks counted per run");
	pset_free(&s);

	/* the same block twice */
	pset_init(&s);
	pset_add(&s, 0x10000, 0);
	pset_add(&s, 0x10000, 0);
	pset_finish(&s, NULL, NULL);
	is_u64(s.noverlap, 1, "a duplicate block overlaps");
	is_u64(s.nrun, 2, "and is not joined");
	pset_free(&s);
}

static void test_top(void)
{
	struct pblock b = { 0 };
	struct pset s;

	pset_init(&s);
	ok(pset_add_run(&s, TOP - 0xffff, 0, 16) == 0, "16 pages up to 2^64");
	ok(pset_add_run(&s, TOP - 0xffff, 0, 17) == -1, "17 would wrap: refused");
	ok(pset_add_run(&s, TOP - 0x1fffff, 9, 2) == -1, "order 9 wrap refused");
	ok(pset_add_run(&s, 0, 0, 1) == 0, "page 0 after the top run");
	ok(pset_finish(&s, NULL, NULL) == 0, "finish");
	is_u64(s.nrun, 2, "page 0 does not join the top run (no wrap)");
	is_u64(s.noverlap, 0, "no overlap across the wrap");
	is_u64(pset_bytes(&s), 0x11000, "bytes exact up to the top");
	ok(pset_covers(&s, TOP - 0xffff, 0x10000), "covers the last byte");
	ok(pset_covers(&s, TOP, 1), "covers 2^64 - 1");
	ok(!pset_covers(&s, TOP, 2), "a range that wraps is not covered");
	ok(pset_intersects(&s, TOP - 0x1ffff, 0x10001), "intersects the top run");
	ok(!pset_intersects(&s, TOP - 0x1ffff, 0x10000), "ends just below it");
	is_u64(pset_head_order(&s, TOP - 0xfff), 0, "last page is a head");
	ok(pset_find(&s, TOP, &b) && b.pa == TOP - 0xfff, "find the last byte");
	pset_free(&s);

	pset_init(&s);
	ok(pset_add_run(&s, 0, 0, 1ULL << 52) == 0, "every page of 2^64");
	ok(pset_add_run(&s, 0x1000, 0, 1) == 0, "one more page: accepted");
	ok(pset_finish(&s, NULL, NULL) == 0, "finish");
	is_u64(s.nblocks, (1ULL << 52) + 1, "2^52 + 1 blocks");
	is_u64(s.noverlap, 1, "the extra page overlaps");
	is_u64(pset_bytes(&s), TOP, "bytes saturate");
	is_u64(pset_head_order(&s, TOP - 0xfff), 0, "head at the top");
	ok(pset_covers(&s, 0, TOP), "covers almost all of it");
	pset_free(&s);

	pset_init(&s);
	ok(pset_add_run(&s, 0, PSET_MAX_ORDER, 1ULL << 12) == 0,
	   "4096 blocks of order 40 fill 2^64");
	ok(pset_add_run(&s, 0, PSET_MAX_ORDER, (1ULL << 12) + 1) == -1,
	   "4097 do not");
	pset_finish(&s, NULL, NULL);
	is_u64(pset_head_order(&s, 0xfff0000000000000ULL), PSET_MAX_ORDER,
	       "the last order-40 head");
	ok(pset_head_order(&s, 0xfff0000000001000ULL) == -1, "not a head");
	pset_free(&s);
}

static void test_cursor(void)
{
	struct pset s;
	struct pset_cursor c;

	pset_init(&s);
	for (uint64_t i = 0; i < 100; i++)
		pset_add(&s, 0x100000 + i * 0x2000, 0);	/* every other page */
	pset_add_run(&s, 0x400000, 9, 8);
	pset_finish(&s, NULL, NULL);
	pset_cursor_init(&c, &s);
	ok(pset_cursor_covers(&c, 0x100000, 0x1000), "cursor first");
	ok(!pset_cursor_covers(&c, 0x101000, 0x1000), "cursor gap");
	ok(pset_cursor_covers(&c, 0x102000, 0x1000), "cursor next");
	ok(pset_cursor_covers(&c, 0x100000, 0x1000), "cursor backwards");
	ok(!pset_cursor_covers(&c, 0x100000, 0x2000), "cursor spans a gap");
	pset_cursor_init(&c, &s);
	ok(pset_cursor_head(&c, 0x100000), "head cursor: first page");
	ok(!pset_cursor_head(&c, 0x101000), "head cursor: gap");
	ok(pset_cursor_head(&c, 0x1c6000), "head cursor: page 99");
	ok(pset_cursor_head(&c, 0x600000), "head cursor: a folio of the run");
	ok(!pset_cursor_head(&c, 0x601000), "head cursor: inside the folio");
	ok(pset_cursor_head(&c, 0x102000), "head cursor: backwards");
	ok(!pset_cursor_head(&c, 0x1400000), "head cursor: past the end");
	pset_free(&s);
}

/*
 * Random runs (mixed orders, some overlapping) in 16 MiB against a model
 * that knows each page's blocks: heads (smallest order), find (nearest
 * head below), covers, intersects, bytes.
 */
#define MODEL_PAGES	4096

struct model {
	int8_t head[MODEL_PAGES];	/* smallest order headed here, or -1 */
	int8_t find[MODEL_PAGES];	/* order of the nearest head, or -1 */
	uint32_t fpa[MODEL_PAGES];	/* its page */
	bool in[MODEL_PAGES];
};

static void model_add(struct model *m, unsigned int page, unsigned int order,
		      unsigned int count)
{
	for (unsigned int k = 0; k < count; k++) {
		unsigned int h = page + (k << order);

		if (m->head[h] < 0 || m->head[h] > (int)order)
			m->head[h] = (int8_t)order;
		for (unsigned int q = h; q < h + (1u << order); q++) {
			m->in[q] = true;
			if (m->find[q] < 0 || m->fpa[q] < h ||
			    (m->fpa[q] == h && m->find[q] > (int)order)) {
				m->fpa[q] = h;
				m->find[q] = (int8_t)order;
			}
		}
	}
}

static bool one_random_set(unsigned int seed)
{
	static struct model m;
	struct pset s;
	uint64_t bytes = 0;
	bool good = true;
	int nrun = 1 + rand() % 40;

	memset(m.head, -1, sizeof(m.head));
	memset(m.find, -1, sizeof(m.find));
	memset(m.in, 0, sizeof(m.in));
	pset_init(&s);
	for (int i = 0; i < nrun; i++) {
		unsigned int order = (unsigned int)(rand() % 6);
		unsigned int blocks = MODEL_PAGES >> order;
		unsigned int count = 1 + (unsigned int)(rand() % 12);
		unsigned int first = (unsigned int)rand() % blocks;

		if (first + count > blocks)
			count = blocks - first;
		pset_add_run(&s, (uint64_t)(first << order) << 12, order, count);
		model_add(&m, first << order, order, count);
	}
	pset_finish(&s, NULL, NULL);
	for (unsigned int q = 0; q < MODEL_PAGES; q++) {
		uint64_t pa = (uint64_t)q << 12;
		struct pblock b = { 0 };
		bool f = pset_find(&s, pa + 0x800, &b);

		bytes += m.in[q] ? 0x1000 : 0;
		good &= pset_head_order(&s, pa) == m.head[q];
		good &= pset_head_order(&s, pa + 0x800) == -1;
		good &= f == (m.find[q] >= 0);
		if (f)
			good &= b.pa == (uint64_t)m.fpa[q] << 12 &&
				(int)b.order == m.find[q];
		good &= pset_covers(&s, pa, 0x1000) == m.in[q];
		good &= pset_intersects(&s, pa + 0xfff, 1) == m.in[q];
		if (q + 1 < MODEL_PAGES)
			good &= pset_covers(&s, pa + 0x800, 0x1000) ==
				(m.in[q] && m.in[q + 1]);
	}
	good &= pset_bytes(&s) == bytes;
	{
		struct pset_cursor c;

		pset_cursor_init(&c, &s);
		for (unsigned int q = 0; q < MODEL_PAGES; q += 1 + (unsigned int)rand() % 7)
			good &= pset_cursor_head(&c, (uint64_t)q << 12) ==
				(m.head[q] >= 0);
	}
	if (!good)
		diag("random set %u (%d runs, %zu overlaps) disagrees", seed, nrun,
		     s.noverlap);
	pset_free(&s);
	return good;
}

static void test_random_model(void)
{
	unsigned int bad = 0;

	srand(7);
	for (unsigned int i = 0; i < 300; i++)
		bad += !one_random_set(i);
	is_u64(bad, 0, "300 random run sets agree with the page model");
}

int main(void)
{
	test_lookups();
	test_runs();
	test_overlap();
	test_top();
	test_cursor();
	test_random_model();
	return done_testing();
}
