// SPDX-License-Identifier: GPL-2.0-only
/*
 * VT-d walk benchmark: domains mapping 64 GiB with 4 KiB pages (16 million
 * leaf PTEs, memfd-like 2 MiB folios scattered over 64 GiB of preserved
 * memory) plus a domain of 2 MiB and 1 GiB pages.  Times the whole IOMMU
 * layer (walk, preserved-set checks on table pages and runs) against
 * merely reading the same table pages through the same physmem, in one run.
 *
 *   bench vtd-ptes-per-second: N PTE/s
 *   bench vtd-walk: X ms
 *   bench vtd-read: Y ms
 *   bench vtd-walk-ratio: Z x
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/probe.h"
#include "../producer/gmem.h"
#include "../producer/vtd_build.h"
#include "../producer/vtd_mem.h"
#include "../producer/vtd_probe.h"

#define GIB		(1ull << 30)
#define MIB		(1ull << 20)
#define TABLES_START	(4 * GIB)	/* table pages, arrays, FLB */
#define TABLES_END	(5 * GIB)
#define DATA_START	(8 * GIB)	/* leaf memory, preserved */
#define DATA_SIZE	(64 * GIB)
#define FOLIO		(2 * MIB)

struct rec {
	struct vtd_gmem vg;
	uint64_t *pages;
	size_t n, cap;
};

static uint64_t rec_alloc(void *ctx, uint64_t size, uint64_t align)
{
	struct rec *r = ctx;

	return galloc(&r->vg.a, size, align);
}

/* Preserved allocations, remembered: the table bytes the read pass reads. */
static uint64_t rec_pres(void *ctx, unsigned int order)
{
	struct rec *r = ctx;
	uint64_t size = 4096ull << order, pa = galloc(&r->vg.a, size, size);

	pset_add(r->vg.ps, pa, order);
	if (order == 0) {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 1024;
			r->pages = realloc(r->pages, r->cap * sizeof(*r->pages));
			if (!r->pages)
				abort();
		}
		r->pages[r->n++] = pa;
	}
	return pa;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A fixed pseudo-random permutation of the 2 MiB folios. */
static uint64_t *folio_order(size_t n)
{
	uint64_t *p = malloc(n * sizeof(*p)), x = 0x9e3779b97f4a7c15ull;

	if (!p)
		abort();
	for (size_t i = 0; i < n; i++)
		p[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t k;
		uint64_t t;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		k = x % (i + 1);
		t = p[i], p[i] = p[k], p[k] = t;
	}
	return p;
}

static void build(struct gmem *g, struct pset *ps, struct rec *r,
		  struct vtdb *b)
{
	struct vtd_mem m;
	size_t nfolio = DATA_SIZE / FOLIO;
	uint64_t *perm = folio_order(nfolio);
	int u, d4k, dbig;

	vtd_mem_gmem(&m, &r->vg, g, ps, TABLES_START, TABLES_END);
	m.ctx = r;
	m.alloc = rec_alloc;
	m.alloc_preserved = rec_pres;
	vtdb_init(b, &m, VTDB_C);
	/* leaf memory: 64 GiB preserved as order-10 blocks */
	for (uint64_t pa = DATA_START; pa < DATA_START + DATA_SIZE;
	     pa += 4 * MIB)
		pset_add(ps, pa, 10);
	u = vtdb_add_unit(b, 0xfed90000, false);
	d4k = vtdb_add_domain(b, VTDB_SS, 3);
	for (size_t i = 0; i < nfolio; i++)
		vtdb_map(b, d4k, i * FOLIO, DATA_START + perm[i] * FOLIO,
			 FOLIO, 4096, true);
	dbig = vtdb_add_domain(b, VTDB_SS, 3);
	vtdb_map(b, dbig, 0, DATA_START, 32 * GIB, 2 * MIB, true);
	vtdb_map(b, dbig, 64 * GIB, DATA_START + 32 * GIB, 32 * GIB, GIB,
		 false);
	vtdb_add_device(b, u, d4k, 0x0010, 1);
	vtdb_add_device(b, u, dbig, 0x0018, 2);
	vtdb_finish(b);
	free(perm);
}

int main(void)
{
	struct gmem *g = gmem_new();
	struct pset ps;
	struct rec r = { 0 };
	struct vtdb *b = calloc(1, sizeof(*b));
	struct probe *p;
	struct physmem pm;
	double t0, walk = 1e300, read = 1e300;
	uint8_t *buf = malloc(4096);
	uint64_t sum = 0;

	if (!b || !buf)
		return 2;
	gmem_add_ram(g, 0x100000, 0x3ffe0000 - 0x100000);
	gmem_add_ram(g, TABLES_START, 128 * GIB);
	pset_init(&ps);
	build(g, &ps, &r, b);
	p = vtd_probe_new(g, &pm, &ps, NULL, vtdb_flb_name(b), b->flb);
	/*
	 * Alternate the plain read (every table page once, same physmem) and
	 * the full IOMMU layer, nine times each, and keep the best of each:
	 * both see the same cache and the same neighbours on a shared machine.
	 */
	for (int k = 0; k < 9; k++) {
		t0 = now_ms();
		for (size_t i = 0; i < r.n; i++) {
			phys_read(&pm, r.pages[i], buf, 4096, NULL);
			sum += buf[i & 4095];
		}
		if (now_ms() - t0 < read)
			read = now_ms() - t0;
		iommu_release(&p->iommu);
		report_init(&p->rep);
		t0 = now_ms();
		iommu_run(p);
		if (now_ms() - t0 < walk)
			walk = now_ms() - t0;
	}

	if (!report_verdict_pass(&p->rep) ||
	    p->iommu.mapped != 128 * GIB) {
		fprintf(stderr, "bench_vtd: the benchmark handover does not "
			"verify (%s: %s)\n",
			check_name(CK_VTD_PAGE_TABLES),
			p->rep.r[CK_VTD_PAGE_TABLES].detail);
		return 1;
	}
	printf("bench vtd-ptes-per-second: %.0f PTE/s\n",
	       p->iommu.nptes / (walk / 1e3));
	printf("bench vtd-walk: %.1f ms\n", walk);
	printf("bench vtd-read: %.1f ms\n", read);
	printf("bench vtd-walk-ratio: %.2f x\n", walk / read);
	fprintf(stderr, "# %llu PTEs in %llu table pages, %llu runs, %llu "
		"bytes mapped; %zu pages read (checksum %llu)\n",
		(unsigned long long)p->iommu.nptes,
		(unsigned long long)p->iommu.ntables,
		(unsigned long long)p->iommu.nruns,
		(unsigned long long)p->iommu.mapped, r.n,
		(unsigned long long)sum);
	probe_release(p);
	free(p);
	free(b);
	free(buf);
	free(r.pages);
	gmem_free(g);
	return 0;
}
