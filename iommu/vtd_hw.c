// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live VT-d hardware, payload only and strictly read-only: DMAR units,
 * their registers (32-bit registers with 4-byte reads, 64-bit ones with
 * 8-byte reads: QEMU aborts on anything else), and vtd.dmar-table,
 * vtd.hw-translation, vtd.hw-faults.  Nothing here writes a register.
 */
#include <stdio.h>
#include <string.h>

#include "iommu_int.h"
#include "vtd_defs.h"

static void read_regs(const struct platform *pl, struct vtd_drhd *d)
{
	uint64_t b = d->base;
	unsigned int fro, n;

	d->ver = pl->mmio_read32(b + VTD_REG_VER);
	d->cap = pl->mmio_read64(b + VTD_REG_CAP);
	d->ecap = pl->mmio_read64(b + VTD_REG_ECAP);
	d->gsts = pl->mmio_read32(b + VTD_REG_GSTS);
	d->rtaddr = pl->mmio_read64(b + VTD_REG_RTADDR);
	d->fsts = pl->mmio_read32(b + VTD_REG_FSTS);
	d->fectl = pl->mmio_read32(b + VTD_REG_FECTL);
	d->regs = true;
	if (d->cap == ~0ull)
		return;		/* nothing decodes there */
	fro = VTD_CAP_FRO(d->cap);
	n = VTD_CAP_NFR(d->cap);
	d->nfrcd = n < VTD_MAX_FRCD ? n : VTD_MAX_FRCD;
	/* fault records are 128 bits: two aligned 8-byte reads each */
	for (unsigned int i = 0; i < d->nfrcd && fro; i++) {
		d->frcd_lo[i] = pl->mmio_read64(b + fro + 16 * i);
		d->frcd_hi[i] = pl->mmio_read64(b + fro + 16 * i + 8);
		if (d->frcd_hi[i] & VTD_FRCD_F)
			d->npending++;
	}
}

void vtd_read_units(struct probe *p)
{
	struct vtd_hw *hw = &p->iommu.hw;

	if (!p->plat->mmio_read32 || !p->plat->mmio_read64)
		return;
	for (unsigned int i = 0; i < hw->ndrhd; i++) {
		read_regs(p->plat, &hw->drhd[i]);
		explain(p, "DRHD 0x%llx: VER 0x%x CAP 0x%016llx ECAP 0x%016llx "
			"GSTS 0x%08x RTADDR 0x%llx FSTS 0x%x",
			(unsigned long long)hw->drhd[i].base, hw->drhd[i].ver,
			(unsigned long long)hw->drhd[i].cap,
			(unsigned long long)hw->drhd[i].ecap, hw->drhd[i].gsts,
			(unsigned long long)hw->drhd[i].rtaddr,
			hw->drhd[i].fsts);
	}
}

/* Link preserved units to DRHDs; checks that need the DMAR table. */
static void match_units(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct vtd_hw *hw = &s->hw;
	unsigned int nmatched = 0, nlive = 0;

	for (size_t i = 0; i < s->nunit; i++) {
		struct iommu_unit *u = &s->unit[i];

		if (!u->live)
			continue;
		nlive++;
		for (unsigned int k = 0; k < hw->ndrhd; k++)
			if (hw->drhd[k].base == u->token) {
				u->drhd = (int)k;
				hw->drhd[k].unit = (int)i;
			}
		if (u->drhd < 0) {
			check_fail(&p->rep, CK_IOMMU_UNITS,
				   "unit 0x%llx register base 0x%llx matches no "
				   "DRHD in the ACPI DMAR table",
				   (unsigned long long)u->slot,
				   (unsigned long long)u->token);
			check_fail(&p->rep, CK_VTD_DMAR_TABLE,
				   "no DRHD for preserved unit 0x%llx",
				   (unsigned long long)u->token);
			continue;
		}
		nmatched++;
		if (u->segment >= 0 &&
		    (unsigned int)u->segment != hw->drhd[u->drhd].segment)
			check_fail(&p->rep, CK_IOMMU_DEVICE_LINKS,
				   "devices of unit 0x%llx are in segment %d but "
				   "its DRHD serves segment %u",
				   (unsigned long long)u->token, u->segment,
				   hw->drhd[u->drhd].segment);
	}
	/* now that CAP.ND is known, DIDs against the real DID space */
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];
		uint64_t lim;

		if (!v->live || v->unit < 0)
			continue;
		lim = iommu_did_limit(p, &s->unit[v->unit]);
		if (v->attachment_id >= lim)
			check_fail(&p->rep, CK_IOMMU_DID,
				   "device 0x%llx DID %llu >= %llu, the domain-ID "
				   "space of DRHD 0x%llx (CAP.ND)",
				   (unsigned long long)v->slot,
				   (unsigned long long)v->attachment_id,
				   (unsigned long long)lim,
				   (unsigned long long)s->unit[v->unit].token);
	}
	check_done(&p->rep, CK_VTD_DMAR_TABLE, "DMAR 0x%llx: %u DRHD(s), %u "
		   "RMRR(s); %u of %u preserved unit(s) matched",
		   (unsigned long long)hw->dmar, hw->ndrhd, hw->nrmrr,
		   nmatched, nlive);
}

