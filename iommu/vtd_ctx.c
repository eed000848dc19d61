// SPDX-License-Identifier: GPL-2.0-only
/*
 * Root, context and PASID structures of every preserved unit:
 * vtd.root-table, vtd.context-tables, vtd.device-context, vtd.pasid.
 * They also decide each domain's page-table format (what points at it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_int.h"
#include "vtd_defs.h"

static void fmt_set(struct probe *p, struct iommu_domain *d, enum vtd_fmt f,
		    const char *who)
{
	if (d->fmt == VTD_FMT_NONE) {
		d->fmt = f;
		return;
	}
	if (d->fmt != f)
		check_fail(&p->rep, CK_VTD_PAGE_TABLES,
			   "domain 0x%llx is reached as %s by %s but as %s "
			   "before", (unsigned long long)d->slot,
			   vtd_fmt_name(f), who, vtd_fmt_name(d->fmt));
}

const uint8_t *vtd_context_entry(const struct iommu_unit *u,
				 unsigned int devid)
{
	unsigned int bus = (devid >> 8) & 0xff, devfn = devid & 0xff;

	if (!u->ctx)
		return NULL;
	if (!u->scalable)
		return u->ctx[2 * bus] ? u->ctx[2 * bus] + 16 * devfn : NULL;
	if (!u->ctx[2 * bus + (devfn >> 7)])
		return NULL;
	return u->ctx[2 * bus + (devfn >> 7)] + 32 * (devfn & 0x7f);
}

static bool bit_set(const uint64_t *bm, unsigned int i)
{
	return bm[i / 64] >> (i % 64) & 1;
}

/* One root half: present ⇔ bitmap bit, pointer preserved, table read. */
static void root_half(struct probe *p, struct iommu_unit *u, unsigned int bus,
		      unsigned int half, uint64_t e)
{
	unsigned int bit = 2 * bus + half;
	bool present = e & VTD_PRESENT, marked = bit_set(u->bitmap, bit);
	uint64_t ctp = e & VTD_PTR_MASK;
	const char *why;

	if (present != marked)
		check_fail(&p->rep, CK_VTD_ROOT_TABLE,
			   "root table 0x%llx bus 0x%02x %s entry is %s but "
			   "context_tables_bitmap bit %u is %s",
			   (unsigned long long)u->root_table, bus,
			   half ? "upper" : "lower",
			   present ? "present" : "not present", bit,
			   marked ? "set" : "clear");
	if (e & VTD_ROOT_RSVD_LO)
		check_fail(&p->rep, CK_VTD_ROOT_TABLE,
			   "root table 0x%llx bus 0x%02x %s entry 0x%llx has "
			   "reserved bits 11:1 set",
			   (unsigned long long)u->root_table, bus,
			   half ? "upper" : "lower", (unsigned long long)e);
	if (!present) {
		/* the old kernel zeroes what it does not keep */
		if (e)
			check_fail(&p->rep, CK_VTD_ROOT_TABLE,
				   "root table 0x%llx bus 0x%02x %s entry 0x%llx "
				   "is not present but not zero",
				   (unsigned long long)u->root_table, bus,
				   half ? "upper" : "lower",
				   (unsigned long long)e);
		return;
	}
	u->ctx_pa[bit] = ctp;
	if (p->iommu.ctx_tables_read++ >= VTD_MAX_CTX_TABLES) {
		if (p->iommu.ctx_tables_read == VTD_MAX_CTX_TABLES + 1)
			check_fail(&p->rep, CK_VTD_CONTEXT_TABLES,
				   "more than %u present context tables (unit "
				   "0x%llx bus 0x%02x): stopped reading",
				   VTD_MAX_CTX_TABLES,
				   (unsigned long long)u->token, bus);
		return;
	}
	if (!iommu_is_head(p, ctp))
		check_fail(&p->rep, CK_VTD_CONTEXT_TABLES,
			   "context table 0x%llx for bus 0x%02x%s (unit "
			   "0x%llx) is not a preserved page",
			   (unsigned long long)ctp, bus,
			   u->scalable ? (half ? " upper" : " lower") : "",
			   (unsigned long long)u->token);
	if (p->dot) {
		char id[48], label[64], root[48];

		snprintf(id, sizeof(id), "ctx_%llx", (unsigned long long)ctp);
		snprintf(label, sizeof(label), "context table bus 0x%02x%s",
			 bus, u->scalable ? (half ? " upper" : " lower") : "");
		snprintf(root, sizeof(root), "root_%llx",
			 (unsigned long long)u->root_table);
		dot_node(p, id, label);
		dot_edge(p, root, id, NULL);
	}
	u->ctx[bit] = malloc(PAGE_4K);
	if (u->ctx[bit] && phys_read(p->pm, ctp, u->ctx[bit], PAGE_4K, &why)) {
		check_fail(&p->rep, CK_VTD_CONTEXT_TABLES,
			   "context table 0x%llx for bus 0x%02x unreadable: %s",
			   (unsigned long long)ctp, bus, why);
		free(u->ctx[bit]);
		u->ctx[bit] = NULL;
	}
}

