// SPDX-License-Identifier: GPL-2.0-only
/*
 * KHO decode benchmark: a large valid handover (>= 64 GiB preserved in
 * mixed orders, thousands of blocks), in both map encodings and in two
 * layouts, read back through khodump's ELF-core physmem.  Three timings
 * of each, through the same physmem:
 *
 *   map-decode  decode the preserved-memory map into the set and check it
 *               (kho.memory-map, kho.preserved-overlap,
 *               kho.scratch-disjoint): the figure the 3x target is about
 *   decode      the whole probe_run (every layer, all of its checks; for
 *               a dense map its fixed costs, FDT and LUO, dominate)
 *   read        a plain read of the map's metadata pages, nothing else,
 *               into a page-aligned buffer as the decoders use
 *
 * Each timing is a batch of as many passes as fill BATCH_NS (so a dense
 * map's few pages are not lost in the clock's resolution), divided by the
 * pass count; passes alternate and the best of ROUNDS batches is kept.
 *
 *   bench kho-map-decode-v1: X ns
 *   bench kho-read-v1: Y ns
 *   bench kho-map-decode-ratio-v1: X/Y x
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/probe.h"
#include "../../kho/kho_int.h"
#include "../../tools/khodump/elfmem.h"
#include "../producer/handover.h"

#define BIG_START	0x100000000ULL		/* 4 GiB */
#define ROUNDS		31
#define BATCH_NS	2e6			/* 2 ms per timed batch */

struct layout {
	unsigned int order, count;
	uint64_t stride;	/* distance between block heads */
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct bcase {
	struct elfmem *m;
	struct hb *h;
	uint64_t bp;
	struct probe *ref;	/* one full run: the FDT, scratch, map root */
	struct probe *q;	/* scratch probe for the map-only passes */
	uint64_t sink;
	uint8_t *page, *raw;
};

typedef void (*pass_fn)(struct bcase *c);

static void fail(const char *what)
{
	fprintf(stderr, "bench: %s\n", what);
	exit(1);
}

/* Decode and check the map only, on a copy of a full run's KHO state. */
static void pass_map(struct bcase *c)
{
	static const enum check_id ids[] = {
		CK_KHO_MEMORY_MAP, CK_KHO_PRESERVED_OVERLAP, CK_KHO_SCRATCH_DISJOINT,
	};
	struct probe *q = c->q;

	/* fresh results and decode state; the rest was copied at setup */
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		q->rep.r[ids[i]].status = CHECK_NOT_RUN;
		q->rep.r[ids[i]].nfail = 0;
		q->rep.r[ids[i]].nwarn = 0;
		q->rep.r[ids[i]].nextra = 0;
	}
	pset_init(&q->kho.preserved);
	q->kho.memory_map_ok = false;
	q->kho.map_pa = 0;
	q->kho.map_pages = 0;
	q->kho.max_order = 0;
	kho_check_memory_map(q);
	kho_check_scratch_disjoint(q);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (!check_passed(&q->rep, ids[i]))
			fail(q->rep.r[ids[i]].detail);
	if (q->kho.preserved.nblocks != c->h->npres)
		fail("map-only pass decoded the wrong block count");
	/* the read pass reads exactly the pages the decoder read */
	if (q->kho.map_pages != c->h->out.nmeta)
		fail("the decoder read other pages than the map's");
	pset_free(&q->kho.preserved);
}

static void pass_probe(struct bcase *c)
{
	struct probe *p = calloc(1, sizeof(*p));

	probe_init(p, &c->m->pm, NULL);
	p->start_pa = c->bp;
	probe_run(p);
	if (!report_verdict_pass(&p->rep) ||
	    p->kho.preserved.nblocks != c->h->npres)
		fail("handover did not verify");
	probe_release(p);
	free(p);
}

