// SPDX-License-Identifier: GPL-2.0-only
/* IOMMU live-update state producer; see vtd_build.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtd_build.h"

#define PG	4096ull

static void die(const char *what)
{
	fprintf(stderr, "vtd_build: %s\n", what);
	abort();
}

/* ---- per-revision layout, from the reference tables ------------------- */

struct rev_layout {
	const char *name;
	bool versioned;
	unsigned int flb_units, flb_domains, flb_devices, flb_size;
	unsigned int hw, dom, dev;	/* strides */
	/* domain field offsets; vasz 0 = absent */
	unsigned int d_vasz, d_sign, d_restored;
	/* device field offsets; 0 = absent */
	unsigned int v_owner, v_att, v_dom, v_iommu, v_pasid, v_max;
};

static const struct rev_layout rev_tab[] = {
	[VTDB_V1] = { "iommu-v1", false, 16, 0, 8, 24, 112, 32, 56,
		      0, 0, 24, 0, 16, 24, 32, 40, 48 },
	[VTDB_A] = { "iommu-liveupdate-v1", false, 0, 8, 16, 24, 112, 37, 56,
		     24, 28, 29, 0, 16, 24, 32, 40, 48 },
	[VTDB_A40] = { "iommu-liveupdate-v1", false, 0, 8, 16, 24, 112, 40, 56,
		       24, 28, 32, 0, 16, 24, 32, 40, 48 },
	[VTDB_A40C] = { "iommu-liveupdate-v1", false, 0, 8, 16, 24, 112, 40,
			72, 24, 28, 32, 16, 24, 32, 40, 56, 64 },
	[VTDB_V2] = { "iommu-liveupdate-v1", false, 0, 8, 16, 24, 112, 32, 56,
		      0, 0, 24, 0, 16, 24, 32, 40, 48 },
	[VTDB_B] = { "iommu-liveupdate", true, 8, 16, 24, 32, 24, 37, 40,
		     24, 28, 29, 0, 16, 24, 32, 0, 0 },
	[VTDB_C] = { "iommu-liveupdate", true, 8, 16, 24, 32, 112, 40, 72,
		     24, 28, 32, 16, 24, 32, 40, 56, 64 },
};

static const struct rev_layout *L(const struct vtdb *b)
{
	return &rev_tab[b->rev];
}

const char *vtdb_flb_name(const struct vtdb *b)
{
	return L(b)->name;
}

unsigned int vtdb_stride(const struct vtdb *b, int chain)
{
	return chain == 0 ? L(b)->hw : chain == 1 ? L(b)->dom : L(b)->dev;
}

static unsigned int cap_of(unsigned int stride)
{
	return (unsigned int)((PG - 16) / stride);
}

/* ---- memory helpers ------------------------------------------------------ */

static uint64_t zpage(struct vtdb *b)
{
	return b->m.alloc_preserved(b->m.ctx, 0);
}

