// SPDX-License-Identifier: GPL-2.0-only
/*
 * The restored model: every slot of the three chains decoded with the
 * chosen layout and linked units → domains → devices, as the next kernel
 * rebuilds it; and the iommu.* checks on the objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_int.h"

static size_t chain_objects(const struct iommu_chain *c, unsigned int stride)
{
	size_t n = 0;
	unsigned int cap = iommu_capacity(stride);

	for (size_t i = 0; i < c->npg; i++)
		n += c->pg[i].nr < cap ? c->pg[i].nr : cap;
	return n;
}

static void decode_unit(const struct iommu_layout *l, struct iommu_unit *u,
			uint64_t slot, const uint8_t *d)
{
	memset(u, 0, sizeof(*u));
	u->slot = slot;
	u->ref_count = get_le32(d);
	u->flags = get_le32(d + 4);
	u->live = !(u->flags & IOMMU_SER_FLAG_DELETED);
	u->token = get_le64(d + 8);
	u->type = get_le64(d + 16);
	u->segment = -1;
	u->drhd = -1;
	if (l->hw != IOMMU_HW_INTEL)
		return;
	u->has_intel = true;
	u->restored = d[24];
	for (int i = 25; i < 32; i++)
		if (d[i])
			u->pad_nonzero = true;
	u->phys_addr = get_le64(d + 32);
	u->root_table = get_le64(d + 40);
	for (int i = 0; i < 8; i++)
		u->bitmap[i] = get_le64(d + 48 + 8 * i);
}

static void decode_domain(const struct iommu_layout *l,
			  struct iommu_domain *m, uint64_t slot,
			  const uint8_t *d)
{
	memset(m, 0, sizeof(*m));
	m->slot = slot;
	m->ref_count = get_le32(d);
	m->flags = get_le32(d + 4);
	m->live = !(m->flags & IOMMU_SER_FLAG_DELETED);
	m->top_table_phys = get_le64(d + 8);
	m->top_level = get_le64(d + 16);
	if (l->dom_off_vasz) {
		m->has_vasz = true;
		m->vasz = get_le32(d + l->dom_off_vasz);
		m->sign_extend = d[l->dom_off_sign];
		if (l->dom == IOMMU_DOM_37)
			m->sign_extend &= 1;	/* a 1-bit field */
	}
	m->restored_domain = get_le64(d + l->dom_off_restored);
}

static void decode_device(const struct iommu_layout *l,
			  struct iommu_device *v, uint64_t slot,
			  const uint8_t *d)
{
	const uint8_t *m = d + l->dev_off_map;

	memset(v, 0, sizeof(*v));
	v->slot = slot;
	v->ref_count = get_le32(d);
	v->flags = get_le32(d + 4);
	v->live = !(v->flags & IOMMU_SER_FLAG_DELETED);
	v->devid = get_le32(d + 8);
	v->segment = get_le32(d + 12);
	if (l->dev_off_owner)
		v->owner_token = get_le64(d + l->dev_off_owner);
	v->attachment_id = get_le64(m);
	v->domain_phys = get_le64(m + 8);
	v->iommu_phys = get_le64(m + 16);
	if (l->dev_intel_restored)
		v->intel_restored = d[l->dev_off_intel];
	if (l->dev_off_pasid) {
		v->pasid_table = get_le64(d + l->dev_off_pasid);
		v->max_pasid = get_le64(d + l->dev_off_max_pasid);
	}
	v->unit = v->domain = -1;
}

int iommu_decode(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	const struct iommu_layout *l = s->layout;
	size_t nu = chain_objects(&s->chain[IOMMU_UNITS], l->hw_size);
	size_t nd = chain_objects(&s->chain[IOMMU_DOMAINS], l->dom_size);
	size_t nv = chain_objects(&s->chain[IOMMU_DEVICES], l->dev_size);

	s->unit = calloc(nu ? nu : 1, sizeof(*s->unit));
	s->dom = calloc(nd ? nd : 1, sizeof(*s->dom));
	s->dev = calloc(nv ? nv : 1, sizeof(*s->dev));
	if (!s->unit || !s->dom || !s->dev)
		return -1;
	for (int id = 0; id < IOMMU_NCHAIN; id++) {
		const struct iommu_chain *c = &s->chain[id];
		unsigned int stride = iommu_stride(l, id);
		unsigned int cap = iommu_capacity(stride);

		for (size_t i = 0; i < c->npg; i++) {
			const struct iommu_page *pg = &c->pg[i];

			for (uint64_t k = 0; k < pg->nr && k < cap; k++) {
				const uint8_t *d = pg->data + 16 + k * stride;
				uint64_t slot = pg->pa + 16 + k * stride;

				if (id == IOMMU_UNITS)
					decode_unit(l, &s->unit[s->nunit++],
						    slot, d);
				else if (id == IOMMU_DOMAINS)
					decode_domain(l, &s->dom[s->ndom++],
						      slot, d);
				else
					decode_device(l, &s->dev[s->ndev++],
						      slot, d);
			}
		}
	}
	s->model_ok = true;
	return 0;
}