static void pass_read(struct bcase *c)
{
	for (size_t i = 0; i < c->h->out.nmeta; i++) {
		phys_read(&c->m->pm, c->h->out.meta[i], c->page, HB_PAGE, NULL);
		c->sink += c->page[i % HB_PAGE];
	}
}

/* Passes per batch so that one batch takes about BATCH_NS. */
static unsigned int calibrate(struct bcase *c, pass_fn f)
{
	double t0 = now_ns(), t;

	f(c);
	t = now_ns() - t0;
	return t >= BATCH_NS ? 1 : (unsigned int)(BATCH_NS / (t > 1 ? t : 1)) + 1;
}

static double batch(struct bcase *c, pass_fn f, unsigned int n)
{
	double t0 = now_ns();

	for (unsigned int i = 0; i < n; i++)
		f(c);
	return (now_ns() - t0) / n;
}

static double min_d(double a, double b)
{
	return a < b ? a : b;
}

/* Blocks of each layout line, one region after the other above 4 GiB. */
static uint64_t place(struct hb *h, const struct layout *l, size_t n,
		      uint64_t *bytes, size_t *blocks)
{
	uint64_t pa = BIG_START;

	for (size_t i = 0; i < n; i++) {
		uint64_t size = HB_PAGE << l[i].order;

		pa = (pa + size - 1) & ~(size - 1);
		for (unsigned int k = 0; k < l[i].count; k++) {
			hb_preserve(h, pa, l[i].order);
			*bytes += size;
			(*blocks)++;
			pa += l[i].stride;
		}
	}
	return pa;
}

static void *load_core(struct hb *h, size_t *len)
{
	char path[] = "/tmp/khoprobe-bench-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	void *buf;

	if (fd < 0 || gmem_write_core(h->g, path))
		exit(2);
	f = fdopen(fd, "rb");
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(*len);
	if (!buf || fread(buf, 1, *len, f) != *len)
		exit(2);
	fclose(f);
	remove(path);
	return buf;
}

