// SPDX-License-Identifier: GPL-2.0-only
/*
 * KHO decode benchmark: a large valid handover (>= 64 GiB preserved in
 * mixed orders, thousands of blocks), in both map encodings, read back
 * through khodump's ELF-core physmem.  Prints the time to decode and check
 * it (the whole probe_run) next to the time to merely read the same map
 * metadata bytes through the same physmem, and their ratio; decode and
 * read passes alternate and the best of REPEAT of each is reported.
 *
 *   bench kho-decode-v1: X ms
 *   bench kho-read-v1: Y ms
 *   bench kho-decode-ratio-v1: Z x
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/probe.h"
#include "../../tools/khodump/elfmem.h"
#include "../producer/handover.h"

#define BIG_START	0x100000000ULL		/* 4 GiB */
#define REPEAT		31

struct layout {
	unsigned int order, count;
	uint64_t stride;	/* distance between block heads */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Best of n: the machine is shared, the fastest run is the least disturbed. */
static double best(const double *v, int n)
{
	double m = v[0];

	for (int i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
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
	uint64_t bytes = 0, end, bp, sink = 0;
	size_t blocks = 0, len;
	double dec[REPEAT], rd[REPEAT];
	uint8_t *page = malloc(HB_PAGE);
	struct elfmem m;
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
	bp = hb_finish(&h);
	core = load_core(&h, &len);
	if (elfmem_open(&m, core, len, &why)) {
		fprintf(stderr, "bench: %s\n", why);
		exit(2);
	}
	for (int r = 0; r < REPEAT; r++) {
		struct probe *p = calloc(1, sizeof(*p));
		double t0 = now_ms();

		probe_init(p, &m.pm, NULL);
		p->start_pa = bp;
		probe_run(p);
		dec[r] = now_ms() - t0;
		if (!report_verdict_pass(&p->rep) || p->kho.preserved.n != h.npres) {
			fprintf(stderr, "bench: handover did not verify\n");
			exit(1);
		}
		probe_release(p);
		free(p);
		t0 = now_ms();
		for (size_t i = 0; i < h.out.nmeta; i++) {
			phys_read(&m.pm, h.out.meta[i], page, HB_PAGE, NULL);
			sink += page[i % HB_PAGE];
		}
		rd[r] = now_ms() - t0;
	}
	printf("bench kho-preserved-%s: %llu GiB\n", tag,
	       (unsigned long long)(bytes >> 30));
	printf("bench kho-blocks-%s: %zu blocks\n", tag, blocks);
	printf("bench kho-map-pages-%s: %zu pages\n", tag, h.out.nmeta);
	printf("bench kho-decode-%s: %.3f ms\n", tag, best(dec, REPEAT));
	printf("bench kho-read-%s: %.3f ms\n", tag, best(rd, REPEAT));
	printf("bench kho-decode-ratio-%s: %.2f x\n", tag,
	       best(dec, REPEAT) / best(rd, REPEAT));
	if (sink == 1)
		printf("\n");
	elfmem_close(&m);
	free(core);
	free(page);
	hb_release(&h);
}

int main(void)
{
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

	bench(HB_KHO_V1, "v1", spread, sizeof(spread) / sizeof(spread[0]));
	bench(HB_KHO_V3, "v3", spread, sizeof(spread) / sizeof(spread[0]));
	bench(HB_KHO_V1, "dense-v1", dense, sizeof(dense) / sizeof(dense[0]));
	bench(HB_KHO_V3, "dense-v3", dense, sizeof(dense) / sizeof(dense[0]));
	return 0;
}