/* ---- iommu.headers ------------------------------------------------------ */

static void check_flags(struct probe *p, const char *what, uint64_t slot,
			uint32_t flags)
{
	if (flags & IOMMU_SER_FLAG_INCOMING)
		check_fail(&p->rep, CK_IOMMU_HEADERS,
			   "%s 0x%llx has INCOMING set (flags 0x%x): only "
			   "the next kernel sets it", what,
			   (unsigned long long)slot, flags);
	else if (flags & ~IOMMU_SER_FLAG_DELETED)
		check_fail(&p->rep, CK_IOMMU_HEADERS,
			   "%s 0x%llx has unknown flags 0x%x", what,
			   (unsigned long long)slot, flags);
}

static void check_headers(struct probe *p)
{
	struct iommu_state *s = &p->iommu;

	for (size_t i = 0; i < s->nunit; i++) {
		const struct iommu_unit *u = &s->unit[i];

		check_flags(p, "unit", u->slot, u->flags);
		if (!u->live)
			continue;
		if (u->restored)
			check_fail(&p->rep, CK_IOMMU_HEADERS,
				   "unit 0x%llx intel.restored is %u (must "
				   "be 0 in old-kernel output)",
				   (unsigned long long)u->slot, u->restored);
		if (u->pad_nonzero)
			check_fail(&p->rep, CK_IOMMU_HEADERS,
				   "unit 0x%llx intel.padding is not zero",
				   (unsigned long long)u->slot);
	}
	for (size_t i = 0; i < s->ndom; i++) {
		const struct iommu_domain *d = &s->dom[i];

		check_flags(p, "domain", d->slot, d->flags);
		if (!d->live)
			continue;
		if (d->ref_count != 1)
			check_fail(&p->rep, CK_IOMMU_HEADERS,
				   "domain 0x%llx ref_count %u (must be 1)",
				   (unsigned long long)d->slot, d->ref_count);
		if (d->restored_domain)
			check_fail(&p->rep, CK_IOMMU_HEADERS,
				   "domain 0x%llx restored_domain 0x%llx (must "
				   "be 0)", (unsigned long long)d->slot,
				   (unsigned long long)d->restored_domain);
	}
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];

		check_flags(p, "device", v->slot, v->flags);
		if (!v->live)
			continue;
		if (v->ref_count != 1)
			check_fail(&p->rep, CK_IOMMU_HEADERS,
				   "device 0x%llx ref_count %u (must be 1)",
				   (unsigned long long)v->slot, v->ref_count);
		if (v->intel_restored)
			check_fail(&p->rep, CK_IOMMU_HEADERS,
				   "device 0x%llx intel.restored is %u (must "
				   "be 0)", (unsigned long long)v->slot,
				   v->intel_restored);
	}
	check_done(&p->rep, CK_IOMMU_HEADERS, "%zu unit, %zu domain, %zu "
		   "device slots", s->nunit, s->ndom, s->ndev);
}

/* ---- links, units, ref counts ------------------------------------------- */

