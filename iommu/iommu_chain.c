// SPDX-License-Identifier: GPL-2.0-only
/*
 * From the LUO FLB table to the three array chains: iommu.flb,
 * iommu.flb-version, iommu.arrays, and the choice of ABI layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_int.h"

const char *const iommu_chain_name[IOMMU_NCHAIN] = {
	"units", "domains", "devices"
};

static bool looks_like_iommu(const char *name)
{
	return !strncmp(name, "iommu", 5);
}

/* Returns 0 when exactly one usable IOMMU FLB entry was found. */
int iommu_find_flb(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	const struct luo_flb *hit = NULL;
	unsigned int nknown = 0;
	int order;

	for (unsigned int i = 0; i < p->luo.nflb && i < LUO_FLB_MAX; i++) {
		const struct luo_flb *f = &p->luo.flb[i];
		char name[LUO_FLB_NAME_LEN + 1];

		memcpy(name, f->name, LUO_FLB_NAME_LEN);
		name[LUO_FLB_NAME_LEN] = 0;
		if (iommu_flb_name_known(name)) {
			if (nknown++ == 0) {
				hit = f;
				snprintf(s->flb_name, sizeof(s->flb_name), "%s",
					 name);
			} else {
				check_fail(&p->rep, CK_IOMMU_FLB,
					   "second IOMMU FLB entry #%u '%s' "
					   "(first is '%s')", i, name,
					   s->flb_name);
			}
		} else if (looks_like_iommu(name)) {
			check_fail(&p->rep, CK_IOMMU_FLB,
				   "FLB entry #%u '%s' (data 0x%llx) is not an "
				   "IOMMU FLB name the tool knows "
				   "(iommu-liveupdate-v1, iommu-liveupdate, "
				   "iommu-v1)", i, name,
				   (unsigned long long)f->data);
		}
	}
	if (!hit) {
		if (check_failed(&p->rep, CK_IOMMU_FLB))
			return -1;
		check_skip(&p->rep, CK_IOMMU_FLB,
			   "no IOMMU FLB in the FLB table: no IOMMU state "
			   "preserved");
		return -1;
	}
	s->present = true;
	s->flb_pa = hit->data;
	explain(p, "FLB '%s' -> iommu_flb_ser at 0x%llx", s->flb_name,
		(unsigned long long)hit->data);
	{
		char from[64];

		snprintf(from, sizeof(from), "flb:%s", s->flb_name);
		dot_node(p, "iommu_flb", "iommu_flb_ser");
		dot_edge(p, from, "iommu_flb", "data");
	}
	if (!hit->data || hit->data & PAGE_MASK_4K) {
		check_fail(&p->rep, CK_IOMMU_FLB,
			   "FLB '%s' data 0x%llx is not a page-aligned "
			   "address", s->flb_name,
			   (unsigned long long)hit->data);
		return -1;
	}
	order = pset_head_order(&p->kho.preserved, hit->data);
	if (order < 0) {
		check_fail(&p->rep, CK_IOMMU_FLB,
			   "FLB '%s' data 0x%llx is not the head of a "
			   "preserved block", s->flb_name,
			   (unsigned long long)hit->data);
		return -1;
	}
	if (order != 0)
		check_warn(&p->rep, CK_IOMMU_FLB,
			   "iommu_flb_ser 0x%llx is an order-%d block "
			   "(kernel allocates order 0)",
			   (unsigned long long)hit->data, order);
	check_done(&p->rep, CK_IOMMU_FLB, "'%s' at 0x%llx", s->flb_name,
		   (unsigned long long)hit->data);
	return check_failed(&p->rep, CK_IOMMU_FLB) ? -1 : 0;
}

