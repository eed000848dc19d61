// SPDX-License-Identifier: GPL-2.0-only
/*
 * The next kernel's KHO claims, modelled in memory.  Restoring a preserved
 * page succeeds only on the exact head of a recorded block, hands back the
 * order that was recorded, and works once: a second restore of the same
 * head finds it already taken.  We claim in the kernel's order — the FLB
 * and its array pages, per unit the root table and every context table
 * the root points at, then per device its PASID directory and tables and
 * its domain's page-table pages — and note every claim that would fail.
 * Nothing is written: the claimed set is ours.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kho/u64set.h"
#include "iommu_int.h"
#include "restore.h"
#include "vtd_defs.h"

#define ANY_ORDER	(-1)
#define MAX_LEVELS	5

struct claimer {
	struct probe *p;
	struct physmem pm;	/* kept out of chain.intact's log */
	struct restore_claims *c;
	struct u64set taken;
	uint64_t budget;	/* table pages read, against hostile input */
	bool oom;
};

static void bad(struct claimer *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void bad(struct claimer *k, const char *fmt, ...)
{
	va_list ap;

	if (!k->c->nbad++) {
		va_start(ap, fmt);
		vsnprintf(k->c->first_bad, sizeof(k->c->first_bad), fmt, ap);
		va_end(ap);
	}
}

/* One kho restore: exact head, recorded order as expected, first time. */
static bool claim(struct claimer *k, uint64_t pa, int want_order,
		  const char *what)
{
	struct pblock b;
	int r;

	if (!pset_head(&k->p->kho.preserved, pa, &b)) {
		bad(k, "%s %#llx is not the head of a preserved block",
		    what, (unsigned long long)pa);
		return false;
	}
	if (want_order != ANY_ORDER && (int)b.order != want_order) {
		bad(k, "%s %#llx: recorded order %u, the restore expects %d",
		    what, (unsigned long long)pa, b.order, want_order);
		return false;
	}
	r = u64set_add(&k->taken, pa);
	if (r < 0) {
		k->oom = true;
		return false;
	}
	if (!r) {
		bad(k, "%s %#llx is claimed a second time", what,
		    (unsigned long long)pa);
		return false;
	}
	k->c->pages++;
	k->c->bytes += pblock_size(&b);
	return true;
}

static void claim_flb(struct claimer *k)
{
	const struct iommu_state *s = &k->p->iommu;

	claim(k, s->flb_pa, ANY_ORDER, "FLB page");
	for (int c = 0; c < IOMMU_NCHAIN; c++)
		for (size_t i = 0; i < s->chain[c].npg; i++)
			claim(k, s->chain[c].pg[i].pa, 0, "array page");
}

static void claim_unit(struct claimer *k, const struct iommu_unit *u)
{
	if (!claim(k, u->root_table, 0, "root table"))
		return;
	if (!u->root) {
		bad(k, "root table %#llx was not read",
		    (unsigned long long)u->root_table);
		return;
	}
	for (unsigned int bus = 0; bus < 256; bus++) {
		uint64_t lo = get_le64(u->root + 16 * bus);
		uint64_t hi = get_le64(u->root + 16 * bus + 8);

		if (lo & VTD_PRESENT)
			claim(k, lo & VTD_PTR_MASK, 0, "context table");
		if (u->scalable && hi & VTD_PRESENT)
			claim(k, hi & VTD_PTR_MASK, 0, "context table");
	}
}

static int order_of(uint64_t bytes)
{
	int o = 0;

	while ((PAGE_4K << o) < bytes && o < PSET_MAX_ORDER)
		o++;
	return o;
}

static void claim_pasid(struct claimer *k, const struct iommu_device *v)
{
	uint64_t ndir = v->max_pasid >> 6, bytes = ndir * 8;
	uint8_t *db;

	if (!claim(k, v->pasid_table, order_of(bytes), "PASID directory"))
		return;
	if (!ndir || v->max_pasid > VTD_MAX_PASID)
		return;
	db = malloc(bytes);
	if (!db) {
		k->oom = true;
		return;
	}
	if (phys_read(&k->pm, v->pasid_table, db, bytes, NULL))
		bad(k, "PASID directory %#llx unreadable",
		    (unsigned long long)v->pasid_table);
	else
		for (uint64_t i = 0; i < ndir; i++) {
			uint64_t de = get_le64(db + 8 * i);

			if (de & VTD_PRESENT)
				claim(k, de & VTD_PTR_MASK, 0, "PASID table");
		}
	free(db);
}

/* A table-type entry at @level (> 1): its table's address, or 0. */
static uint64_t next_table(enum vtd_fmt fmt, uint64_t e)
{
	if (fmt == VTD_FMT_FS)
		return (e & FS_P) && !(e & FS_PS) ? e & VTD_ADDR_MASK : 0;
	return (e & (SS_R | SS_W)) && !(e & SS_PS) ? e & VTD_ADDR_MASK : 0;
}

static void claim_tables(struct claimer *k, enum vtd_fmt fmt, uint64_t pa,
			 unsigned int level, uint8_t *buf)
{
	if (!claim(k, pa, 0, "page-table page") || level == 1)
		return;
	if (!k->budget--) {
		bad(k, "page tables larger than the preserved set");
		return;
	}
	if (phys_read(&k->pm, pa, buf, PAGE_4K, NULL)) {
		bad(k, "page-table page %#llx unreadable",
		    (unsigned long long)pa);
		return;
	}
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t t = next_table(fmt, get_le64(buf + 8 * i));

		if (t)
			claim_tables(k, fmt, t, level - 1, buf + PAGE_4K);
	}
}