static void bench(enum hb_kho_gen gen, const char *tag,
		  const struct layout *l, size_t nl)
{
	struct gmem *g = gmem_new();
	uint64_t bytes = 0, end;
	size_t blocks = 0, len;
	double t_map = 1e300, t_probe = 1e300, t_read = 1e300;
	unsigned int n_map, n_probe, n_read;
	struct elfmem m;
	struct bcase c = { .m = &m };
	const struct pset *s;
	const char *why;
	struct hb h;
	void *core;

	gmem_add_ram(g, 0, HB_RAM_LOW_END & ~(HB_PAGE - 1));
	gmem_add_ram(g, HB_RAM_START, HB_RAM_END - HB_RAM_START);
	hb_init_gmem(&h, g, gen, HB_LUO_FDT);
	end = place(&h, l, nl, &bytes, &blocks);
	gmem_add_ram(g, BIG_START, end - BIG_START);
	{
		struct hb_range e820[3] = {
			{ 0, HB_RAM_LOW_END }, { HB_RAM_START, HB_RAM_END - HB_RAM_START },
			{ BIG_START, end - BIG_START },
		};

		hb_set_e820(&h, 3, e820);
	}
	hb_typical(&h);
	c.h = &h;
	c.bp = hb_finish(&h);
	core = load_core(&h, &len);
	if (elfmem_open(&m, core, len, &why))
		fail(why);
	/* page-aligned, as the decoders' buffers are: no 4 KiB aliasing */
	c.raw = malloc(2 * HB_PAGE);
	c.page = c.raw ? c.raw + HB_PAGE - ((uintptr_t)c.raw & (HB_PAGE - 1)) : NULL;
	c.ref = calloc(1, sizeof(*c.ref));
	c.q = calloc(1, sizeof(*c.q));
	if (!c.page || !c.ref || !c.q)
		fail("out of memory");
	probe_init(c.ref, &m.pm, NULL);
	c.ref->start_pa = c.bp;
	probe_run(c.ref);
	if (!report_verdict_pass(&c.ref->rep))
		fail("handover did not verify");
	probe_init(c.q, &m.pm, NULL);
	c.q->kho = c.ref->kho;		/* shares the FDT copy: not released */
	pset_init(&c.q->kho.preserved);
	n_map = calibrate(&c, pass_map);
	n_probe = calibrate(&c, pass_probe);
	n_read = calibrate(&c, pass_read);
	for (int r = 0; r < ROUNDS; r++) {
		t_map = min_d(t_map, batch(&c, pass_map, n_map));
		t_probe = min_d(t_probe, batch(&c, pass_probe, n_probe));
		t_read = min_d(t_read, batch(&c, pass_read, n_read));
	}
	s = &c.ref->kho.preserved;
	printf("bench kho-preserved-%s: %llu GiB\n", tag,
	       (unsigned long long)(bytes >> 30));
	printf("bench kho-blocks-%s: %zu blocks\n", tag, blocks);
	printf("bench kho-runs-%s: %zu runs\n", tag, s->nrun);
	/* what the decoded set keeps allocated: run array (capacity), ranges */
	printf("bench kho-set-heap-%s: %zu bytes\n", tag,
	       s->cap * sizeof(*s->run) + s->nrng * sizeof(*s->rng) +
	       (s->reach ? s->nrun * sizeof(*s->reach) : 0));
	printf("bench kho-map-pages-%s: %zu pages\n", tag, h.out.nmeta);
	printf("bench kho-map-decode-%s: %.0f ns\n", tag, t_map);
	printf("bench kho-decode-%s: %.0f ns\n", tag, t_probe);
	printf("bench kho-read-%s: %.0f ns\n", tag, t_read);
	printf("bench kho-map-decode-ratio-%s: %.2f x\n", tag, t_map / t_read);
	printf("bench kho-decode-ratio-%s: %.2f x\n", tag, t_probe / t_read);
	if (c.sink == 1)
		printf("\n");
	probe_release(c.ref);
	free(c.ref);
	free(c.q);
	elfmem_close(&m);
	free(core);
	free(c.raw);
	hb_release(&h);
}

int main(int argc, char **argv)
{
	/* an argument picks the cases whose tag contains it (profiling) */
	const char *only = argc > 1 ? argv[1] : "";
	/*
	 * Spread: every map page (bitmap or radix leaf: 32768 blocks of one
	 * order) holds 8 blocks, so metadata grows with the block count;
	 * 64 GiB of order-10 folios then span 2^48 bytes of physical space.
	 */
	static const struct layout spread[] = {
		{ 10, 16384, 16ULL << 30 },	/* 64 GiB of 4 MiB folios */
		{ 9, 2048, 8ULL << 30 },	/* 4 GiB of 2 MiB folios */
		{ 4, 2048, 256ULL << 20 },
		{ 0, 4096, 16ULL << 20 },
	};
	/* Dense: the same blocks packed together (a few map pages in all). */
	static const struct layout dense[] = {
		{ 10, 16384, 4ULL << 20 },
		{ 9, 2048, 2ULL << 20 },
		{ 4, 2048, 64ULL << 10 },
		{ 0, 4096, 4ULL << 10 },
	};

	static const struct {
		enum hb_kho_gen gen;
		const char *tag;
		const struct layout *l;
		size_t n;
	} cases[] = {
		{ HB_KHO_V1, "v1", spread, sizeof(spread) / sizeof(spread[0]) },
		{ HB_KHO_V3, "v3", spread, sizeof(spread) / sizeof(spread[0]) },
		{ HB_KHO_V1, "dense-v1", dense, sizeof(dense) / sizeof(dense[0]) },
		{ HB_KHO_V3, "dense-v3", dense, sizeof(dense) / sizeof(dense[0]) },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strstr(cases[i].tag, only))
			bench(cases[i].gen, cases[i].tag, cases[i].l, cases[i].n);
	return 0;
}