/* Can this unit walk domain @d as preserved?  Fails name both. */
static void check_walkable(struct probe *p, const struct vtd_drhd *hw,
			   const struct iommu_domain *d)
{
	unsigned long long base = hw->base, slot = d->slot;
	unsigned int lv = (unsigned int)d->top_level + 1;
	unsigned int haw = p->iommu.hw.haw;

	if (haw && haw < 64 && d->max_pa > 1ull << haw)
		check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
			   "DRHD 0x%llx: domain 0x%llx uses memory up to 0x%llx, "
			   "beyond the %u-bit host address width", base, slot,
			   (unsigned long long)d->max_pa, haw);

	if (d->fmt == VTD_FMT_SS) {
		if (lv < 3 || lv > 5 || !(VTD_CAP_SAGAW(hw->cap) >> (lv - 2) & 1))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: SAGAW 0x%x lacks the %u-level "
				   "tables of domain 0x%llx", base,
				   VTD_CAP_SAGAW(hw->cap), lv, slot);
		if (d->leaf_levels & 2 && !(VTD_CAP_SLLPS(hw->cap) & 1))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: no 2 MiB second-stage pages "
				   "(SLLPS) but domain 0x%llx maps some", base,
				   slot);
		if (d->leaf_levels & 4 && !(VTD_CAP_SLLPS(hw->cap) & 2))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: no 1 GiB second-stage pages "
				   "(SLLPS) but domain 0x%llx maps some", base,
				   slot);
	} else if (d->fmt == VTD_FMT_FS) {
		if (!VTD_ECAP_FLTS(hw->ecap))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: no first-stage translation "
				   "(ECAP.FLTS) for domain 0x%llx", base, slot);
		if (lv == 5 && !VTD_CAP_FL5LP(hw->cap))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: no 5-level first-stage (FL5LP) "
				   "for domain 0x%llx", base, slot);
		if (d->leaf_levels & 4 && !VTD_CAP_FL1GP(hw->cap))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: no 1 GiB first-stage pages "
				   "(FL1GP) but domain 0x%llx maps some", base,
				   slot);
	}
}

static void check_translation(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	unsigned int n = 0;

	for (size_t i = 0; i < s->nunit; i++) {
		const struct iommu_unit *u = &s->unit[i];
		const struct vtd_drhd *d;
		unsigned long long base = u->token;

		if (!u->live || u->drhd < 0 || !u->has_intel)
			continue;
		d = &s->hw.drhd[u->drhd];
		if (!d->regs)
			continue;
		n++;
		if (!(d->gsts & VTD_GSTS_TES))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: GSTS 0x%08x, translation is "
				   "off (TES clear)", base, d->gsts);
		if (!(d->gsts & VTD_GSTS_RTPS))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: GSTS 0x%08x, root table "
				   "pointer not set (RTPS clear)", base, d->gsts);
		if ((d->rtaddr & ~PAGE_MASK_4K) != u->root_table)
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: RTADDR 0x%llx, but the preserved "
				   "root table is 0x%llx", base,
				   (unsigned long long)d->rtaddr,
				   (unsigned long long)u->root_table);
		if (VTD_RTADDR_TTM(d->rtaddr) !=
		    (u->scalable ? VTD_TTM_SCALABLE : VTD_TTM_LEGACY))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: RTADDR.TTM %u but the preserved "
				   "tables are %s", base,
				   (unsigned int)VTD_RTADDR_TTM(d->rtaddr),
				   u->scalable ? "scalable" : "legacy");
		if (u->scalable && !VTD_ECAP_SMTS(d->ecap))
			check_fail(&p->rep, CK_VTD_HW_TRANSLATION,
				   "DRHD 0x%llx: scalable tables preserved but "
				   "ECAP.SMTS is clear", base);
	}
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];
		const struct iommu_unit *u;

		if (!v->live || v->unit < 0 || v->domain < 0)
			continue;
		u = &s->unit[v->unit];
		if (u->drhd >= 0 && s->hw.drhd[u->drhd].regs &&
		    s->dom[v->domain].walked)
			check_walkable(p, &s->hw.drhd[u->drhd],
				       &s->dom[v->domain]);
	}
	if (n)
		check_done(&p->rep, CK_VTD_HW_TRANSLATION,
			   "%u preserved unit(s) translating through their "
			   "preserved root tables", n);
	else
		check_skip(&p->rep, CK_VTD_HW_TRANSLATION,
			   "no preserved unit to compare with the hardware");
}