static void claim_domain(struct claimer *k, const struct iommu_domain *d)
{
	uint8_t *buf;

	if (d->top_level < 2 || d->top_level + 1 > MAX_LEVELS) {
		bad(k, "domain %#llx: top_level %llu cannot be restored",
		    (unsigned long long)d->slot,
		    (unsigned long long)d->top_level);
		return;
	}
	buf = malloc(MAX_LEVELS * PAGE_4K);
	if (!buf) {
		k->oom = true;
		return;
	}
	claim_tables(k, d->fmt, d->top_table_phys,
		     (unsigned int)d->top_level + 1, buf);
	free(buf);
}

int restore_claim_all(struct probe *p, struct restore_claims *c)
{
	struct iommu_state *s = &p->iommu;
	struct claimer k = { .p = p, .c = c };
	bool *dom_done;

	memset(c, 0, sizeof(*c));
	k.pm = *p->pm;
	k.pm.on_read = NULL;
	u64set_init(&k.taken);
	k.budget = p->kho.preserved.nblocks + 1;
	dom_done = calloc(s->ndom + 1, sizeof(*dom_done));
	if (!dom_done) {
		snprintf(c->first_bad, sizeof(c->first_bad), "out of memory");
		c->nbad = 1;
		return -1;
	}
	claim_flb(&k);
	for (size_t i = 0; i < s->nunit; i++)
		if (s->unit[i].live)
			claim_unit(&k, &s->unit[i]);
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];

		if (!v->live || v->unit < 0 || v->domain < 0)
			continue;
		if (s->unit[v->unit].scalable)
			claim_pasid(&k, v);
		/* Devices sharing a domain reuse the restored one. */
		if (!dom_done[v->domain]) {
			dom_done[v->domain] = true;
			claim_domain(&k, &s->dom[v->domain]);
		}
	}
	free(dom_done);
	u64set_free(&k.taken);
	if (k.oom && !c->nbad) {
		snprintf(c->first_bad, sizeof(c->first_bad),
			 "out of memory while modelling the claims");
		c->nbad = 1;
	}
	return c->nbad ? -1 : 0;
}
