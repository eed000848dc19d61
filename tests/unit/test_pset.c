// SPDX-License-Identifier: GPL-2.0-only
/* The preserved-block set: lookups, ranges, overlap detection, cursor. */
#include "../../kho/pset.h"
#include "../tap.h"

static void test_lookups(void)
{
	struct pset s;

	pset_init(&s);
	pset_add(&s, 0x200000, 9);	/* 2 MiB at 2 MiB */
	pset_add(&s, 0x1000, 0);
	pset_add(&s, 0x2000, 1);	/* 8 KiB: contiguous with 0x1000 */
	pset_add(&s, 0x10000000, 0);
	ok(pset_finish(&s, NULL, NULL) == 0, "finish");
	is_u64(s.noverlap, 0, "no overlaps");
	is_u64(s.nrng, 3, "three merged ranges");
	is_u64(pset_head_order(&s, 0x200000), 9, "head order 9");
	is_u64(pset_head_order(&s, 0x2000), 1, "head order 1");
	ok(pset_head_order(&s, 0x201000) == -1, "tail is not a head");
	ok(pset_find(&s, 0x3fffff) && pset_find(&s, 0x3fffff)->pa == 0x200000,
	   "find inside the 2 MiB block");
	ok(!pset_find(&s, 0x400000), "nothing past its end");
	ok(pset_covers(&s, 0x1000, 0x3000), "covers across adjacent blocks");
	ok(!pset_covers(&s, 0x1000, 0x3001), "not one byte further");
	ok(pset_intersects(&s, 0x3fff, 2), "intersects at the edge");
	ok(!pset_intersects(&s, 0x4000, 0x1000), "gap does not intersect");
	is_u64(pset_bytes(&s), 0x3000 + 0x200000 + 0x1000, "total bytes");
	pset_free(&s);
}

static int overlaps_seen;

static void on_overlap(void *arg, const struct pblock *a,
		       const struct pblock *b)
{
	(void)arg;
	(void)a;
	(void)b;
	overlaps_seen++;
}

static void test_overlap(void)
{
	struct pset s;

	pset_init(&s);
	pset_add(&s, 0x200000, 9);
	pset_add(&s, 0x201000, 0);	/* inside the 2 MiB block */
	pset_add(&s, 0x300000, 0);	/* also inside */
	pset_add(&s, 0x400000, 0);	/* just after: fine */
	pset_finish(&s, on_overlap, NULL);
	is_u64(s.noverlap, 2, "two overlapping blocks found");
	is_u64(overlaps_seen, 2, "callback saw both");
	pset_free(&s);
}

static void test_cursor(void)
{
	struct pset s;
	struct pset_cursor c;

	pset_init(&s);
	for (uint64_t i = 0; i < 100; i++)
		pset_add(&s, 0x100000 + i * 0x2000, 0);	/* every other page */
	pset_finish(&s, NULL, NULL);
	pset_cursor_init(&c, &s);
	ok(pset_cursor_covers(&c, 0x100000, 0x1000), "cursor first");
	ok(!pset_cursor_covers(&c, 0x101000, 0x1000), "cursor gap");
	ok(pset_cursor_covers(&c, 0x102000, 0x1000), "cursor next");
	ok(pset_cursor_covers(&c, 0x100000, 0x1000), "cursor backwards");
	ok(!pset_cursor_covers(&c, 0x100000, 0x2000), "cursor spans a gap");
	pset_free(&s);
}

int main(void)
{
	test_lookups();
	test_overlap();
	test_cursor();
	return done_testing();
}