static void check_root(struct probe *p, struct iommu_unit *u)
{
	const char *why;
	unsigned int ntab = 0;

	if (!u->root_table || u->root_table & PAGE_MASK_4K) {
		check_fail(&p->rep, CK_VTD_ROOT_TABLE,
			   "unit 0x%llx root_table 0x%llx is not a page "
			   "address", (unsigned long long)u->token,
			   (unsigned long long)u->root_table);
		return;
	}
	if (!iommu_is_head(p, u->root_table))
		check_fail(&p->rep, CK_VTD_ROOT_TABLE,
			   "root table 0x%llx of unit 0x%llx is not a "
			   "preserved page", (unsigned long long)u->root_table,
			   (unsigned long long)u->token);
	u->root = malloc(PAGE_4K);
	u->ctx = calloc(512, sizeof(*u->ctx));
	u->ctx_pa = calloc(512, sizeof(*u->ctx_pa));
	if (!u->root || !u->ctx || !u->ctx_pa) {
		free(u->root);
		u->root = NULL;
		return;
	}
	if (phys_read(p->pm, u->root_table, u->root, PAGE_4K, &why)) {
		check_fail(&p->rep, CK_VTD_ROOT_TABLE,
			   "root table 0x%llx unreadable: %s",
			   (unsigned long long)u->root_table, why);
		free(u->root);
		u->root = NULL;
		return;
	}
	for (unsigned int bus = 0; bus < 256; bus++) {
		uint64_t lo = get_le64(u->root + 16 * bus);
		uint64_t hi = get_le64(u->root + 16 * bus + 8);

		root_half(p, u, bus, 0, lo);
		if (u->scalable) {
			root_half(p, u, bus, 1, hi);
		} else {
			if (hi)
				check_fail(&p->rep, CK_VTD_ROOT_TABLE,
					   "root table 0x%llx bus 0x%02x: "
					   "legacy mode but upper half 0x%llx",
					   (unsigned long long)u->root_table,
					   bus, (unsigned long long)hi);
			if (bit_set(u->bitmap, 2 * bus + 1))
				check_fail(&p->rep, CK_VTD_ROOT_TABLE,
					   "unit 0x%llx: legacy mode but "
					   "context_tables_bitmap bit %u (bus "
					   "0x%02x upper) is set",
					   (unsigned long long)u->token,
					   2 * bus + 1, bus);
		}
	}
	for (unsigned int i = 0; i < 512; i++)
		ntab += u->ctx[i] != NULL;
	explain(p, "unit 0x%llx: %s mode (%s), root table 0x%llx, %u context "
		"table(s)", (unsigned long long)u->token,
		u->scalable ? "scalable" : "legacy",
		u->scalable ? "devices carry PASID directories" :
			      "no device carries a PASID directory",
		(unsigned long long)u->root_table, ntab);
}

/*
 * What the preserved devices of one unit look like, for classifying every
 * present context entry in O(log n): their RIDs as a bitmap and their
 * entries' (pointer, DID) pairs sorted, to recognise DMA aliases (an alias
 * entry points at the same tables as a preserved device's entry).
 */
struct unit_devs {
	uint64_t rid[65536 / 64];
	uint64_t *key;		/* pointer | DID, sorted */
	size_t nkey;
};

