// SPDX-License-Identifier: GPL-2.0-only
/*
 * The preserved-memory map decoders against the producer: for random block
 * sets in both encodings, and for every valid catalogue scenario, the set
 * khoprobe decodes is exactly the set the producer preserved.
 */
#include <stdlib.h>

#include "../../lib/probe.h"
#include "../producer/handover.h"
#include "../tap.h"

static int cmp_hb(const void *a, const void *b)
{
	const struct hb_block *x = a, *y = b;

	return (x->pa > y->pa) - (x->pa < y->pa);
}

/* Decoded set == preserved set (same heads, same orders). */
static int same_set(const struct hb *h, const struct pset *s)
{
	struct hb_block *want = malloc(h->npres * sizeof(*want) + 1);
	int same = s->n == h->npres;

	memcpy(want, h->pres, h->npres * sizeof(*want));
	qsort(want, h->npres, sizeof(*want), cmp_hb);
	for (size_t i = 0; same && i < s->n; i++)
		same = s->blk[i].pa == want[i].pa &&
		       s->blk[i].order == want[i].order;
	free(want);
	return same;
}

static int flbs_match(const struct hb *h, const struct luo_state *l)
{
	if (l->nflb != h->nflb)
		return 0;
	for (unsigned int i = 0; i < l->nflb; i++)
		if (strcmp(l->flb[i].name, h->flb[i].name) ||
		    l->flb[i].data != h->flb[i].data ||
		    l->flb[i].count != h->flb[i].count)
			return 0;
	return 1;
}

static void run(struct hb *h, uint64_t bp, struct probe *p, struct physmem *pm)
{
	gmem_physmem(h->g, pm);
	probe_init(p, pm, NULL);
	p->start_pa = bp;
	probe_run(p);
}

static void test_random(enum hb_kho_gen gen, unsigned int seed)
{
	struct hb h;
	struct probe *p = calloc(1, sizeof(*p));
	struct physmem pm;
	uint64_t bp;

	srand(seed);
	hb_init(&h, gen, HB_LUO_FDT);
	for (int i = 0; i < 400; i++)
		hb_alloc_preserved(&h, (unsigned int)(rand() % 11));
	bp = hb_finish(&h);
	run(&h, bp, p, &pm);
	ok(p->kho.memory_map_ok, "%s random set %u decodes",
	   gen == HB_KHO_V1 ? "bitmap" : "radix", seed);
	ok(same_set(&h, &p->kho.preserved),
	   "decoded %zu blocks == %zu preserved", p->kho.preserved.n, h.npres);
	ok(report_verdict_pass(&p->rep), "verdict pass");
	probe_release(p);
	free(p);
	hb_release(&h);
}

static void test_catalogue(void)
{
	size_t n;
	const struct hb_scenario *const *all = hb_scenarios(&n);

	for (size_t i = 0; i < n; i++) {
		struct probe *p;
		struct physmem pm;
		struct hb h;
		uint64_t bp;

		if (!all[i]->expect_pass)
			continue;
		p = calloc(1, sizeof(*p));
		bp = hb_build_scenario(&h, all[i]);
		run(&h, bp, p, &pm);
		ok(same_set(&h, &p->kho.preserved), "%s: decoded set matches (%zu)",
		   all[i]->name, p->kho.preserved.n);
		ok(p->kho.fdt_ok && p->kho.fdt && p->kho.fdt_len,
		   "%s: FDT copy kept in the state", all[i]->name);
		if (p->luo.present)
			ok(p->luo.flb_ok && flbs_match(&h, &p->luo),
			   "%s: FLB table (%u) exported to later layers",
			   all[i]->name, p->luo.nflb);
		probe_release(p);
		free(p);
		hb_release(&h);
	}
}

/* A map that is all ones: bounded, fails, does not hang or blow up. */
static void test_hostile_dense(void)
{
	struct hb h;
	struct probe *p = calloc(1, sizeof(*p));
	struct physmem pm;
	uint64_t bp, chunk;

	hb_init(&h, HB_KHO_V1, HB_LUO_NONE);
	hb_alloc_preserved(&h, 0);
	bp = hb_finish(&h);
	chunk = h.out.map;
	/* 255 entries all pointing at one all-ones bitmap, 40 such chunks */
	{
		uint64_t bm = hb_alloc(&h, HB_PAGE, HB_PAGE), prev = 0;

		memset(hb_page(&h, bm), 0xff, HB_PAGE);
		for (int c = 0; c < 40; c++) {
			uint64_t ch = c ? hb_alloc(&h, HB_PAGE, HB_PAGE) : chunk;

			if (prev)
				gmem_write_u64(h.g, prev, ch);
			gmem_write_u32(h.g, ch + 8, 0);
			gmem_write_u32(h.g, ch + 12, 255);
			for (int e = 0; e < 255; e++) {
				gmem_write_u64(h.g, ch + 16 + 16 * e, 0x200000000ULL);
				gmem_write_u64(h.g, ch + 24 + 16 * e, bm);
			}
			prev = ch;
		}
	}
	run(&h, bp, p, &pm);
	ok(check_failed(&p->rep, CK_KHO_MEMORY_MAP), "huge map fails: %s",
	   p->rep.r[CK_KHO_MEMORY_MAP].detail);
	ok(p->kho.preserved.n <= KHO_MAX_BLOCKS, "block count bounded");
	ok(!p->kho.memory_map_ok, "map not trusted");
	probe_release(p);
	free(p);
	hb_release(&h);
}

int main(void)
{
	for (unsigned int s = 1; s <= 3; s++) {
		test_random(HB_KHO_V1, s);
		test_random(HB_KHO_V2, s);
	}
	test_catalogue();
	test_hostile_dense();
	return done_testing();
}
