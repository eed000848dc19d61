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

	if (x->pa != y->pa)
		return (x->pa > y->pa) - (x->pa < y->pa);
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * Decoded set == preserved set (same heads, same orders): the runs,
 * expanded block by block in address order, against the producer's list.
 */
static int same_set(const struct hb *h, const struct pset *s)
{
	struct hb_block *want = malloc(h->npres * sizeof(*want) + 1);
	int same = s->nblocks == h->npres;
	size_t w = 0;

	memcpy(want, h->pres, h->npres * sizeof(*want));
	qsort(want, h->npres, sizeof(*want), cmp_hb);
	for (size_t i = 0; same && i < s->nrun; i++) {
		const struct prun *r = &s->run[i];

		for (uint64_t k = 0; same && k < r->count; k++, w++) {
			struct pblock b = prun_block(r, k);

			same = w < h->npres && b.pa == want[w].pa &&
			       b.order == want[w].order;
		}
	}
	free(want);
	return same && w == h->npres;
}

/* Maximal stretches of contiguous blocks of one order in the producer's set. */
static size_t producer_runs(const struct hb *h)
{
	struct hb_block *v = malloc(h->npres * sizeof(*v) + 1);
	size_t n = 0;

	memcpy(v, h->pres, h->npres * sizeof(*v));
	qsort(v, h->npres, sizeof(*v), cmp_hb);
	for (size_t i = 0; i < h->npres; i++)
		if (!i || v[i].order != v[i - 1].order ||
		    v[i].pa != v[i - 1].pa + (HB_PAGE << v[i - 1].order))
			n++;
	free(v);
	return n;
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
	   "decoded %llu blocks == %zu preserved",
	   (unsigned long long)p->kho.preserved.nblocks, h.npres);
	ok(report_verdict_pass(&p->rep), "verdict pass");
	probe_release(p);
	free(p);
	hb_release(&h);
}

/*
 * Contiguous stretches of random length and order above 4 GiB, some
 * abutting a stretch of another order, some filling whole bitmap words and
 * crossing word, bitmap and leaf boundaries: the decoders' runs.
 */