/* Reads the FLB struct and the version; returns the three heads. */
static int read_flb(struct probe *p, uint64_t head[IOMMU_NCHAIN])
{
	struct iommu_state *s = &p->iommu;
	const struct iommu_layout *l;
	const char *why;
	uint8_t b[IOMMU_ARRAY_PAGE];
	size_t n;

	l = iommu_layouts_for(s->flb_name, &n);
	if (phys_read(p->pm, s->flb_pa, b, sizeof(b), &why)) {
		check_fail(&p->rep, CK_IOMMU_ARRAYS,
			   "iommu_flb_ser 0x%llx unreadable: %s",
			   (unsigned long long)s->flb_pa, why);
		return -1;
	}
	if (l->flb == IOMMU_FLB_VERSIONED) {
		s->version = get_le64(b);
		if (s->version != IOMMU_FLB_VERSION) {
			check_fail(&p->rep, CK_IOMMU_FLB_VERSION,
				   "iommu_flb_ser 0x%llx version %llu, the "
				   "tool knows version %u",
				   (unsigned long long)s->flb_pa,
				   (unsigned long long)s->version,
				   IOMMU_FLB_VERSION);
			return -1;
		}
		check_pass(&p->rep, CK_IOMMU_FLB_VERSION, "version %llu",
			   (unsigned long long)s->version);
	} else {
		check_skip(&p->rep, CK_IOMMU_FLB_VERSION,
			   "'%s' is an unversioned layout", s->flb_name);
	}
	for (size_t i = l->flb_size; i < sizeof(b); i++)
		if (b[i]) {
			check_fail(&p->rep, CK_IOMMU_FLB,
				   "iommu_flb_ser page 0x%llx: byte 0x%zx past "
				   "the %u-byte struct is not zero",
				   (unsigned long long)s->flb_pa, i, l->flb_size);
			break;
		}
	head[IOMMU_UNITS] = get_le64(b + l->off_units);
	head[IOMMU_DOMAINS] = get_le64(b + l->off_domains);
	head[IOMMU_DEVICES] = get_le64(b + l->off_devices);
	return 0;
}

static bool chain_has(const struct iommu_chain *c, uint64_t pa)
{
	for (size_t i = 0; i < c->npg; i++)
		if (c->pg[i].pa == pa)
			return true;
	return false;
}

struct pa_idx {
	uint64_t pa;
	size_t i;
};

static int cmp_pa_idx(const void *a, const void *b)
{
	uint64_t x = ((const struct pa_idx *)a)->pa;
	uint64_t y = ((const struct pa_idx *)b)->pa;

	return (x > y) - (x < y);
}

static void sort_pages(struct iommu_chain *c)
{
	struct pa_idx *t = malloc((c->npg ? c->npg : 1) * sizeof(*t));

	c->by_pa = malloc((c->npg ? c->npg : 1) * sizeof(size_t));
	if (!t || !c->by_pa) {
		free(t);
		free(c->by_pa);
		c->by_pa = NULL;
		c->npg = 0;	/* nothing resolvable without the index */
		return;
	}
	for (size_t i = 0; i < c->npg; i++)
		t[i] = (struct pa_idx){ c->pg[i].pa, i };
	qsort(t, c->npg, sizeof(*t), cmp_pa_idx);
	for (size_t i = 0; i < c->npg; i++)
		c->by_pa[i] = t[i].i;
	free(t);
}

static void walk_one(struct probe *p, enum iommu_chain_id id, uint64_t head)
{
	struct iommu_chain *c = &p->iommu.chain[id];
	const char *nm = iommu_chain_name[id];
	uint64_t pa = head;

	c->head = head;
	if (!head) {
		check_fail(&p->rep, CK_IOMMU_ARRAYS,
			   "%s chain head in iommu_flb_ser 0x%llx is 0", nm,
			   (unsigned long long)p->iommu.flb_pa);
		return;
	}
	c->pg = calloc(IOMMU_MAX_CHAIN_PAGES, sizeof(*c->pg));
	if (!c->pg)
		return;
	while (pa) {
		struct iommu_page *pg;
		const char *why;

		if (c->npg == IOMMU_MAX_CHAIN_PAGES) {
			check_fail(&p->rep, CK_IOMMU_ARRAYS,
				   "%s chain longer than %u pages at 0x%llx",
				   nm, IOMMU_MAX_CHAIN_PAGES,
				   (unsigned long long)pa);
			return;
		}
		if (pa & PAGE_MASK_4K) {
			check_fail(&p->rep, CK_IOMMU_ARRAYS,
				   "%s array page #%zu at 0x%llx is not "
				   "page-aligned", nm, c->npg,
				   (unsigned long long)pa);
			return;
		}
		if (chain_has(c, pa)) {
			check_fail(&p->rep, CK_IOMMU_ARRAYS,
				   "%s chain cycles: page #%zu links back to "
				   "0x%llx", nm, c->npg - 1,
				   (unsigned long long)pa);
			return;
		}
		if (!iommu_is_head(p, pa))
			check_fail(&p->rep, CK_IOMMU_ARRAYS,
				   "%s array page #%zu at 0x%llx is not a "
				   "preserved page", nm, c->npg,
				   (unsigned long long)pa);
		pg = &c->pg[c->npg];
		pg->data = malloc(IOMMU_ARRAY_PAGE);
		if (!pg->data)
			return;
		if (phys_read(p->pm, pa, pg->data, IOMMU_ARRAY_PAGE, &why)) {
			check_fail(&p->rep, CK_IOMMU_ARRAYS,
				   "%s array page #%zu at 0x%llx unreadable: "
				   "%s", nm, c->npg, (unsigned long long)pa,
				   why);
			free(pg->data);
			pg->data = NULL;
			return;
		}
		pg->pa = pa;
		pg->next = get_le64(pg->data);
		pg->nr = get_le64(pg->data + 8);
		c->npg++;
		pa = pg->next;
	}
	c->complete = true;
}

