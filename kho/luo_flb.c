// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo.flb-table: one preserved page {pgcnt = 1, count} followed by count
 * 64-byte entries {name[48], data, count}: the File-Lifecycle-Bound state
 * other subsystems (the IOMMU among them) hand over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo_int.h"

static void check_entry(struct probe *p, unsigned int i, const uint8_t *e)
{
	struct luo_state *l = &p->luo;
	struct luo_flb *f = &l->flb[i];
	char id[64], label[96];

	if (!memchr(e, '\0', LUO_FLB_NAME_LEN)) {
		check_fail(&p->rep, CK_LUO_FLB_TABLE,
			   "FLB table 0x%llx entry %u: name not NUL-terminated",
			   (unsigned long long)l->flb_pa, i);
		return;
	}
	memcpy(f->name, e, LUO_FLB_NAME_LEN);
	kho_printable(f->name);
	f->data = get_le64(e + 48);
	f->count = get_le64(e + 56);
	for (unsigned int k = 0; k < i; k++)
		if (!strcmp(l->flb[k].name, f->name))
			check_fail(&p->rep, CK_LUO_FLB_TABLE,
				   "FLB table 0x%llx: name '%s' appears twice",
				   (unsigned long long)l->flb_pa, f->name);
	if (!f->count)
		check_warn(&p->rep, CK_LUO_FLB_TABLE,
			   "FLB '%s' has file count 0", f->name);
	explain(p, "  FLB[%u] '%s': data 0x%llx, %llu dependent file%s", i,
		f->name, (unsigned long long)f->data,
		(unsigned long long)f->count, f->count == 1 ? "" : "s");
	snprintf(id, sizeof(id), "flb:%s", f->name);
	snprintf(label, sizeof(label), "FLB %s\ndata 0x%llx", f->name,
		 (unsigned long long)f->data);
	dot_node(p, id, label);
	dot_edge(p, "flb_table", id, NULL);
}

void luo_check_flb(struct probe *p)
{
	struct luo_state *l = &p->luo;
	uint8_t *page;
	uint64_t pgcnt, count;
	char label[64];

	if (!l->flb_pa) {
		l->flb_ok = true;
		check_pass(&p->rep, CK_LUO_FLB_TABLE, "%s",
			   l->gen == LUO_GEN_FDT ? "no luo-flb node (LUO without FLBs)" :
			   "flbs_pa is 0: no FLBs");
		return;
	}
	explain(p, "FLB table at 0x%llx: header {pgcnt, count}, then 64-byte "
		"entries {name[48], data, count}", (unsigned long long)l->flb_pa);
	snprintf(label, sizeof(label), "FLB table\n0x%llx",
		 (unsigned long long)l->flb_pa);
	dot_node(p, "flb_table", label);
	dot_edge(p, "LUO", "flb_table", l->gen == LUO_GEN_FDT ?
		 "luo-flb-header" : "flbs_pa");
	if (!luo_head(p, CK_LUO_FLB_TABLE, l->flb_pa, "FLB table", 0, KHO_PAGE,
		      NULL))
		return;
	page = malloc(KHO_PAGE);
	if (!page || phys_read(p->pm, l->flb_pa, page, KHO_PAGE, NULL)) {
		check_fail(&p->rep, CK_LUO_FLB_TABLE, "FLB table 0x%llx unreadable",
			   (unsigned long long)l->flb_pa);
		free(page);
		return;
	}
	pgcnt = get_le64(page);
	count = get_le64(page + 8);
	if (pgcnt != 1)
		check_fail(&p->rep, CK_LUO_FLB_TABLE,
			   "FLB table 0x%llx: pgcnt %llu, want 1",
			   (unsigned long long)l->flb_pa, (unsigned long long)pgcnt);
	else if (count > LUO_FLB_MAX)
		check_fail(&p->rep, CK_LUO_FLB_TABLE,
			   "FLB table 0x%llx: count %llu > %u",
			   (unsigned long long)l->flb_pa, (unsigned long long)count,
			   LUO_FLB_MAX);
	else
		for (unsigned int i = 0; i < count; i++)
			check_entry(p, i, page + 16 + LUO_FLB_ENTRY * i);
	free(page);
	if (check_failed(&p->rep, CK_LUO_FLB_TABLE))
		return;
	l->nflb = (unsigned int)count;
	l->flb_ok = true;
	check_done(&p->rep, CK_LUO_FLB_TABLE, "FLB table 0x%llx: %u entr%s",
		   (unsigned long long)l->flb_pa, l->nflb, l->nflb == 1 ? "y" : "ies");
}