static void w64(struct vtdb *b, uint64_t pa, uint64_t v)
{
	uint8_t *p = gmem_page_ptr(b->m.g, pa, 8);

	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void w32(struct vtdb *b, uint64_t pa, uint32_t v)
{
	gmem_write_u32(b->m.g, pa, v);
}

static void w8(struct vtdb *b, uint64_t pa, uint8_t v)
{
	gmem_write(b->m.g, pa, &v, 1);
}

/* ---- building ------------------------------------------------------------ */

void vtdb_init(struct vtdb *b, const struct vtd_mem *m, enum vtdb_rev rev)
{
	memset(b, 0, sizeof(*b));
	b->m = *m;
	b->rev = rev;
}

int vtdb_add_unit(struct vtdb *b, uint64_t reg_base, bool scalable)
{
	struct vtdb_unit *u;

	if (b->nunit == VTDB_MAX_UNITS)
		die("too many units");
	u = &b->unit[b->nunit];
	u->reg_base = reg_base;
	u->scalable = scalable;
	return (int)b->nunit++;
}

int vtdb_add_domain(struct vtdb *b, enum vtdb_fmt fmt, unsigned int top_level)
{
	struct vtdb_domain *d;

	if (b->ndom == VTDB_MAX_DOMAINS)
		die("too many domains");
	d = &b->dom[b->ndom];
	d->fmt = fmt;
	d->top_level = top_level;
	d->vasz = 12 + 9 * (top_level + 1);	/* 39, 48, 57 */
	d->top = zpage(b);
	d->ntables = 1;
	for (int l = 0; l < 5; l++)
		d->cache_key[l] = ~0ull;
	return (int)b->ndom++;
}

uint64_t vtdb_pte(enum vtdb_fmt fmt, uint64_t pa, unsigned int level,
		  bool leaf, bool writable)
{
	if (fmt == VTDB_SS) {
		uint64_t e = pa | 1 | (writable || !leaf ? 2 : 0);

		return leaf && level ? e | (1ull << 7) : e;
	}
	if (!leaf)
		return pa | 0x27;	/* P | RW | U | A */
	return pa | 0x25 | (writable ? 0x42 : 0) |	/* P|U|A [RW|D] */
	       (level ? 1ull << 7 : 0);
}

/* The table at @level covering @iova, created when missing. */
static uint64_t table_for(struct vtdb *b, struct vtdb_domain *d,
			  uint64_t iova, unsigned int level)
{
	uint64_t key = iova >> (12 + 9 * (level + 1)), t;
	unsigned int idx;
	uint64_t parent, e;

	if (level == d->top_level)
		return d->top;
	if (d->cache_key[level] == key)
		return d->cache_pa[level];
	parent = table_for(b, d, iova, level + 1);
	idx = (iova >> (12 + 9 * (level + 1))) & 511;
	e = gmem_read_u64(b->m.g, parent + 8 * idx);
	if (e) {
		t = e & 0x000ffffffffff000ull;
	} else {
		t = zpage(b);
		d->ntables++;
		w64(b, parent + 8 * idx, vtdb_pte(d->fmt, t, level + 1, false,
						   true));
	}
	d->cache_key[level] = key;
	d->cache_pa[level] = t;
	return t;
}

static unsigned int level_of(uint64_t pgsize)
{
	switch (pgsize) {
	case 1ull << 12: return 0;
	case 1ull << 21: return 1;
	case 1ull << 30: return 2;
	}
	die("page size");
	return 0;
}

void vtdb_map(struct vtdb *b, int dom, uint64_t iova, uint64_t pa,
	      uint64_t size, uint64_t pgsize, bool writable)
{
	struct vtdb_domain *d = &b->dom[dom];
	unsigned int level = level_of(pgsize);
	uint64_t off = 0;

	if ((iova | pa | size) & (pgsize - 1))
		die("unaligned mapping");
	while (off < size) {
		uint64_t t = table_for(b, d, iova + off, level);
		unsigned int idx = ((iova + off) >> (12 + 9 * level)) & 511;
		/* fill the rest of this table in one go */
		unsigned int n = 512 - idx;
		uint64_t left = (size - off) / pgsize;
		uint8_t *p;

		if (n > left)
			n = (unsigned int)left;
		p = gmem_page_ptr(b->m.g, t + 8 * idx, 8 * n);
		for (unsigned int i = 0; i < n; i++) {
			uint64_t e = vtdb_pte(d->fmt, pa + off + i * pgsize,
					      level, true, writable);

			memcpy(p + 8 * i, &e, 8);	/* x86 host: LE */
		}
		off += (uint64_t)n * pgsize;
	}
}

uint64_t vtdb_pte_pa(struct vtdb *b, int dom, uint64_t iova,
		     unsigned int *level)
{
	struct vtdb_domain *d = &b->dom[dom];
	uint64_t t = d->top;

	for (int l = (int)d->top_level; l >= 0; l--) {
		uint64_t at = t + 8 * ((iova >> (12 + 9 * l)) & 511);
		uint64_t e = gmem_read_u64(b->m.g, at);

		if (l == 0 || (e & (1ull << 7)) || !e) {
			*level = (unsigned int)l;
			return at;
		}
		t = e & 0x000ffffffffff000ull;
	}
	return 0;
}

int vtdb_add_device(struct vtdb *b, int unit, int dom, uint16_t devid,
		    uint64_t did)
{
	struct vtdb_device *v;

	if (b->ndev == VTDB_MAX_DEVICES)
		die("too many devices");
	v = &b->dev[b->ndev];
	v->unit = unit;
	v->dom = dom;
	v->devid = devid;
	v->did = did;
	v->max_pasid = b->unit[unit].scalable ? 1u << 16 : 0;
	return (int)b->ndev++;
}

void vtdb_add_alias(struct vtdb *b, int dev, uint16_t devid)
{
	if (b->nalias == 16)
		die("too many aliases");
	b->alias[b->nalias].dev = dev;
	b->alias[b->nalias++].devid = devid;
}

void vtdb_add_deleted(struct vtdb *b, int chain, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (chain == 0) {
			b->unit[vtdb_add_unit(b, 0, false)].deleted = true;
		} else if (chain == 1) {
			int d = vtdb_add_domain(b, VTDB_SS, 2);

			b->dom[d].deleted = true;
		} else {
			if (b->ndev == VTDB_MAX_DEVICES)
				die("too many devices");
			b->dev[b->ndev].deleted = true;
			b->dev[b->ndev].unit = -1;
			b->dev[b->ndev++].dom = -1;
		}
	}
}

