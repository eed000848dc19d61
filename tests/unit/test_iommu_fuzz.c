// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile IOMMU state: random qwords written into the FLB, the array
 * pages, root/context/PASID tables and page tables of a valid handover.
 * Under ASan/UBSan every run must end (no crash, no out-of-bounds, no
 * hang) and almost every corruption must be caught by some check.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/probe.h"
#include "../producer/gmem.h"
#include "../producer/vtd_build.h"
#include "../producer/vtd_mem.h"
#include "../producer/vtd_probe.h"
#include "../tap.h"

#define ROUNDS	400

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A nasty value: small, huge, a nearby pointer, flags, or random bits. */
static uint64_t nasty(uint64_t old)
{
	switch (rnd() % 7) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return old ^ (1ull << (rnd() % 64));
	case 3: return old + 0x1000;
	case 4: return 0x7f00000000ull + (rnd() & 0xfff000);
	case 5: return old | 0x3;
	default: return rnd();
	}
}

struct world {
	struct gmem *g;
	struct pset ps;
	struct vtd_gmem vg;
	struct vtd_mem m;
	struct vtdb b;
	uint64_t target[64];
	const char *tname[64];
	unsigned int ntarget;
};

static void build(struct world *w, bool scalable)
{
	struct vtdb *b = &w->b;
	uint64_t data;
	int u0, u1, d0, d1;
	unsigned int lvl;

	memset(w, 0, sizeof(*w));
	w->g = gmem_new();
	gmem_add_ram(w->g, 0x100000, 0x3ffe0000 - 0x100000);
	pset_init(&w->ps);
	vtd_mem_gmem(&w->m, &w->vg, w->g, &w->ps, 0x10000000, 0x2e000000);
	vtdb_init(b, &w->m, scalable ? VTDB_C : VTDB_A);
	u0 = vtdb_add_unit(b, 0xfed90000, scalable);
	u1 = vtdb_add_unit(b, 0xfed91000, false);
	d0 = vtdb_add_domain(b, scalable ? VTDB_FS : VTDB_SS, 3);
	d1 = vtdb_add_domain(b, VTDB_SS, 2);
	data = w->m.alloc_preserved(w->m.ctx, 9);
	vtdb_map(b, d0, 0x100000, data, 0x100000, 0x1000, true);
	vtdb_map(b, d0, 0x40000000, data, 0x200000, 0x200000, true);
	vtdb_map(b, d1, 0, data, 0x8000, 0x1000, true);
	vtdb_add_device(b, u0, d0, 0x10, 4);
	vtdb_add_device(b, u0, d0, 0x18, 4);
	vtdb_add_device(b, u1, d1, 0x100, 2);
	vtdb_add_deleted(b, 2, 1);
	vtdb_finish(b);
	/* where the corruption goes */
	w->tname[w->ntarget] = "flb";
	w->target[w->ntarget++] = b->flb;
	for (int c = 0; c < 3; c++)
		w->tname[w->ntarget] = "array",
		w->target[w->ntarget++] = b->page[c][0];
	for (int i = 0; i < 2; i++) {
		w->tname[w->ntarget] = "root";
		w->target[w->ntarget++] = b->unit[i].root;
		for (int k = 0; k < 512; k++)
			if (b->unit[i].ctx[k])
				w->tname[w->ntarget] = "ctx",
				w->target[w->ntarget++] = b->unit[i].ctx[k];
	}
	if (scalable) {
		w->tname[w->ntarget] = "pasiddir";
		w->target[w->ntarget++] = b->dev[0].pasid_dir;
		w->tname[w->ntarget] = "pasidtbl";
		w->target[w->ntarget++] = b->dev[0].pasid_tbl;
	}
	w->tname[w->ntarget] = "top0";
	w->target[w->ntarget++] = b->dom[0].top;
	w->tname[w->ntarget] = "leaf0";
	w->target[w->ntarget++] = vtdb_pte_pa(b, 0, 0x100000, &lvl) & ~0xfffull;
	w->tname[w->ntarget] = "leaf1";
	w->target[w->ntarget++] = vtdb_pte_pa(b, 1, 0, &lvl) & ~0xfffull;
}

int main(void)
{
	unsigned int detected = 0, changed = 0, maxms = 0;

	for (int r = 0; r < ROUNDS; r++) {
		struct world *w = calloc(1, sizeof(*w));
		struct probe *p;
		struct physmem pm;
		unsigned int nq = 1 + (unsigned int)(rnd() % 3);
		bool diff = false;
		struct timespec t0, t1;
		unsigned int ms;

		build(w, r & 1);
		for (unsigned int q = 0; q < nq; q++) {
			unsigned int ti = (unsigned int)(rnd() % w->ntarget);
			uint64_t page = w->target[ti];
			/* mostly the first bytes, where the live data is */
			uint64_t off = (rnd() % 4 ? rnd() % 256 : rnd() % 4096) & ~7ull;
			uint64_t old = gmem_read_u64(w->g, page + off);
			uint64_t v = nasty(old);

			diff |= v != old;
			gmem_write_u64(w->g, page + off, v);
			if (getenv("FUZZ_DEBUG"))
				diag("round %d: %s 0x%llx+0x%llx 0x%llx -> 0x%llx", r,
				     w->tname[ti], (unsigned long long)page, (unsigned long long)off,
				     (unsigned long long)old, (unsigned long long)v);
		}
		p = vtd_probe_new(w->g, &pm, &w->ps, NULL,
				  vtdb_flb_name(&w->b), w->b.flb);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		iommu_run(p);
		iommu_hw_run(p);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (unsigned int)((t1.tv_sec - t0.tv_sec) * 1000 +
				    (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (ms > maxms)
			maxms = ms;
		if (diff) {
			changed++;
			detected += !report_verdict_pass(&p->rep);
			if (getenv("FUZZ_DEBUG") && report_verdict_pass(&p->rep))
				diag("round %d undetected", r);
		}
		probe_release(p);
		free(p);
		pset_free(&w->ps);
		gmem_free(w->g);
		free(w);
	}
	ok(1, "%d corrupted handovers decoded without a crash", ROUNDS);
	ok(maxms < 2000, "slowest run %u ms: no hang", maxms);
	ok(detected * 10 >= changed * 8, "%u of %u real corruptions caught",
	   detected, changed);
	return done_testing();
}