static void check_faults(struct probe *p)
{
	const struct vtd_hw *hw = &p->iommu.hw;
	unsigned int n = 0;

	for (unsigned int i = 0; i < hw->ndrhd; i++) {
		const struct vtd_drhd *d = &hw->drhd[i];
		unsigned long long base = d->base;

		if (!d->regs)
			continue;
		n++;
		if (d->fsts & VTD_FSTS_PFO)
			check_fail(&p->rep, CK_VTD_HW_FAULTS,
				   "DRHD 0x%llx: FSTS 0x%x, primary fault "
				   "overflow", base, d->fsts);
		if (d->fsts & VTD_FSTS_PPF && !d->npending)
			check_fail(&p->rep, CK_VTD_HW_FAULTS,
				   "DRHD 0x%llx: FSTS 0x%x, primary fault "
				   "pending", base, d->fsts);
		for (unsigned int k = 0; k < d->nfrcd; k++) {
			uint64_t hi = d->frcd_hi[k];
			unsigned int sid = VTD_FRCD_SID(hi);

			if (!(hi & VTD_FRCD_F))
				continue;
			check_fail(&p->rep, CK_VTD_HW_FAULTS,
				   "DRHD 0x%llx fault record %u: %02x:%02x.%u "
				   "reason 0x%x at 0x%llx", base, k, sid >> 8,
				   (sid >> 3) & 0x1f, sid & 7, VTD_FRCD_FR(hi),
				   (unsigned long long)(d->frcd_lo[k] &
							~PAGE_MASK_4K));
		}
	}
	if (n)
		check_done(&p->rep, CK_VTD_HW_FAULTS, "%u unit(s): no pending "
			   "faults", n);
	else
		check_skip(&p->rep, CK_VTD_HW_FAULTS, "no unit registers read");
}

void iommu_hw_run(struct probe *p)
{
	struct vtd_hw *hw = &p->iommu.hw;

	if (!p->plat) {
		check_skip(&p->rep, CK_VTD_DMAR_TABLE, "no hardware offline");
		check_skip(&p->rep, CK_VTD_HW_TRANSLATION,
			   "no hardware offline");
		check_skip(&p->rep, CK_VTD_HW_FAULTS, "no hardware offline");
		return;
	}
	hw->ran = true;
	acpi_find_dmar(p);
	if (!hw->dmar_ok) {
		size_t live = 0;

		for (size_t i = 0; i < p->iommu.nunit; i++)
			live += p->iommu.unit[i].live;
		/* no VT-d and nothing preserved for it: not a fault */
		if (live || hw->dmar)
			check_fail(&p->rep, CK_VTD_DMAR_TABLE, "%s%s", hw->why,
				   live ? " (preserved units need it)" : "");
		else
			check_skip(&p->rep, CK_VTD_DMAR_TABLE,
				   "no VT-d on this machine: %s", hw->why);
		check_skip(&p->rep, CK_VTD_HW_TRANSLATION,
			   "no DMAR table (vtd.dmar-table)");
		check_skip(&p->rep, CK_VTD_HW_FAULTS,
			   "no DMAR table (vtd.dmar-table)");
		return;
	}
	vtd_read_units(p);
	match_units(p);
	check_translation(p);
	check_faults(p);
}