static uint64_t alias_key(const struct iommu_unit *u, uint64_t lo, uint64_t hi)
{
	uint64_t did = u->scalable ? 0 : VTD_CTX_DID(hi);

	/* Address bits 51:12, DID packed into bits 11:0 and 63:60. */
	return (lo & VTD_ADDR_MASK) | (did & 0xfff) | (did >> 12) << 60;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int unit_devs_build(const struct iommu_state *s, size_t ui,
			   struct unit_devs *ud)
{
	const struct iommu_unit *u = &s->unit[ui];

	memset(ud->rid, 0, sizeof(ud->rid));
	ud->nkey = 0;
	ud->key = malloc((s->ndev ? s->ndev : 1) * sizeof(*ud->key));
	if (!ud->key)
		return -1;
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];
		const uint8_t *e;

		if (!v->live || v->unit != (int)ui)
			continue;
		ud->rid[(v->devid & 0xffff) / 64] |= 1ull << (v->devid % 64);
		e = vtd_context_entry(u, v->devid & 0xffff);
		if (e && get_le64(e) & VTD_PRESENT)
			ud->key[ud->nkey++] = alias_key(u, get_le64(e),
							get_le64(e + 8));
	}
	qsort(ud->key, ud->nkey, sizeof(*ud->key), cmp_u64);
	return 0;
}

static bool unit_devs_alias(const struct unit_devs *ud, uint64_t key)
{
	size_t lo = 0, hi = ud->nkey;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ud->key[mid] == key)
			return true;
		if (ud->key[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void check_context_entries(struct probe *p, size_t ui)
{
	struct iommu_state *s = &p->iommu;
	struct iommu_unit *u = &s->unit[ui];
	unsigned int seg = u->segment < 0 ? 0 : (unsigned int)u->segment;
	struct unit_devs *ud = malloc(sizeof(*ud));

	if (!ud || unit_devs_build(s, ui, ud)) {
		free(ud);
		return;
	}
	for (unsigned int bit = 0; bit < 512; bit++) {
		unsigned int esz = vtd_ctx_entry_size(u);

		if (!u->ctx[bit])
			continue;
		for (unsigned int i = 0; i < vtd_ctx_entries(u); i++) {
			const uint8_t *e = u->ctx[bit] + esz * i;
			uint64_t lo = get_le64(e), hi = get_le64(e + 8);
			unsigned int devid = vtd_ctx_devid(u, bit, i);
			char bdf[24];

			iommu_fmt_bdf(bdf, sizeof(bdf), seg, devid);
			if (!(lo & VTD_PRESENT)) {
				if (lo || hi || (u->scalable && (get_le64(e + 16) ||
								get_le64(e + 24))))
					check_fail(&p->rep, CK_VTD_CONTEXT_TABLES,
						   "context entry %s (table 0x%llx "
						   "+ 0x%x) is not present but not "
						   "zero", bdf,
						   (unsigned long long)u->ctx_pa[bit],
						   esz * i);
				continue;
			}
			if (u->scalable && (get_le64(e + 16) || get_le64(e + 24)))
				check_fail(&p->rep, CK_VTD_CONTEXT_TABLES,
					   "scalable context entry %s (table 0x%llx "
					   "+ 0x%x) has reserved bits 255:128 set",
					   bdf, (unsigned long long)u->ctx_pa[bit],
					   esz * i);
			if (ud->rid[devid / 64] >> (devid % 64) & 1) {
				if (u->scalable && lo & VTD_SMCTX_PRE)
					check_fail(&p->rep, CK_VTD_CONTEXT_TABLES,
						   "context entry of preserved "
						   "device %s (table 0x%llx) has "
						   "PRE set", bdf,
						   (unsigned long long)u->ctx_pa[bit]);
				continue;
			}
			if (unit_devs_alias(ud, alias_key(u, lo, hi))) {
				explain(p, "context entry %s shares a preserved "
					"device's tables: a DMA alias", bdf);
				continue;
			}
			check_fail(&p->rep, CK_VTD_CONTEXT_TABLES,
				   "context entry %s (table 0x%llx + 0x%x) is "
				   "present but belongs to no preserved device",
				   bdf, (unsigned long long)u->ctx_pa[bit],
				   esz * i);
		}
	}
	free(ud->key);
	free(ud);
}

static void check_legacy_device(struct probe *p, struct iommu_device *v,
				struct iommu_domain *d, const uint8_t *e,
				const char *bdf)
{
	uint64_t lo = get_le64(e), hi = get_le64(e + 8);
	unsigned int tt = VTD_CTX_TT(lo);

	/* reserved: lo bits 11:4, hi bit 7 and bits 63:24 (127:88) */
	if (lo & 0xff0 || hi & (0xffffffffff000000ull | 0x80))
		check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
			   "context entry of %s (0x%016llx_%016llx) has "
			   "reserved bits set", bdf, (unsigned long long)hi,
			   (unsigned long long)lo);
	if (tt == VTD_TT_PASSTHROUGH || tt == 3)
		check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
			   "context entry of %s has TT %u (%s), not "
			   "translation", bdf, tt,
			   tt == 2 ? "pass-through" : "reserved");
	if ((lo & VTD_ADDR_MASK) != d->top_table_phys)
		check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
			   "context entry of %s: SLPTPTR 0x%llx != domain "
			   "0x%llx top table 0x%llx", bdf,
			   (unsigned long long)(lo & VTD_ADDR_MASK),
			   (unsigned long long)d->slot,
			   (unsigned long long)d->top_table_phys);
	if (VTD_CTX_AW(hi) + 1 != d->top_level)
		check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
			   "context entry of %s: AW %u but domain 0x%llx "
			   "top_level %llu (AW must be top_level - 1)", bdf,
			   VTD_CTX_AW(hi), (unsigned long long)d->slot,
			   (unsigned long long)d->top_level);
	if (VTD_CTX_DID(hi) != v->attachment_id)
		check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
			   "context entry of %s: DID %llu != attachment_id "
			   "%llu", bdf, (unsigned long long)VTD_CTX_DID(hi),
			   (unsigned long long)v->attachment_id);
	fmt_set(p, d, VTD_FMT_SS, bdf);
}

