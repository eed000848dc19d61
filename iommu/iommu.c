// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOMMU layer in the order the next kernel restores it: FLB → array
 * chains → units/domains/devices → root/context/PASID tables → page tables
 * → where DMA can land.  Each step skips (with the reason) when what it
 * stands on could not be decoded.
 */
#include <stdlib.h>
#include <string.h>

#include "iommu_int.h"

static const enum check_id mem_checks[] = {
	CK_IOMMU_FLB, CK_IOMMU_FLB_VERSION, CK_IOMMU_ARRAYS, CK_IOMMU_HEADERS,
	CK_IOMMU_UNITS, CK_IOMMU_UNIT_REFCOUNT, CK_IOMMU_DEVICE_LINKS,
	CK_IOMMU_DOMAINS, CK_IOMMU_DID, CK_VTD_ROOT_TABLE,
	CK_VTD_CONTEXT_TABLES, CK_VTD_DEVICE_CONTEXT, CK_VTD_PASID,
	CK_VTD_PAGE_TABLES, CK_VTD_LEAF_TARGETS, CK_DMA_CONTAINMENT,
};

#define NCHECKS (sizeof(mem_checks) / sizeof(mem_checks[0]))

/* Skip every check from @from on that has no result yet. */
static void skip_rest(struct probe *p, enum check_id from, const char *why)
{
	bool on = false;

	for (size_t i = 0; i < NCHECKS; i++) {
		if (mem_checks[i] == from)
			on = true;
		if (on)
			check_skip(&p->rep, mem_checks[i], "%s", why);
	}
}

static void load_scratch(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	unsigned int n = p->kho.nscratch;

	if (n > sizeof(s->scratch) / sizeof(s->scratch[0]))
		n = sizeof(s->scratch) / sizeof(s->scratch[0]);
	for (unsigned int i = 0; i < n; i++) {
		s->scratch[i].start = p->kho.scratch[i].addr;
		s->scratch[i].end = p->kho.scratch[i].addr +
				    p->kho.scratch[i].size;
	}
	s->nscratch = n;
}

void iommu_run(struct probe *p)
{
	struct iommu_state *s = &p->iommu;

	if (!p->luo.present) {
		skip_rest(p, CK_IOMMU_FLB, "no LUO state in the handover");
		return;
	}
	if (!p->luo.flb_ok) {
		skip_rest(p, CK_IOMMU_FLB,
			  "the LUO FLB table is unusable (luo.flb-table)");
		return;
	}
	if (!p->kho.memory_map_ok) {
		skip_rest(p, CK_IOMMU_FLB, "the preserved-memory map did not "
			  "decode (kho.memory-map)");
		return;
	}
	load_scratch(p);
	if (iommu_find_flb(p)) {
		skip_rest(p, CK_IOMMU_FLB_VERSION, s->present ?
			  "no usable IOMMU FLB (iommu.flb)" :
			  "no IOMMU state preserved");
		return;
	}
	iommu_walk_chains(p);
	if (check_failed(&p->rep, CK_IOMMU_FLB_VERSION)) {
		skip_rest(p, CK_IOMMU_ARRAYS, "unknown FLB version: layout "
			  "unknown (iommu.flb-version)");
		return;
	}
	iommu_pick_layout(p);
	iommu_check_arrays(p);
	if (iommu_decode(p)) {
		skip_rest(p, CK_IOMMU_HEADERS, "out of memory");
		return;
	}
	iommu_check_model(p);
	if (s->layout->hw != IOMMU_HW_INTEL) {
		iommu_check_domains(p);
		skip_rest(p, CK_VTD_ROOT_TABLE, "this ABI layout records no "
			  "VT-d unit data (root table, bitmap)");
		return;
	}
	vtd_check_tables(p);
	iommu_check_domains(p);
	vtd_walk_domains(p);
	vtd_check_leaves(p);
}

void iommu_release(struct iommu_state *s)
{
	for (int c = 0; c < IOMMU_NCHAIN; c++) {
		for (size_t i = 0; i < s->chain[c].npg; i++)
			free(s->chain[c].pg[i].data);
		free(s->chain[c].pg);
		free(s->chain[c].by_pa);
	}
	for (size_t i = 0; i < s->nunit; i++) {
		free(s->unit[i].root);
		for (int k = 0; s->unit[i].ctx && k < 512; k++)
			free(s->unit[i].ctx[k]);
		free(s->unit[i].ctx);
		free(s->unit[i].ctx_pa);
	}
	for (size_t i = 0; i < s->ndom; i++)
		free(s->dom[i].run);
	free(s->unit);
	free(s->dom);
	free(s->dev);
	memset(s, 0, sizeof(*s));
}