void iommu_walk_chains(struct probe *p)
{
	uint64_t head[IOMMU_NCHAIN];

	if (read_flb(p, head))
		return;
	for (int id = 0; id < IOMMU_NCHAIN; id++) {
		struct iommu_chain *c = &p->iommu.chain[id];
		char node[32];

		walk_one(p, id, head[id]);
		explain(p, "%s chain: head 0x%llx, %zu page(s)%s",
			iommu_chain_name[id], (unsigned long long)head[id],
			c->npg, c->complete ? "" : " (walk stopped)");
		snprintf(node, sizeof(node), "iommu_%s", iommu_chain_name[id]);
		dot_node(p, node, iommu_chain_name[id]);
		dot_edge(p, "iommu_flb", node, NULL);
		sort_pages(c);
	}
}

int iommu_slot(const struct iommu_chain *c, uint64_t pa, unsigned int stride,
	       size_t *idx, const char **why)
{
	uint64_t base = pa & ~PAGE_MASK_4K, off = pa & PAGE_MASK_4K;
	size_t lo = 0, hi = c->npg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t m = c->pg[c->by_pa[mid]].pa;

		if (m == base) {
			const struct iommu_page *pg = &c->pg[c->by_pa[mid]];
			uint64_t k, nr = pg->nr;

			if (nr > iommu_capacity(stride))
				nr = iommu_capacity(stride);
			if (off < 16 || (off - 16) % stride) {
				*why = "is not on a slot boundary";
				return -1;
			}
			k = (off - 16) / stride;
			if (k >= nr) {
				*why = "is past nr_objects";
				return -1;
			}
			*idx = pg->first + k;
			return 0;
		}
		if (m < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	*why = "is not in the chain";
	return -1;
}

/* ---- layout choice ------------------------------------------------------ */

static bool bytes_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static unsigned int chain_misfit(const struct iommu_chain *c,
				 unsigned int stride)
{
	unsigned int bad = 0, cap = iommu_capacity(stride);

	for (size_t i = 0; i < c->npg; i++) {
		const struct iommu_page *pg = &c->pg[i];
		uint64_t nr = pg->nr;

		if (nr > cap) {
			bad += 4;
			continue;
		}
		if (i + 1 < c->npg && nr != cap)
			bad += 2;
		if (!bytes_zero(pg->data + 16 + nr * stride,
				IOMMU_ARRAY_PAGE - 16 - nr * stride))
			bad++;
	}
	return bad;
}

/* Slot bytes for a PA in a chain of @stride, or NULL. */
static const uint8_t *slot_bytes(const struct iommu_chain *c, uint64_t pa,
				 unsigned int stride)
{
	const char *why;
	size_t lo = 0, hi = c->npg, idx;
	uint64_t base = pa & ~PAGE_MASK_4K;

	/* iommu_slot wants page->first, unset during the choice: search. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct iommu_page *pg = &c->pg[c->by_pa[mid]];

		if (pg->pa == base) {
			struct iommu_chain one = { .pg = (struct iommu_page *)pg,
						   .npg = 1 };
			size_t zero = 0;

			one.by_pa = &zero;
			if (iommu_slot(&one, pa, stride, &idx, &why))
				return NULL;
			return pg->data + (pa & PAGE_MASK_4K);
		}
		if (pg->pa < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static unsigned int device_misfit(const struct iommu_state *s,
				  const struct iommu_layout *l)
{
	const struct iommu_chain *dc = &s->chain[IOMMU_DEVICES];
	unsigned int bad = 0, cap = iommu_capacity(l->dev_size);

	for (size_t i = 0; i < dc->npg; i++) {
		const struct iommu_page *pg = &dc->pg[i];
		uint64_t nr = pg->nr < cap ? pg->nr : cap;

		for (uint64_t k = 0; k < nr; k++) {
			const uint8_t *d = pg->data + 16 + k * l->dev_size;
			const uint8_t *m = d + l->dev_off_map;
			const uint8_t *u, *dom;

			if (get_le32(d + 4) & IOMMU_SER_FLAG_DELETED)
				continue;
			if (get_le32(d) != 1)
				bad++;
			u = slot_bytes(&s->chain[IOMMU_UNITS], get_le64(m + 16),
				       l->hw_size);
			if (!u || get_le64(u + 16) != IOMMU_TYPE_INTEL)
				bad++;
			dom = slot_bytes(&s->chain[IOMMU_DOMAINS],
					 get_le64(m + 8), l->dom_size);
			if (!dom || !get_le64(dom + 8) ||
			    get_le64(dom + 8) & PAGE_MASK_4K)
				bad++;
		}
	}
	return bad;
}

static unsigned int layout_misfit(const struct iommu_state *s,
				  const struct iommu_layout *l)
{
	unsigned int bad = 0;

	for (int id = 0; id < IOMMU_NCHAIN; id++)
		bad += chain_misfit(&s->chain[id], iommu_stride(l, id));
	return bad + device_misfit(s, l);
}

void iommu_pick_layout(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	const struct iommu_layout *cand;
	unsigned int best = ~0u, fits = 0;
	size_t n, pick = 0;

	cand = iommu_layouts_for(s->flb_name, &n);
	for (size_t i = 0; i < n; i++) {
		unsigned int bad = layout_misfit(s, &cand[i]);

		if (!bad)
			fits++;
		if (bad < best) {
			best = bad;
			pick = i;
		}
	}
	s->layout = &cand[pick];
	if (n == 1)
		snprintf(s->layout_note, sizeof(s->layout_note),
			 "%s (the only layout for '%s')", cand[pick].what,
			 s->flb_name);
	else if (best == 0 && fits == 1)
		snprintf(s->layout_note, sizeof(s->layout_note),
			 "%s: the only one of %zu layouts for '%s' the data "
			 "fits", cand[pick].what, n, s->flb_name);
	else if (best == 0)
		snprintf(s->layout_note, sizeof(s->layout_note),
			 "%s: %u of %zu layouts for '%s' fit the data, took "
			 "the most likely", cand[pick].what, fits, n,
			 s->flb_name);
	else
		snprintf(s->layout_note, sizeof(s->layout_note),
			 "%s: no layout for '%s' fits the data, closest "
			 "(%u misfits)", cand[pick].what, s->flb_name, best);
	explain(p, "ABI layout: %s", s->layout_note);
	for (int id = 0; id < IOMMU_NCHAIN; id++) {
		struct iommu_chain *c = &s->chain[id];
		unsigned int cap = iommu_capacity(iommu_stride(s->layout, id));
		size_t first = 0;

		for (size_t i = 0; i < c->npg; i++) {
			c->pg[i].first = first;
			first += c->pg[i].nr < cap ? c->pg[i].nr : cap;
		}
	}
}

/* The stride-dependent half of iommu.arrays. */
void iommu_check_arrays(struct probe *p)
{
	struct iommu_state *s = &p->iommu;

	for (int id = 0; id < IOMMU_NCHAIN; id++) {
		const struct iommu_chain *c = &s->chain[id];
		unsigned int stride = iommu_stride(s->layout, id);
		unsigned int cap = iommu_capacity(stride);

		for (size_t i = 0; i < c->npg; i++) {
			const struct iommu_page *pg = &c->pg[i];
			uint64_t nr = pg->nr;

			if (nr > cap) {
				check_fail(&p->rep, CK_IOMMU_ARRAYS,
					   "%s array page 0x%llx: nr_objects "
					   "%llu > capacity %u", iommu_chain_name[id],
					   (unsigned long long)pg->pa,
					   (unsigned long long)nr, cap);
				continue;
			}
			if (i + 1 < c->npg && nr != cap)
				check_fail(&p->rep, CK_IOMMU_ARRAYS,
					   "%s array page 0x%llx is not the "
					   "last but holds %llu of %u objects",
					   iommu_chain_name[id],
					   (unsigned long long)pg->pa,
					   (unsigned long long)nr, cap);
			if (!bytes_zero(pg->data + 16 + nr * stride,
					IOMMU_ARRAY_PAGE - 16 - nr * stride))
				check_fail(&p->rep, CK_IOMMU_ARRAYS,
					   "%s array page 0x%llx: bytes past "
					   "slot %llu are not zero",
					   iommu_chain_name[id],
					   (unsigned long long)pg->pa,
					   (unsigned long long)nr);
		}
	}
	check_done(&p->rep, CK_IOMMU_ARRAYS,
		   "%zu/%zu/%zu pages (units/domains/devices); %s",
		   s->chain[0].npg, s->chain[1].npg, s->chain[2].npg,
		   s->layout->rev);
}