/* ---- finish: VT-d structures ------------------------------------------- */

static uint64_t ctx_table(struct vtdb *b, struct vtdb_unit *u, uint16_t devid)
{
	unsigned int bus = devid >> 8, devfn = devid & 0xff;
	unsigned int bit = u->scalable ? 2 * bus + (devfn >> 7) : 2 * bus;

	if (!u->ctx[bit]) {
		u->ctx[bit] = zpage(b);
		u->bitmap[bit / 64] |= 1ull << (bit % 64);
		if (u->scalable && devfn >= 128)
			w64(b, u->root + 16 * bus + 8, u->ctx[bit] | 1);
		else
			w64(b, u->root + 16 * bus, u->ctx[bit] | 1);
	}
	return u->ctx[bit];
}

static uint64_t ctx_entry_pa(struct vtdb *b, struct vtdb_unit *u,
			     uint16_t devid)
{
	uint64_t t = ctx_table(b, u, devid);

	return u->scalable ? t + 32 * (devid & 0x7f) : t + 16 * (devid & 0xff);
}

static unsigned int order_for(uint64_t bytes)
{
	unsigned int o = 0;

	while ((PG << o) < bytes)
		o++;
	return o;
}

static void write_pasid(struct vtdb *b, struct vtdb_device *v)
{
	struct vtdb_domain *d = &b->dom[v->dom];
	uint64_t ndir = v->max_pasid >> 6, pe;

	v->pasid_dir = b->m.alloc_preserved(b->m.ctx, order_for(ndir * 8));
	v->pasid_tbl = zpage(b);
	w64(b, v->pasid_dir, v->pasid_tbl | 1);
	pe = v->pasid_tbl;		/* RID_PASID 0: entry 0 */
	v->pasid_entry = pe;
	if (d->fmt == VTDB_SS) {
		w64(b, pe, d->top | 1 | (uint64_t)(d->top_level - 1) << 2 |
			   2ull << 6);
	} else {
		w64(b, pe, 1 | 1ull << 6);
		w64(b, pe + 16, d->top | (uint64_t)(d->top_level - 3) << 2);
	}
	w64(b, pe + 8, v->did);
}

static void write_context(struct vtdb *b, struct vtdb_device *v)
{
	struct vtdb_unit *u = &b->unit[v->unit];
	struct vtdb_domain *d = &b->dom[v->dom];
	uint64_t e = ctx_entry_pa(b, u, v->devid);

	v->ctx_entry = e;
	if (u->scalable) {
		uint64_t ndir = v->max_pasid >> 6;
		unsigned int pdts = 0;

		while ((1ull << (pdts + 7)) < ndir)
			pdts++;
		write_pasid(b, v);
		w64(b, e, v->pasid_dir | (uint64_t)pdts << 9 | 1);
		w64(b, e + 8, 0);	/* RID_PASID 0 */
	} else {
		w64(b, e, d->top | 1);	/* TT 0: translate */
		w64(b, e + 8, (uint64_t)(d->top_level - 1) | v->did << 8);
	}
}

static void write_tables(struct vtdb *b)
{
	for (unsigned int i = 0; i < b->nunit; i++)
		if (!b->unit[i].deleted)
			b->unit[i].root = zpage(b);
	for (unsigned int i = 0; i < b->ndev; i++) {
		struct vtdb_device *v = &b->dev[i];

		if (v->deleted)
			continue;
		b->unit[v->unit].nref++;
		write_context(b, v);
	}
	for (unsigned int i = 0; i < b->nalias; i++) {
		struct vtdb_device *v = &b->dev[b->alias[i].dev];
		struct vtdb_unit *u = &b->unit[v->unit];
		uint64_t e = ctx_entry_pa(b, u, b->alias[i].devid);

		w64(b, e, gmem_read_u64(b->m.g, v->ctx_entry));
		w64(b, e + 8, gmem_read_u64(b->m.g, v->ctx_entry + 8));
	}
}