static void link_devices(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	const struct iommu_layout *l = s->layout;

	for (size_t i = 0; i < s->ndev; i++) {
		struct iommu_device *v = &s->dev[i];
		const char *why;
		size_t idx;

		if (!v->live)
			continue;
		if (iommu_slot(&s->chain[IOMMU_UNITS], v->iommu_phys,
			       l->hw_size, &idx, &why))
			check_fail(&p->rep, CK_IOMMU_DEVICE_LINKS,
				   "device 0x%llx iommu_phys 0x%llx %s",
				   (unsigned long long)v->slot,
				   (unsigned long long)v->iommu_phys, why);
		else if (!s->unit[idx].live)
			check_fail(&p->rep, CK_IOMMU_DEVICE_LINKS,
				   "device 0x%llx iommu_phys 0x%llx is a "
				   "DELETED unit", (unsigned long long)v->slot,
				   (unsigned long long)v->iommu_phys);
		else
			v->unit = (int)idx;
		if (iommu_slot(&s->chain[IOMMU_DOMAINS], v->domain_phys,
			       l->dom_size, &idx, &why))
			check_fail(&p->rep, CK_IOMMU_DEVICE_LINKS,
				   "device 0x%llx domain_phys 0x%llx %s",
				   (unsigned long long)v->slot,
				   (unsigned long long)v->domain_phys, why);
		else if (!s->dom[idx].live)
			check_fail(&p->rep, CK_IOMMU_DEVICE_LINKS,
				   "device 0x%llx domain_phys 0x%llx is a "
				   "DELETED domain", (unsigned long long)v->slot,
				   (unsigned long long)v->domain_phys);
		else
			v->domain = (int)idx;
		if (v->unit >= 0) {
			struct iommu_unit *u = &s->unit[v->unit];

			u->ndev++;
			if (u->segment < 0)
				u->segment = (int)v->segment;
			else if ((uint32_t)u->segment != v->segment)
				check_fail(&p->rep, CK_IOMMU_DEVICE_LINKS,
					   "device 0x%llx is in PCI segment %u "
					   "but unit 0x%llx serves segment %d",
					   (unsigned long long)v->slot,
					   v->segment,
					   (unsigned long long)u->slot,
					   u->segment);
			if (v->pasid_table)
				u->scalable = true;
		}
		if (v->domain >= 0)
			s->dom[v->domain].ndev++;
	}
}

struct key2 {
	uint64_t a, b;
	size_t i;
};