static void check_scalable_device(struct probe *p, struct iommu_device *v,
				  const uint8_t *e, const char *bdf)
{
	uint64_t lo = get_le64(e);
	uint64_t entries = 1ull << (VTD_SMCTX_PDTS(lo) + 7);

	if ((lo & VTD_PTR_MASK) != v->pasid_table)
		check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
			   "scalable context entry of %s: PASID directory "
			   "0x%llx != preserved pasid_table 0x%llx", bdf,
			   (unsigned long long)(lo & VTD_PTR_MASK),
			   (unsigned long long)v->pasid_table);
	if (entries < (v->max_pasid >> 6))
		check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
			   "scalable context entry of %s: PDTS %u gives %llu "
			   "directory entries, max_pasid %llu needs %llu", bdf,
			   VTD_SMCTX_PDTS(lo), (unsigned long long)entries,
			   (unsigned long long)v->max_pasid,
			   (unsigned long long)(v->max_pasid >> 6));
}

static void check_device_contexts(struct probe *p)
{
	struct iommu_state *s = &p->iommu;

	for (size_t i = 0; i < s->ndev; i++) {
		struct iommu_device *v = &s->dev[i];
		struct iommu_unit *u;
		const uint8_t *e;
		char bdf[24];

		if (!v->live || v->unit < 0 || v->domain < 0)
			continue;
		u = &s->unit[v->unit];
		if (!u->root)
			continue;
		iommu_fmt_bdf(bdf, sizeof(bdf), v->segment, v->devid);
		e = vtd_context_entry(u, v->devid);
		if (!e || !(get_le64(e) & VTD_PRESENT)) {
			check_fail(&p->rep, CK_VTD_DEVICE_CONTEXT,
				   "preserved device %s (0x%llx) has no present "
				   "context entry under root table 0x%llx", bdf,
				   (unsigned long long)v->slot,
				   (unsigned long long)u->root_table);
			continue;
		}
		if (p->dot) {
			unsigned int bit = u->scalable ?
				2 * (v->devid >> 8 & 0xff) + (v->devid >> 7 & 1) :
				2 * (v->devid >> 8 & 0xff);
			char from[32], to[48];

			snprintf(from, sizeof(from), "dev_%zu", i);
			snprintf(to, sizeof(to), "ctx_%llx",
				 (unsigned long long)u->ctx_pa[bit]);
			dot_edge(p, to, from, "context entry");
		}
		if (u->scalable)
			explain(p, "device %s: scalable context entry 0x%016llx_"
				"%016llx: PASID directory 0x%llx, PDTS %u (%u "
				"entries), RID_PASID %u, PRE %u", bdf,
				(unsigned long long)get_le64(e + 8),
				(unsigned long long)get_le64(e),
				(unsigned long long)(get_le64(e) & VTD_PTR_MASK),
				VTD_SMCTX_PDTS(get_le64(e)),
				1u << (VTD_SMCTX_PDTS(get_le64(e)) + 7),
				VTD_SMCTX_RID_PASID(get_le64(e + 8)),
				(unsigned int)(get_le64(e) >> 4 & 1));
		else
			explain(p, "device %s: context entry 0x%016llx_%016llx: "
				"TT %u, second-stage table 0x%llx, AW %u (%u "
				"levels), DID %llu", bdf,
				(unsigned long long)get_le64(e + 8),
				(unsigned long long)get_le64(e),
				VTD_CTX_TT(get_le64(e)),
				(unsigned long long)(get_le64(e) & VTD_ADDR_MASK),
				VTD_CTX_AW(get_le64(e + 8)),
				VTD_CTX_AW(get_le64(e + 8)) + 2,
				(unsigned long long)VTD_CTX_DID(get_le64(e + 8)));
		if (u->scalable)
			check_scalable_device(p, v, e, bdf);
		else
			check_legacy_device(p, v, &s->dom[v->domain], e, bdf);
	}
}

