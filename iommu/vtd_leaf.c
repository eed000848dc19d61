// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where DMA can land: vtd.leaf-targets (every leaf run of every preserved
 * domain lies in preserved memory, outside scratch) and dma.containment
 * (everything any device behind a preserved unit can reach, through its
 * own entry, an alias's or any other present PASID entry, is inside
 * preserved memory and disjoint from scratch and the payload).
 *
 * Runs, not PTEs, are checked: sorted by PA, then one forward pass with a
 * pset cursor, so the cost is O(runs) plus the sort.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_int.h"
#include "vtd_defs.h"

#define MAX_REPORTS	16

struct avoid {
	uint64_t start, end;
	const char *what;
};

/* The first forbidden range [start, end) intersects, or NULL. */
static const struct avoid *hits(const struct avoid *a, size_t n,
				uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < n; i++)
		if (start < a[i].end && a[i].start < end)
			return &a[i];
	return NULL;
}

static size_t scratch_ranges(const struct probe *p, struct avoid *a,
			     size_t max)
{
	const struct iommu_state *s = &p->iommu;
	size_t n = 0;

	for (unsigned int i = 0; i < s->nscratch && n < max; i++)
		a[n++] = (struct avoid){ s->scratch[i].start, s->scratch[i].end,
					 "scratch" };
	return n;
}

/*
 * Check @runs, in IOVA order as the walk produced them, against the
 * preserved set and the forbidden ranges.  The cursor makes ascending PAs
 * amortised O(1) and falls back to one binary search over the merged
 * ranges when a run goes backwards: O(runs log ranges) at worst, no sort.
 */
static unsigned int check_runs(struct probe *p, enum check_id id,
			       const struct vtd_run *runs, size_t n,
			       const struct avoid *a, size_t na,
			       const char *who, bool check_preserved)
{
	struct pset_cursor cur;
	unsigned int nbad = 0;

	pset_cursor_init(&cur, &p->kho.preserved);
	for (size_t i = 0; i < n; i++) {
		const struct vtd_run *r = &runs[i];
		const struct avoid *h;

		if (check_preserved && !pset_cursor_covers(&cur, r->pa, r->len) &&
		    nbad++ < MAX_REPORTS)
			check_fail(&p->rep, id, "%s maps IOVA 0x%llx -> PA "
				   "0x%llx+0x%llx, not preserved memory", who,
				   (unsigned long long)r->iova,
				   (unsigned long long)r->pa,
				   (unsigned long long)r->len);
		h = na ? hits(a, na, r->pa, r->pa + r->len) : NULL;
		if (h && nbad++ < MAX_REPORTS)
			check_fail(&p->rep, id, "%s maps IOVA 0x%llx -> PA "
				   "0x%llx+0x%llx, inside %s [0x%llx, 0x%llx)",
				   who, (unsigned long long)r->iova,
				   (unsigned long long)r->pa,
				   (unsigned long long)r->len, h->what,
				   (unsigned long long)h->start,
				   (unsigned long long)h->end);
	}
	return nbad;
}

static void check_leaf_targets(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct avoid a[16];
	size_t na = scratch_ranges(p, a, 16), ndom = 0;

	for (size_t i = 0; i < s->ndom; i++) {
		struct iommu_domain *d = &s->dom[i];
		char who[48];

		if (!d->walked)
			continue;
		ndom++;
		snprintf(who, sizeof(who), "domain 0x%llx",
			 (unsigned long long)d->slot);
		d->leaf_bad = check_runs(p, CK_VTD_LEAF_TARGETS, d->run,
					 d->nrun, a, na, who, true);
		if (d->runs_lost) {
			d->leaf_bad++;
			check_fail(&p->rep, CK_VTD_LEAF_TARGETS,
				   "%s: out of memory, %llu run(s) could not be "
				   "kept and checked", who,
				   (unsigned long long)d->runs_lost);
		}
	}
	if (ndom)
		check_done(&p->rep, CK_VTD_LEAF_TARGETS,
			   "%llu run(s), %llu bytes in preserved memory",
			   (unsigned long long)s->nruns,
			   (unsigned long long)s->mapped);
	else
		check_skip(&p->rep, CK_VTD_LEAF_TARGETS,
			   "no domain walked");
}

