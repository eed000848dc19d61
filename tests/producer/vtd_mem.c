// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory for the VT-d producer: over the handover builder (scenarios), or
 * over a bare gmem plus a preserved-block list (unit tests, benchmarks).
 */
#include "handover.h"
#include "vtd_build.h"
#include "vtd_mem.h"

static uint64_t hb_plain(void *ctx, uint64_t size, uint64_t align)
{
	return hb_alloc(ctx, size, align);
}

static uint64_t hb_pres(void *ctx, unsigned int order)
{
	return hb_alloc_preserved(ctx, order);
}

void vtd_mem_hb(struct vtd_mem *m, struct hb *h)
{
	m->g = h->g;
	m->ctx = h;
	m->alloc = hb_plain;
	m->alloc_preserved = hb_pres;
}

static uint64_t gm_plain(void *ctx, uint64_t size, uint64_t align)
{
	struct vtd_gmem *v = ctx;

	return galloc(&v->a, size, align);
}

static uint64_t gm_pres(void *ctx, unsigned int order)
{
	struct vtd_gmem *v = ctx;
	uint64_t size = 4096ull << order;
	uint64_t pa = galloc(&v->a, size, size);

	pset_add(v->ps, pa, order);
	return pa;
}

void vtd_mem_gmem(struct vtd_mem *m, struct vtd_gmem *v, struct gmem *g,
		  struct pset *ps, uint64_t start, uint64_t end)
{
	v->g = g;
	v->ps = ps;
	galloc_init(&v->a, g, start, end);
	m->g = g;
	m->ctx = v;
	m->alloc = gm_plain;
	m->alloc_preserved = gm_pres;
}