/* ---- PASID directory and the RID_PASID entry --------------------------- */

/*
 * The stage the PASID entry selects must point at the domain's top table
 * with the same depth: second-stage AW + 1, or first-stage FLPM + 3, is
 * the domain's top_level.
 */
static void check_pasid_stage(struct probe *p, const struct iommu_domain *d,
			      const char *bdf, unsigned long long at,
			      const char *ptr_name, uint64_t ptr,
			      const char *lvl_name, unsigned int lvl,
			      unsigned int lvl_bias)
{
	if (ptr != d->top_table_phys)
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID entry of %s at 0x%llx: %s 0x%llx "
			   "!= domain top table 0x%llx", bdf, at, ptr_name,
			   (unsigned long long)ptr,
			   (unsigned long long)d->top_table_phys);
	if (lvl + lvl_bias != d->top_level)
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID entry of %s at 0x%llx: %s %u but "
			   "top_level %llu", bdf, at, lvl_name, lvl,
			   (unsigned long long)d->top_level);
}

static void check_pasid_entry(struct probe *p, struct iommu_device *v,
			      struct iommu_domain *d, const uint8_t *pe,
			      uint64_t pe_pa, const char *bdf)
{
	uint64_t q0 = get_le64(pe), q1 = get_le64(pe + 8);
	uint64_t q2 = get_le64(pe + 16);
	unsigned int pgtt = VTD_PE_PGTT(q0);
	unsigned long long at = pe_pa;

	if (!(q0 & VTD_PRESENT)) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "RID_PASID entry of %s at 0x%llx is not present",
			   bdf, at);
		return;
	}
	if (VTD_PE_DID(q1) != v->attachment_id)
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID entry of %s at 0x%llx: DID %llu != "
			   "attachment_id %llu", bdf, at,
			   (unsigned long long)VTD_PE_DID(q1),
			   (unsigned long long)v->attachment_id);
	if (pgtt == VTD_PGTT_SS) {
		check_pasid_stage(p, d, bdf, at, "SSPTPTR", q0 & VTD_PTR_MASK,
				  "AW", VTD_PE_AW(q0), 1);
		fmt_set(p, d, VTD_FMT_SS, bdf);
	} else if (pgtt == VTD_PGTT_FS) {
		check_pasid_stage(p, d, bdf, at, "FSPTPTR", q2 & VTD_PTR_MASK,
				  "FLPM", VTD_PE_FLPM(q2), 3);
		fmt_set(p, d, VTD_FMT_FS, bdf);
	} else {
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID entry of %s at 0x%llx: PGTT %u is neither "
			   "first- (1) nor second-stage (2)", bdf, at, pgtt);
	}
}