/* ---- finish: arrays ----------------------------------------------------- */

static void alloc_chain(struct vtdb *b, int chain, unsigned int n)
{
	unsigned int cap = cap_of(vtdb_stride(b, chain));
	unsigned int np = n ? (n + cap - 1) / cap : 1;

	if (np > VTDB_MAX_PAGES)
		die("chain too long");
	for (unsigned int i = 0; i < np; i++) {
		b->page[chain][i] = zpage(b);
		if (i)
			w64(b, b->page[chain][i - 1], b->page[chain][i]);
		w64(b, b->page[chain][i] + 8,
		    i + 1 < np ? cap : n - i * cap);
	}
	b->npage[chain] = np;
}

static uint64_t slot_pa(const struct vtdb *b, int chain, unsigned int k)
{
	unsigned int stride = vtdb_stride(b, chain), cap = cap_of(stride);

	return b->page[chain][k / cap] + 16 + (uint64_t)(k % cap) * stride;
}

static void write_unit(struct vtdb *b, struct vtdb_unit *u)
{
	uint64_t s = u->slot;

	w32(b, s, u->deleted ? 0 : u->nref);
	w32(b, s + 4, u->deleted ? 1 : 0);
	if (u->deleted)
		return;
	w64(b, s + 8, u->reg_base);
	w64(b, s + 16, 1);		/* IOMMU_INTEL */
	if (L(b)->hw < 112)
		return;
	w64(b, s + 32, u->reg_base);
	w64(b, s + 40, u->root);
	for (int i = 0; i < 8; i++)
		w64(b, s + 48 + 8 * i, u->bitmap[i]);
}

static void write_domain(struct vtdb *b, struct vtdb_domain *d)
{
	const struct rev_layout *l = L(b);
	uint64_t s = d->slot;

	w32(b, s, 1);
	w32(b, s + 4, d->deleted ? 1 : 0);
	w64(b, s + 8, d->top);
	w64(b, s + 16, d->top_level);
	if (l->d_vasz)
		w32(b, s + l->d_vasz, d->vasz);
	(void)w8;
}

static void write_device(struct vtdb *b, struct vtdb_device *v)
{
	const struct rev_layout *l = L(b);
	uint64_t s = v->slot;

	w32(b, s, 1);
	w32(b, s + 4, v->deleted ? 1 : 0);
	if (v->deleted)
		return;
	w32(b, s + 8, v->devid);
	w32(b, s + 12, v->segment);
	if (l->v_owner)
		w64(b, s + l->v_owner, 0x70000 + v->devid);
	w64(b, s + l->v_att, v->did);
	w64(b, s + l->v_dom, b->dom[v->dom].slot);
	w64(b, s + l->v_iommu, b->unit[v->unit].slot);
	if (l->v_pasid && b->unit[v->unit].scalable) {
		w64(b, s + l->v_pasid, v->pasid_dir);
		w64(b, s + l->v_max, v->max_pasid);
	}
}

uint64_t vtdb_finish(struct vtdb *b)
{
	const struct rev_layout *l = L(b);
	uint64_t flb;

	if (l->hw >= 112)
		write_tables(b);
	else
		for (unsigned int i = 0; i < b->ndev; i++)
			if (!b->dev[i].deleted)
				b->unit[b->dev[i].unit].nref++;
	alloc_chain(b, 0, b->nunit);
	alloc_chain(b, 1, b->ndom);
	alloc_chain(b, 2, b->ndev);
	for (unsigned int i = 0; i < b->nunit; i++)
		b->unit[i].slot = slot_pa(b, 0, i);
	for (unsigned int i = 0; i < b->ndom; i++)
		b->dom[i].slot = slot_pa(b, 1, i);
	for (unsigned int i = 0; i < b->ndev; i++)
		b->dev[i].slot = slot_pa(b, 2, i);
	for (unsigned int i = 0; i < b->nunit; i++)
		write_unit(b, &b->unit[i]);
	for (unsigned int i = 0; i < b->ndom; i++)
		write_domain(b, &b->dom[i]);
	for (unsigned int i = 0; i < b->ndev; i++)
		write_device(b, &b->dev[i]);
	flb = zpage(b);
	if (l->versioned)
		w64(b, flb, 1);
	w64(b, flb + l->flb_units, b->page[0][0]);
	w64(b, flb + l->flb_domains, b->page[1][0]);
	w64(b, flb + l->flb_devices, b->page[2][0]);
	b->flb = flb;
	return flb;
}
