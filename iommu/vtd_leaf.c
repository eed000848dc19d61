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

static int cmp_run_pa(const void *a, const void *b)
{
	const struct vtd_run *x = a, *y = b;

	return (x->pa > y->pa) - (x->pa < y->pa);
}

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
 * Check @runs (sorted here, by PA) against the preserved set and the
 * forbidden ranges; failures go to @id, named after @who.
 */
static unsigned int check_runs(struct probe *p, enum check_id id,
			       struct vtd_run *runs, size_t n,
			       const struct avoid *a, size_t na,
			       const char *who)
{
	struct pset_cursor cur;
	unsigned int nbad = 0;

	qsort(runs, n, sizeof(*runs), cmp_run_pa);
	pset_cursor_init(&cur, &p->kho.preserved);
	for (size_t i = 0; i < n; i++) {
		const struct vtd_run *r = &runs[i];
		const struct avoid *h;

		if (!pset_cursor_covers(&cur, r->pa, r->len) &&
		    nbad++ < MAX_REPORTS)
			check_fail(&p->rep, id, "%s maps IOVA 0x%llx -> PA "
				   "0x%llx+0x%llx, not preserved memory", who,
				   (unsigned long long)r->iova,
				   (unsigned long long)r->pa,
				   (unsigned long long)r->len);
		h = hits(a, na, r->pa, r->pa + r->len);
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
		struct vtd_run *copy;
		char who[48];

		if (!d->walked)
			continue;
		ndom++;
		copy = malloc((d->nrun ? d->nrun : 1) * sizeof(*copy));
		if (!copy)
			continue;
		if (d->nrun)
			memcpy(copy, d->run, d->nrun * sizeof(*copy));
		snprintf(who, sizeof(who), "domain 0x%llx",
			 (unsigned long long)d->slot);
		check_runs(p, CK_VTD_LEAF_TARGETS, copy, d->nrun, a, na, who);
		free(copy);
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

/* The walked domain whose top table is @top, or -1. */
static long domain_by_top(const struct iommu_state *s, uint64_t top)
{
	for (size_t i = 0; i < s->ndom; i++)
		if (s->dom[i].walked && s->dom[i].top_table_phys == top)
			return (long)i;
	return -1;
}

struct reach {
	bool *dom;		/* domains some entry reaches */
	unsigned int nbad;
};

static void reach_table(struct probe *p, struct reach *r, uint64_t top,
			const char *who)
{
	long d = domain_by_top(&p->iommu, top);

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
	uint8_t *db = malloc(ndir * 8), *tb = malloc(PAGE_4K);

	if (!db || !tb || phys_read(p->pm, dir, db, ndir * 8, NULL))
		goto out;
	for (uint64_t i = 0; i < ndir; i++) {
		uint64_t de = get_le64(db + 8 * i);

		if (!(de & VTD_PRESENT))
			continue;
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
		unsigned int n = u->scalable ? 128 : 256;
		unsigned int esz = u->scalable ? 32 : 16;

		if (!u->ctx[bit])
			continue;
		for (unsigned int i = 0; i < n; i++) {
			const uint8_t *e = u->ctx[bit] + esz * i;
			uint64_t lo = get_le64(e);
			unsigned int devfn = u->scalable ? (bit & 1) * 128 + i : i;
			char bdf[24];

			if (!(lo & VTD_PRESENT))
				continue;
			iommu_fmt_bdf(bdf, sizeof(bdf), seg,
				      (bit / 2) << 8 | devfn);
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

static void check_containment(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct reach r = { 0 };
	struct avoid a[16 + PLATFORM_MAX_FOOTPRINT];
	size_t na = scratch_ranges(p, a, 16), nrun = 0, k = 0;
	struct vtd_run *all;

	if (p->plat)
		for (size_t i = 0; i < p->plat->nfootprint &&
				   i < PLATFORM_MAX_FOOTPRINT; i++)
			a[na++] = (struct avoid){ p->plat->footprint[i].start,
						  p->plat->footprint[i].end,
						  p->plat->footprint[i].what ?
						  p->plat->footprint[i].what :
						  "the payload" };
	r.dom = calloc(s->ndom ? s->ndom : 1, sizeof(bool));
	if (!r.dom)
		return;
	for (size_t i = 0; i < s->nunit; i++)
		if (s->unit[i].live && s->unit[i].root)
			reach_unit(p, &r, i);
	for (size_t i = 0; i < s->ndom; i++)
		if (r.dom[i])
			nrun += s->dom[i].nrun;
	all = malloc((nrun ? nrun : 1) * sizeof(*all));
	if (all) {
		for (size_t i = 0; i < s->ndom; i++)
			if (r.dom[i] && s->dom[i].nrun) {
				memcpy(all + k, s->dom[i].run,
				       s->dom[i].nrun * sizeof(*all));
				k += s->dom[i].nrun;
			}
		check_runs(p, CK_DMA_CONTAINMENT, all, nrun, a, na,
			   "a preserved device");
		free(all);
	}
	free(r.dom);
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