/* Entries of one PASID table that are not present must be all zero. */
static void scan_pasid_table(struct probe *p, uint64_t tbl, const char *bdf,
			     uint64_t dirent)
{
	struct iommu_state *s = &p->iommu;
	uint8_t *t;

	if (s->pasid_bytes_read + PAGE_4K > VTD_MAX_PASID_BYTES)
		return;		/* the directory read already failed the budget */
	s->pasid_bytes_read += PAGE_4K;
	t = malloc(PAGE_4K);
	if (!t || phys_read(p->pm, tbl, t, PAGE_4K, NULL)) {
		free(t);
		return;
	}
	for (unsigned int k = 0; k < VTD_PASID_PER_TABLE; k++) {
		const uint8_t *pe = t + k * VTD_PASID_ENTRY_SIZE;
		uint64_t any = 0;

		if (get_le64(pe) & VTD_PRESENT)
			continue;
		for (unsigned int q = 0; q < 8; q++)
			any |= get_le64(pe + 8 * q);
		if (any) {
			check_fail(&p->rep, CK_VTD_PASID,
				   "PASID entry %llu of %s (table 0x%llx + 0x%x) "
				   "is not present but not zero",
				   (unsigned long long)(dirent * 64 + k), bdf,
				   (unsigned long long)tbl,
				   k * VTD_PASID_ENTRY_SIZE);
			break;
		}
	}
	free(t);
}

static void check_pasid_device(struct probe *p, struct iommu_device *v)
{
	struct iommu_state *s = &p->iommu;
	struct iommu_unit *u = &s->unit[v->unit];
	uint64_t dir = v->pasid_table, ndir = v->max_pasid >> 6, bytes;
	unsigned int rid_pasid = 0;
	const uint8_t *ce = vtd_context_entry(u, v->devid);
	uint8_t *db, pe[VTD_PASID_ENTRY_SIZE];
	uint64_t de, tbl;
	const char *why;
	char bdf[24];

	iommu_fmt_bdf(bdf, sizeof(bdf), v->segment, v->devid);
	if (!dir || dir & PAGE_MASK_4K) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "device %s (0x%llx) in scalable mode: pasid_table "
			   "0x%llx is not a page address", bdf,
			   (unsigned long long)v->slot, (unsigned long long)dir);
		return;
	}
	if (!ndir || v->max_pasid > VTD_MAX_PASID) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "device %s: max_pasid %llu out of range", bdf,
			   (unsigned long long)v->max_pasid);
		return;
	}
	bytes = (ndir * 8 + PAGE_MASK_4K) & ~PAGE_MASK_4K;
	if (!iommu_is_head(p, dir) ||
	    !pset_covers(&p->kho.preserved, dir, bytes))
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID directory 0x%llx (%llu bytes) of %s is not "
			   "preserved", (unsigned long long)dir,
			   (unsigned long long)bytes, bdf);
	if (s->pasid_bytes_read + ndir * 8 > VTD_MAX_PASID_BYTES) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID directory 0x%llx of %s: more than %u MiB of "
			   "PASID structures in all, stopped reading",
			   (unsigned long long)dir, bdf,
			   VTD_MAX_PASID_BYTES >> 20);
		return;
	}
	s->pasid_bytes_read += ndir * 8;
	db = malloc(ndir * 8);
	if (!db)
		return;
	if (phys_read(p->pm, dir, db, ndir * 8, &why)) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID directory 0x%llx of %s unreadable: %s",
			   (unsigned long long)dir, bdf, why);
		free(db);
		return;
	}
	for (uint64_t i = 0; i < ndir; i++) {
		de = get_le64(db + 8 * i);
		if (!(de & VTD_PRESENT) && de)
			check_fail(&p->rep, CK_VTD_PASID,
				   "PASID directory 0x%llx entry %llu (%s) is "
				   "0x%llx: not present but not zero",
				   (unsigned long long)dir, (unsigned long long)i,
				   bdf, (unsigned long long)de);
		if (de & VTD_PRESENT && !iommu_is_head(p, de & VTD_PTR_MASK))
			check_fail(&p->rep, CK_VTD_PASID,
				   "PASID table 0x%llx (directory 0x%llx entry "
				   "%llu, %s) is not a preserved page",
				   (unsigned long long)(de & VTD_PTR_MASK),
				   (unsigned long long)dir,
				   (unsigned long long)i, bdf);
		if (de & VTD_PRESENT)
			scan_pasid_table(p, de & VTD_PTR_MASK, bdf, i);
	}
	if (ce)
		rid_pasid = VTD_SMCTX_RID_PASID(get_le64(ce + 8));
	if (rid_pasid >> 6 >= ndir) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "RID_PASID %u of %s is beyond the %llu directory "
			   "entries", rid_pasid, bdf, (unsigned long long)ndir);
		free(db);
		return;
	}
	de = get_le64(db + 8 * (rid_pasid >> 6));
	free(db);
	tbl = de & VTD_PTR_MASK;
	if (!(de & VTD_PRESENT)) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID directory 0x%llx entry %u (RID_PASID %u of "
			   "%s) is not present", (unsigned long long)dir,
			   rid_pasid >> 6, rid_pasid, bdf);
		return;
	}
	tbl += (uint64_t)(rid_pasid & 63) * VTD_PASID_ENTRY_SIZE;
	if (phys_read(p->pm, tbl, pe, sizeof(pe), &why)) {
		check_fail(&p->rep, CK_VTD_PASID,
			   "PASID entry 0x%llx of %s unreadable: %s",
			   (unsigned long long)tbl, bdf, why);
		return;
	}
	if (p->dot) {
		char id[48], label[64], dom[32];

		snprintf(id, sizeof(id), "pasid_%llx", (unsigned long long)dir);
		snprintf(label, sizeof(label), "PASID dir of %s", bdf);
		dot_node(p, id, label);
		snprintf(dom, sizeof(dom), "ctx_%llx",
			 (unsigned long long)u->ctx_pa[u->scalable ?
			 2 * (v->devid >> 8 & 0xff) + (v->devid >> 7 & 1) : 0]);
		dot_edge(p, dom, id, "PASIDDIRPTR");
		snprintf(dom, sizeof(dom), "pt_%d", v->domain);
		dot_edge(p, id, dom, "RID_PASID entry");
	}
	explain(p, "device %s: PASID dir 0x%llx -> table 0x%llx -> entry "
		"PGTT %u", bdf, (unsigned long long)dir,
		(unsigned long long)(de & VTD_PTR_MASK),
		VTD_PE_PGTT(get_le64(pe)));
	check_pasid_entry(p, v, &s->dom[v->domain], pe, tbl, bdf);
}