/* ---- dma.containment ----------------------------------------------------- */

struct top_idx {
	uint64_t top;
	size_t i;
};

struct reach {
	bool *dom;		/* domains some entry reaches */
	struct top_idx *tops;	/* walked domains by top table, sorted */
	size_t ntops;
	unsigned int nbad;
};

static int cmp_top(const void *a, const void *b)
{
	uint64_t x = ((const struct top_idx *)a)->top;
	uint64_t y = ((const struct top_idx *)b)->top;

	return (x > y) - (x < y);
}

/* The walked domain whose top table is @top, or -1: a binary search. */
static long domain_by_top(const struct reach *r, uint64_t top)
{
	size_t lo = 0, hi = r->ntops;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->tops[mid].top == top)
			return (long)r->tops[mid].i;
		if (r->tops[mid].top < top)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void reach_table(struct probe *p, struct reach *r, uint64_t top,
			const char *who)
{
	long d = domain_by_top(r, top);

	if (d >= 0) {
		r->dom[d] = true;
		return;
	}
	if (r->nbad++ < MAX_REPORTS)
		check_fail(&p->rep, CK_DMA_CONTAINMENT,
			   "%s translates through page tables at 0x%llx that "
			   "no preserved domain owns: its reach is unbounded",
			   who, (unsigned long long)top);
}

static void reach_all(struct probe *p, struct reach *r, const char *who,
		      const char *how)
{
	if (r->nbad++ < MAX_REPORTS)
		check_fail(&p->rep, CK_DMA_CONTAINMENT,
			   "%s is %s: it can reach all of memory", who, how);
}

/* Every present PASID entry under one PASID directory. */
static void reach_pasid_dir(struct probe *p, struct reach *r, uint64_t dir,
			    uint64_t ndir, const char *bdf)
{
	struct iommu_state *s = &p->iommu;
	uint8_t *db = malloc(ndir * 8), *tb = malloc(PAGE_4K);

	if (s->pasid_bytes_read + ndir * 8 > VTD_MAX_PASID_BYTES) {
		reach_all(p, r, bdf, "behind more PASID structures than the "
			  "tool reads");
		goto out;
	}
	s->pasid_bytes_read += ndir * 8;
	if (!db || !tb || phys_read(p->pm, dir, db, ndir * 8, NULL))
		goto out;
	for (uint64_t i = 0; i < ndir; i++) {
		uint64_t de = get_le64(db + 8 * i);

		if (!(de & VTD_PRESENT))
			continue;
		if (s->pasid_bytes_read + PAGE_4K > VTD_MAX_PASID_BYTES) {
			reach_all(p, r, bdf, "behind more PASID tables than the "
				  "tool reads");
			break;
		}
		s->pasid_bytes_read += PAGE_4K;
		if (phys_read(p->pm, de & VTD_PTR_MASK, tb, PAGE_4K, NULL))
			continue;
		for (unsigned int k = 0; k < VTD_PASID_PER_TABLE; k++) {
			const uint8_t *pe = tb + k * VTD_PASID_ENTRY_SIZE;
			uint64_t q0 = get_le64(pe), q2 = get_le64(pe + 16);
			unsigned int pgtt = VTD_PE_PGTT(q0);
			char who[64];

			if (!(q0 & VTD_PRESENT))
				continue;
			snprintf(who, sizeof(who), "%s PASID %llu", bdf,
				 (unsigned long long)(i * 64 + k));
			if (pgtt == VTD_PGTT_PT)
				reach_all(p, r, who, "pass-through (PGTT 4)");
			else if (pgtt == VTD_PGTT_FS)
				reach_table(p, r, q2 & VTD_PTR_MASK, who);
			else
				reach_table(p, r, q0 & VTD_PTR_MASK, who);
		}
	}
out:
	free(db);
	free(tb);
}