static void test_random_runs(enum hb_kho_gen gen, unsigned int seed)
{
	struct gmem *g = gmem_new();
	struct probe *p = calloc(1, sizeof(*p));
	uint64_t pa = 0x100000000ULL, bp;
	struct physmem pm;
	struct hb h;

	srand(seed);
	gmem_add_ram(g, 0, HB_RAM_LOW_END & ~(HB_PAGE - 1));
	gmem_add_ram(g, HB_RAM_START, HB_RAM_END - HB_RAM_START);
	hb_init_gmem(&h, g, gen, HB_LUO_FDT);
	for (int i = 0; i < 60; i++) {
		unsigned int order = (unsigned int)(rand() % 11);
		uint64_t size = HB_PAGE << order, n = 1 + (uint64_t)(rand() % 300);

		if (rand() % 4 == 0)
			n = 32768 + 64 - (uint64_t)(rand() % 128);	/* a leaf and more */
		pa = (pa + size - 1) & ~(size - 1);
		if (rand() % 2)
			pa += size * (uint64_t)(1 + rand() % 70);	/* a gap */
		for (uint64_t k = 0; k < n; k++, pa += size)
			hb_preserve(&h, pa, order);
	}
	gmem_add_ram(g, 0x100000000ULL, pa - 0x100000000ULL);
	{
		struct hb_range e820[3] = {
			{ 0, HB_RAM_LOW_END }, { HB_RAM_START, HB_RAM_END - HB_RAM_START },
			{ 0x100000000ULL, pa - 0x100000000ULL },
		};

		hb_set_e820(&h, 3, e820);
	}
	bp = hb_finish(&h);
	run(&h, bp, p, &pm);
	ok(p->kho.memory_map_ok, "%s random runs %u decode (%s)",
	   gen == HB_KHO_V1 ? "bitmap" : "radix", seed,
	   p->rep.r[CK_KHO_MEMORY_MAP].detail);
	ok(same_set(&h, &p->kho.preserved),
	   "%llu blocks in %zu runs == %zu preserved",
	   (unsigned long long)p->kho.preserved.nblocks, p->kho.preserved.nrun,
	   h.npres);
	is_u64(p->kho.preserved.nrun, producer_runs(&h),
	       "one run per maximal stretch");
	ok(!check_failed(&p->rep, CK_KHO_PRESERVED_OVERLAP), "no overlap");
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
		ok(same_set(&h, &p->kho.preserved), "%s: decoded set matches (%llu)",
		   all[i]->name, (unsigned long long)p->kho.preserved.nblocks);
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

/* A minimal kho-v1 handover whose map chunk the caller then rewrites. */
static uint64_t bare_v1(struct hb *h, uint64_t *chunk)
{
	uint64_t bp;

	hb_init(h, HB_KHO_V1, HB_LUO_NONE);
	hb_alloc_preserved(h, 0);
	bp = hb_finish(h);
	*chunk = h->out.map;
	return bp;
}

/* A map that is all ones: bounded, fails, does not hang or blow up. */
static void test_hostile_dense(void)
{
	struct hb h;
	struct probe *p = calloc(1, sizeof(*p));
	struct physmem pm;
	uint64_t bp, chunk;

	bp = bare_v1(&h, &chunk);
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
	ok(strstr(p->rep.r[CK_KHO_MEMORY_MAP].detail, "more than one"),
	   "the shared bitmap page is named");
	ok(p->kho.preserved.nrun <= KHO_MAX_RUNS, "run count bounded (%zu)",
	   p->kho.preserved.nrun);
	ok(!p->kho.memory_map_ok, "map not trusted");
	probe_release(p);
	free(p);
	hb_release(&h);
}

/*
 * 16 GiB of contiguous 4 KiB pages, 2^22 blocks, beyond the old block cap:
 * one order-0 chunk whose 128 entries each point at their own all-ones
 * bitmap, 128 MiB apart.  It must decode as a single run.
 */
static void test_large_contiguous(void)
{
	const uint64_t base = 0x400000000ULL, span = 32768ULL << 12;
	struct hb h;
	struct probe *p = calloc(1, sizeof(*p));
	struct physmem pm;
	uint64_t bp, chunk;

	bp = bare_v1(&h, &chunk);
	gmem_write_u64(h.g, chunk, 0);
	gmem_write_u32(h.g, chunk + 8, 0);
	gmem_write_u32(h.g, chunk + 12, 128);
	for (int e = 0; e < 128; e++) {
		uint64_t bm = hb_alloc(&h, HB_PAGE, HB_PAGE);

		memset(hb_page(&h, bm), 0xff, HB_PAGE);
		gmem_write_u64(h.g, chunk + 16 + 16 * e, base + e * span);
		gmem_write_u64(h.g, chunk + 24 + 16 * e, bm);
	}
	run(&h, bp, p, &pm);
	ok(p->kho.memory_map_ok && !check_failed(&p->rep, CK_KHO_MEMORY_MAP),
	   "16 GiB of 4 KiB pages decodes: %s",
	   p->rep.r[CK_KHO_MEMORY_MAP].detail);
	is_u64(p->kho.preserved.nblocks, 128 * 32768, "2^22 blocks");
	ok(p->kho.preserved.nrun == 1, "held as one run (%zu)",
	   p->kho.preserved.nrun);
	ok(pset_covers(&p->kho.preserved, base, 128 * span), "all covered");
	probe_release(p);
	free(p);
	hb_release(&h);
}

int main(void)
{
	for (unsigned int s = 1; s <= 3; s++) {
		test_random(HB_KHO_V1, s);
		test_random(HB_KHO_V2, s);
		test_random_runs(HB_KHO_V1, s);
		test_random_runs(HB_KHO_V3, s);
	}
	test_catalogue();
	test_hostile_dense();
	test_large_contiguous();
	return done_testing();
}