static int cmp_key2(const void *x, const void *y)
{
	const struct key2 *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

static void check_unique_devices(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct key2 *k = malloc((s->ndev ? s->ndev : 1) * sizeof(*k));
	size_t n = 0;

	if (!k)
		return;
	for (size_t i = 0; i < s->ndev; i++)
		if (s->dev[i].live)
			k[n++] = (struct key2){ s->dev[i].segment,
						s->dev[i].devid, i };
	qsort(k, n, sizeof(*k), cmp_key2);
	for (size_t i = 1; i < n; i++) {
		char bdf[24];

		if (k[i].a != k[i - 1].a || k[i].b != k[i - 1].b)
			continue;
		iommu_fmt_bdf(bdf, sizeof(bdf), (uint32_t)k[i].a,
			      (uint32_t)k[i].b);
		check_fail(&p->rep, CK_IOMMU_DEVICE_LINKS,
			   "devices 0x%llx and 0x%llx are both %s",
			   (unsigned long long)s->dev[k[i - 1].i].slot,
			   (unsigned long long)s->dev[k[i].i].slot, bdf);
	}
	free(k);
}

static void check_units(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct key2 *k = malloc((s->nunit ? s->nunit : 1) * sizeof(*k));
	size_t n = 0, live = 0;

	for (size_t i = 0; i < s->nunit; i++) {
		const struct iommu_unit *u = &s->unit[i];

		if (!u->live)
			continue;
		live++;
		if (u->type != IOMMU_TYPE_INTEL)
			check_fail(&p->rep, CK_IOMMU_UNITS,
				   "unit 0x%llx type %llu is not Intel (1)",
				   (unsigned long long)u->slot,
				   (unsigned long long)u->type);
		if (u->has_intel && u->token != u->phys_addr)
			check_fail(&p->rep, CK_IOMMU_UNITS,
				   "unit 0x%llx token 0x%llx != register base "
				   "0x%llx", (unsigned long long)u->slot,
				   (unsigned long long)u->token,
				   (unsigned long long)u->phys_addr);
		if (!u->token || u->token & PAGE_MASK_4K)
			check_fail(&p->rep, CK_IOMMU_UNITS,
				   "unit 0x%llx register base 0x%llx is not a "
				   "page-aligned MMIO address",
				   (unsigned long long)u->slot,
				   (unsigned long long)u->token);
		if (k)
			k[n++] = (struct key2){ u->token, 0, i };
		if (u->ref_count != u->ndev)
			check_fail(&p->rep, CK_IOMMU_UNIT_REFCOUNT,
				   "unit 0x%llx (0x%llx) ref_count %u but %u "
				   "live device(s) point at it",
				   (unsigned long long)u->slot,
				   (unsigned long long)u->token, u->ref_count,
				   u->ndev);
	}
	if (k) {
		qsort(k, n, sizeof(*k), cmp_key2);
		for (size_t i = 1; i < n; i++)
			if (k[i].a == k[i - 1].a)
				check_fail(&p->rep, CK_IOMMU_UNITS,
					   "units 0x%llx and 0x%llx share token "
					   "0x%llx",
					   (unsigned long long)s->unit[k[i - 1].i].slot,
					   (unsigned long long)s->unit[k[i].i].slot,
					   (unsigned long long)k[i].a);
		free(k);
	}
	check_done(&p->rep, CK_IOMMU_UNITS, "%zu live unit(s)", live);
	check_done(&p->rep, CK_IOMMU_UNIT_REFCOUNT,
		   "ref counts match the live devices");
}

/* ---- iommu.did ----------------------------------------------------------- */

uint64_t iommu_did_limit(const struct probe *p, const struct iommu_unit *u)
{
	if (u->drhd >= 0 && p->iommu.hw.drhd[u->drhd].regs)
		return 1ull << (4 + 2 * (p->iommu.hw.drhd[u->drhd].cap & 7));
	return 1ull << 16;
}

struct didkey {
	size_t unit;
	uint64_t did;
	int dom;
	size_t dev;
};

static int cmp_unit_dom(const void *x, const void *y)
{
	const struct didkey *a = x, *b = y;

	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return (a->dom > b->dom) - (a->dom < b->dom);
}

static int cmp_unit_did(const void *x, const void *y)
{
	const struct didkey *a = x, *b = y;

	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return (a->did > b->did) - (a->did < b->did);
}

static void check_did(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct didkey *k = malloc((s->ndev ? s->ndev : 1) * sizeof(*k));
	size_t n = 0;

	if (!k)
		return;
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];
		uint64_t lim;

		if (!v->live || v->unit < 0 || v->domain < 0)
			continue;
		lim = iommu_did_limit(p, &s->unit[v->unit]);
		if (!v->attachment_id || v->attachment_id >= lim)
			check_fail(&p->rep, CK_IOMMU_DID,
				   "device 0x%llx DID %llu outside 1..%llu of "
				   "unit 0x%llx", (unsigned long long)v->slot,
				   (unsigned long long)v->attachment_id,
				   (unsigned long long)lim - 1,
				   (unsigned long long)s->unit[v->unit].token);
		k[n++] = (struct didkey){ (size_t)v->unit, v->attachment_id,
					  v->domain, i };
	}
	qsort(k, n, sizeof(*k), cmp_unit_dom);
	for (size_t i = 1; i < n; i++)
		if (k[i].unit == k[i - 1].unit && k[i].dom == k[i - 1].dom &&
		    k[i].did != k[i - 1].did)
			check_fail(&p->rep, CK_IOMMU_DID,
				   "domain 0x%llx has DIDs %llu and %llu on "
				   "unit 0x%llx (devices 0x%llx, 0x%llx)",
				   (unsigned long long)s->dom[k[i].dom].slot,
				   (unsigned long long)k[i - 1].did,
				   (unsigned long long)k[i].did,
				   (unsigned long long)s->unit[k[i].unit].token,
				   (unsigned long long)s->dev[k[i - 1].dev].slot,
				   (unsigned long long)s->dev[k[i].dev].slot);
	qsort(k, n, sizeof(*k), cmp_unit_did);
	for (size_t i = 1; i < n; i++)
		if (k[i].unit == k[i - 1].unit && k[i].did == k[i - 1].did &&
		    k[i].dom != k[i - 1].dom)
			check_fail(&p->rep, CK_IOMMU_DID,
				   "DID %llu on unit 0x%llx names two domains "
				   "0x%llx and 0x%llx",
				   (unsigned long long)k[i].did,
				   (unsigned long long)s->unit[k[i].unit].token,
				   (unsigned long long)s->dom[k[i - 1].dom].slot,
				   (unsigned long long)s->dom[k[i].dom].slot);
	free(k);
	check_done(&p->rep, CK_IOMMU_DID, "%zu attachment(s)", n);
}

