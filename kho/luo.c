// SPDX-License-Identifier: GPL-2.0-only
/*
 * The LUO layer in order: the LUO child of the KHO root, its blob (luo-v1
 * FDT or packed luo_ser), the FLB table, sessions and files, memfd folios.
 * Everything it dereferences must be the head of a preserved block, so it
 * needs the KHO layer's decoded map.
 */
#include <stdio.h>

#include "luo_int.h"

bool luo_head(struct probe *p, enum check_id id, uint64_t pa,
	      const char *what, int want_order, uint64_t need, struct pblock *out)
{
	struct pblock b;

	if (!kho_preserved_head(&p->kho, pa, &b)) {
		check_fail(&p->rep, id, "%s 0x%llx is not the head of a preserved block",
			   what, (unsigned long long)pa);
		return false;
	}
	if (need > pblock_size(&b)) {
		check_fail(&p->rep, id, "%s 0x%llx: %llu bytes do not fit its "
			   "order-%u block", what, (unsigned long long)pa,
			   (unsigned long long)need, b.order);
		return false;
	}
	if (want_order >= 0 && b.order != (unsigned int)want_order)
		check_warn(&p->rep, id, "%s 0x%llx is an order-%u block, the "
			   "kernel allocates order %d", what,
			   (unsigned long long)pa, b.order, want_order);
	if (out)
		*out = b;
	return true;
}

bool luo_spend(struct probe *p, enum check_id id, uint64_t n)
{
	struct luo_state *l = &p->luo;

	if (l->over_budget)
		return false;
	uint64_t budget = l->budget ? l->budget : LUO_MAX_WORK;

	l->work += n;
	if (l->work <= budget)
		return true;
	l->over_budget = true;
	check_fail(&p->rep, id, "more than %llu LUO records and pages to visit "
		   "(shared or looping chains?): stopped",
		   (unsigned long long)budget);
	return false;
}

static void skip_all(struct probe *p, const char *why)
{
	for (int id = CK_LUO_PRESENT; id <= CK_MEMFD_FOLIOS; id++)
		check_skip(&p->rep, (enum check_id)id, "%s", why);
}

void luo_run(struct probe *p)
{
	struct luo_state *l = &p->luo;
	const struct kho_subtree *s;

	if (!p->kho.present) {
		skip_all(p, "no usable KHO FDT");
		return;
	}
	s = kho_subtree(&p->kho, "LUO");
	if (!s) {
		check_fail(&p->rep, CK_LUO_PRESENT,
			   "KHO FDT 0x%llx has no child node named LUO",
			   (unsigned long long)p->kho.fdt_pa);
		skip_all(p, "no LUO node");
		return;
	}
	l->present = true;
	l->blob_pa = s->pa;
	l->blob_size = s->has_size ? s->size : 0;
	check_pass(&p->rep, CK_LUO_PRESENT, "LUO node: blob 0x%llx",
		   (unsigned long long)s->pa);
	if (!s->has_ptr) {
		check_fail(&p->rep, CK_LUO_HEADER, "LUO node has no usable pointer");
		skip_all(p, "no LUO blob");
		return;
	}
	if (!p->kho.memory_map_ok) {
		skip_all(p, "preserved-memory map did not decode");
		return;
	}
	luo_check_header(p);
	if (!l->header_ok) {
		skip_all(p, "LUO header not usable");
		return;
	}
	luo_check_flb(p);
	luo_check_sessions(p);
}