static void reach_unit(struct probe *p, struct reach *r, size_t ui)
{
	struct iommu_unit *u = &p->iommu.unit[ui];
	unsigned int seg = u->segment < 0 ? 0 : (unsigned int)u->segment;

	for (unsigned int bit = 0; bit < 512; bit++) {
		if (!u->ctx[bit])
			continue;
		for (unsigned int i = 0; i < vtd_ctx_entries(u); i++) {
			const uint8_t *e = u->ctx[bit] + vtd_ctx_entry_size(u) * i;
			uint64_t lo = get_le64(e);
			char bdf[24];

			if (!(lo & VTD_PRESENT))
				continue;
			iommu_fmt_bdf(bdf, sizeof(bdf), seg,
				      vtd_ctx_devid(u, bit, i));
			if (u->scalable) {
				uint64_t ndir = 1ull << (VTD_SMCTX_PDTS(lo) + 7);

				reach_pasid_dir(p, r, lo & VTD_PTR_MASK, ndir,
						bdf);
			} else if (VTD_CTX_TT(lo) == VTD_TT_PASSTHROUGH) {
				reach_all(p, r, bdf, "pass-through (TT 2)");
			} else {
				reach_table(p, r, lo & VTD_ADDR_MASK, bdf);
			}
		}
	}
}

/*
 * The reachable domains' runs were checked against the preserved set and
 * scratch by vtd.leaf-targets; here a reachable domain with bad runs fails
 * containment, and every reachable run is checked against the payload.
 */
static void check_containment(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct reach r = { 0 };
	struct avoid a[PLATFORM_MAX_FOOTPRINT];
	size_t na = 0, nrun = 0;

	if (p->plat)
		for (size_t i = 0; i < p->plat->nfootprint &&
				   i < PLATFORM_MAX_FOOTPRINT; i++)
			a[na++] = (struct avoid){ p->plat->footprint[i].start,
						  p->plat->footprint[i].end,
						  p->plat->footprint[i].what ?
						  p->plat->footprint[i].what :
						  "the payload" };
	r.dom = calloc(s->ndom ? s->ndom : 1, sizeof(bool));
	r.tops = malloc((s->ndom ? s->ndom : 1) * sizeof(*r.tops));
	if (!r.dom || !r.tops) {
		free(r.dom);
		free(r.tops);
		return;
	}
	for (size_t i = 0; i < s->ndom; i++)
		if (s->dom[i].walked)
			r.tops[r.ntops++] = (struct top_idx){
				s->dom[i].top_table_phys, i };
	if (r.ntops > 1)
		qsort(r.tops, r.ntops, sizeof(*r.tops), cmp_top);
	for (size_t i = 0; i < s->nunit; i++)
		if (s->unit[i].live && s->unit[i].root)
			reach_unit(p, &r, i);
	for (size_t i = 0; i < s->ndom; i++) {
		const struct iommu_domain *d = &s->dom[i];
		char who[64];

		if (!r.dom[i])
			continue;
		nrun += d->nrun;
		snprintf(who, sizeof(who), "reachable domain 0x%llx",
			 (unsigned long long)d->slot);
		if (d->leaf_bad)
			check_fail(&p->rep, CK_DMA_CONTAINMENT,
				   "%s maps %u run(s) outside preserved memory "
				   "or into scratch (vtd.leaf-targets)", who,
				   d->leaf_bad);
		if (na)
			check_runs(p, CK_DMA_CONTAINMENT, d->run, d->nrun, a,
				   na, who, false);
	}
	free(r.dom);
	free(r.tops);
	check_done(&p->rep, CK_DMA_CONTAINMENT, "%zu reachable run(s) inside "
		   "preserved memory%s", nrun,
		   p->plat ? ", clear of scratch and the payload" :
			     ", clear of scratch");
}

void vtd_check_leaves(struct probe *p)
{
	check_leaf_targets(p);
	check_containment(p);
}