void iommu_check_model(struct probe *p)
{
	struct iommu_state *s = &p->iommu;

	check_headers(p);
	link_devices(p);
	check_unique_devices(p);
	check_done(&p->rep, CK_IOMMU_DEVICE_LINKS, "%zu device slot(s)",
		   s->ndev);
	check_units(p);
	check_did(p);
	for (size_t i = 0; i < s->nunit; i++) {
		char id[32], label[96];

		if (!s->unit[i].live)
			continue;
		snprintf(id, sizeof(id), "unit_%zu", i);
		snprintf(label, sizeof(label), "unit 0x%llx, root 0x%llx",
			 (unsigned long long)s->unit[i].token,
			 (unsigned long long)s->unit[i].root_table);
		dot_node(p, id, label);
		dot_edge(p, "iommu_units", id, NULL);
		explain(p, "unit slot 0x%llx: DRHD 0x%llx, root table 0x%llx, "
			"%u device(s)", (unsigned long long)s->unit[i].slot,
			(unsigned long long)s->unit[i].token,
			(unsigned long long)s->unit[i].root_table,
			s->unit[i].ndev);
	}
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];
		char id[32], label[64], bdf[24], to[32];

		if (!v->live)
			continue;
		iommu_fmt_bdf(bdf, sizeof(bdf), v->segment, v->devid);
		snprintf(id, sizeof(id), "dev_%zu", i);
		snprintf(label, sizeof(label), "device %s, DID %llu", bdf,
			 (unsigned long long)v->attachment_id);
		dot_node(p, id, label);
		dot_edge(p, "iommu_devices", id, NULL);
		if (v->unit >= 0) {
			snprintf(to, sizeof(to), "unit_%d", v->unit);
			dot_edge(p, id, to, "iommu_phys");
		}
		if (v->domain >= 0) {
			snprintf(to, sizeof(to), "dom_%d", v->domain);
			dot_edge(p, id, to, "domain_phys");
		}
		explain(p, "device slot 0x%llx: %s -> unit 0x%llx, domain "
			"0x%llx, DID %llu, PASID dir 0x%llx",
			(unsigned long long)v->slot, bdf,
			(unsigned long long)v->iommu_phys,
			(unsigned long long)v->domain_phys,
			(unsigned long long)v->attachment_id,
			(unsigned long long)v->pasid_table);
	}
}

/* ---- iommu.domains (after the tables told each domain's format) --------- */

static int vtdss_top_for(uint32_t vasz)
{
	return vasz > 48 ? 4 : vasz > 39 ? 3 : vasz > 30 ? 2 : -1;
}

static int fs_top_for(uint32_t vasz)
{
	return vasz >= 31 ? (int)((vasz - 31) / 9 + 2) : -1;
}

static void check_domain(struct probe *p, size_t i)
{
	const struct iommu_domain *d = &p->iommu.dom[i];
	unsigned long long slot = d->slot, top = d->top_table_phys;

	if (!top || top & PAGE_MASK_4K)
		check_fail(&p->rep, CK_IOMMU_DOMAINS,
			   "domain 0x%llx top_table_phys 0x%llx is not a "
			   "non-zero page address", slot, top);
	else if (!iommu_is_head(p, top))
		check_fail(&p->rep, CK_IOMMU_DOMAINS,
			   "domain 0x%llx top table 0x%llx is not a preserved "
			   "page", slot, top);
	if (d->fmt == VTD_FMT_FS ? d->top_level < 3 || d->top_level > 4 :
				   d->top_level < 2 || d->top_level > 4)
		check_fail(&p->rep, CK_IOMMU_DOMAINS,
			   "domain 0x%llx top_level %llu is not valid for %s "
			   "tables", slot, (unsigned long long)d->top_level,
			   vtd_fmt_name(d->fmt));
	if (d->has_vasz) {
		int ss = vtdss_top_for(d->vasz), fs = fs_top_for(d->vasz);
		bool ok = d->fmt == VTD_FMT_SS ? ss == (int)d->top_level :
			  d->fmt == VTD_FMT_FS ? fs == (int)d->top_level :
			  ss == (int)d->top_level || fs == (int)d->top_level;

		if (!ok || d->vasz > 64)
			check_fail(&p->rep, CK_IOMMU_DOMAINS,
				   "domain 0x%llx vasz %u does not match "
				   "top_level %llu (%s)", slot, d->vasz,
				   (unsigned long long)d->top_level,
				   vtd_fmt_name(d->fmt));
		if (d->sign_extend && d->fmt == VTD_FMT_SS)
			check_fail(&p->rep, CK_IOMMU_DOMAINS,
				   "domain 0x%llx is second-stage but has "
				   "sign_extend set", slot);
	}
	if (!d->ndev)
		check_warn(&p->rep, CK_IOMMU_DOMAINS,
			   "domain 0x%llx is preserved but no live device "
			   "uses it", slot);
}

void iommu_check_domains(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	size_t live = 0;

	for (size_t i = 0; i < s->ndom; i++) {
		char id[32], label[96];

		if (!s->dom[i].live)
			continue;
		live++;
		check_domain(p, i);
		snprintf(id, sizeof(id), "dom_%zu", i);
		snprintf(label, sizeof(label), "domain 0x%llx, %s top 0x%llx",
			 (unsigned long long)s->dom[i].slot,
			 vtd_fmt_name(s->dom[i].fmt),
			 (unsigned long long)s->dom[i].top_table_phys);
		dot_node(p, id, label);
		dot_edge(p, "iommu_domains", id, NULL);
	}
	check_done(&p->rep, CK_IOMMU_DOMAINS, "%zu live domain(s)", live);
}