void vtd_check_tables(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	size_t nlive = 0, npasid = 0;

	for (size_t i = 0; i < s->nunit; i++) {
		char id[32], to[48];

		if (!s->unit[i].live)
			continue;
		nlive++;
		check_root(p, &s->unit[i]);
		snprintf(id, sizeof(id), "unit_%zu", i);
		snprintf(to, sizeof(to), "root_%llx",
			 (unsigned long long)s->unit[i].root_table);
		dot_node(p, to, s->unit[i].scalable ? "scalable root table" :
						      "root table");
		dot_edge(p, id, to, "root_table");
	}
	for (size_t i = 0; i < s->nunit; i++)
		if (s->unit[i].live && s->unit[i].root)
			check_context_entries(p, i);
	check_device_contexts(p);
	for (size_t i = 0; i < s->ndev; i++) {
		struct iommu_device *v = &s->dev[i];

		if (!v->live || v->unit < 0 || v->domain < 0 ||
		    !s->unit[v->unit].scalable)
			continue;
		npasid++;
		check_pasid_device(p, v);
	}
	check_done(&p->rep, CK_VTD_ROOT_TABLE, "%zu root table(s)", nlive);
	check_done(&p->rep, CK_VTD_CONTEXT_TABLES,
		   "present entries all belong to preserved devices");
	check_done(&p->rep, CK_VTD_DEVICE_CONTEXT,
		   "entries match their domains");
	if (npasid)
		check_done(&p->rep, CK_VTD_PASID, "%zu device(s) in scalable "
			   "mode", npasid);
	else if (!check_failed(&p->rep, CK_VTD_PASID))
		check_skip(&p->rep, CK_VTD_PASID,
			   "no preserved device in scalable mode");
}
