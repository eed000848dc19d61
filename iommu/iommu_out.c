// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the IOMMU layer found, for people (iommu_summary, including the
 * platform report of the live VT-d units) and for machines (iommu_json).
 */
#include <stdio.h>
#include <string.h>

#include "iommu_int.h"
#include "vtd_defs.h"

void iommu_fmt_bdf(char *buf, size_t len, uint32_t seg, uint32_t devid)
{
	snprintf(buf, len, "%04x:%02x:%02x.%u", seg & 0xffff,
		 (devid >> 8) & 0xff, (devid >> 3) & 0x1f, devid & 7);
}

static const char *mode_name(const struct iommu_unit *u)
{
	return u->scalable ? "scalable" : "legacy";
}

/* "3-level (39-bit), 4-level (48-bit)" from SAGAW. */
static void sagaw_words(char *b, size_t n, unsigned int sagaw)
{
	static const char *const w[] = { "2-level (30-bit)", "3-level (39-bit)",
					 "4-level (48-bit)", "5-level (57-bit)",
					 "6-level (64-bit)" };
	size_t off = 0;

	b[0] = 0;
	for (unsigned int i = 0; i < 5; i++)
		if (sagaw >> i & 1)
			off += (size_t)snprintf(b + off, off < n ? n - off : 0,
						"%s%s", off ? ", " : "", w[i]);
	if (!off)
		snprintf(b, n, "none (no DMA translation)");
}

static const char *yesno(uint64_t v)
{
	return v ? "yes" : "no";
}

static void drhd_summary(struct out *o, const struct probe *p,
			 const struct vtd_drhd *d)
{
	char sag[96];
	uint64_t c = d->cap, e = d->ecap;

	out_printf(o, "  DRHD 0x%llx segment %u%s, %u device scope(s)\n",
		   (unsigned long long)d->base, d->segment,
		   d->flags & 1 ? " (all PCI devices)" : "", d->nscope_total);
	if (!d->regs) {
		out_printf(o, "    registers not read\n");
		return;
	}
	if (c == ~0ull) {
		out_printf(o, "    registers read all-ones: no unit there\n");
		return;
	}
	sagaw_words(sag, sizeof(sag), VTD_CAP_SAGAW(c));
	out_printf(o, "    VT-d %u.%u  CAP 0x%016llx  ECAP 0x%016llx\n",
		   (d->ver >> 4) & 0xf, d->ver & 0xf, (unsigned long long)c,
		   (unsigned long long)e);
	out_printf(o, "    guest address width %u bits (MGAW), page tables: "
		   "%s\n", VTD_CAP_MGAW(c), sag);
	out_printf(o, "    %llu domain IDs; large pages: 2 MiB %s, 1 GiB %s; "
		   "caching mode %s\n",
		   1ull << (4 + 2 * VTD_CAP_ND(c)),
		   yesno(VTD_CAP_SLLPS(c) & 1), yesno(VTD_CAP_SLLPS(c) & 2),
		   yesno(VTD_CAP_CM(c)));
	out_printf(o, "    modes: legacy yes, scalable %s (second-stage %s, "
		   "first-stage %s), pass-through %s, nested %s\n",
		   yesno(VTD_ECAP_SMTS(e)), yesno(VTD_ECAP_SLTS(e) ||
		   !VTD_ECAP_SMTS(e)), yesno(VTD_ECAP_FLTS(e)),
		   yesno(VTD_ECAP_PT(e)), yesno(VTD_ECAP_NEST(e)));
	out_printf(o, "    page-walk coherent %s, queued invalidation %s, "
		   "interrupt remapping %s, device TLB %s, PASID %s, %u fault "
		   "record(s)\n", yesno(VTD_ECAP_C(e)), yesno(VTD_ECAP_QI(e)),
		   yesno(VTD_ECAP_IR(e)), yesno(VTD_ECAP_DT(e)),
		   yesno(VTD_ECAP_PASID(e)), VTD_CAP_NFR(c));
	out_printf(o, "    translation %s, root table 0x%llx (%s)%s%s, QI %s, "
		   "IR %s\n", d->gsts & VTD_GSTS_TES ? "ON" : "off",
		   (unsigned long long)(d->rtaddr & ~PAGE_MASK_4K),
		   VTD_RTADDR_TTM(d->rtaddr) == 1 ? "scalable" :
		   VTD_RTADDR_TTM(d->rtaddr) == 0 ? "legacy" : "reserved TTM",
		   d->gsts & VTD_GSTS_RTPS ? "" : ", pointer not latched",
		   d->unit >= 0 ? ", preserved" : "",
		   d->gsts & VTD_GSTS_QIES ? "on" : "off",
		   d->gsts & VTD_GSTS_IRES ? "on" : "off");
	out_printf(o, "    faults: FSTS 0x%x, %u pending record(s)\n", d->fsts,
		   d->npending);
	(void)p;
}

static void platform_summary(struct out *o, const struct probe *p)
{
	const struct vtd_hw *hw = &p->iommu.hw;

	if (!hw->ran)
		return;
	if (!hw->dmar_ok) {
		out_printf(o, "VT-d platform: no DMAR (%s)\n", hw->why);
		return;
	}
	out_printf(o, "VT-d platform: DMAR 0x%llx via %s 0x%llx, host address "
		   "width %u, %u DRHD(s), %u RMRR(s)%s\n",
		   (unsigned long long)hw->dmar, hw->xsdt ? "XSDT" : "RSDT",
		   (unsigned long long)hw->sdt, hw->haw, hw->ndrhd, hw->nrmrr,
		   hw->dmar_flags & 1 ? ", interrupt remapping" : "");
	for (unsigned int i = 0; i < hw->ndrhd; i++)
		drhd_summary(o, p, &hw->drhd[i]);
	for (unsigned int i = 0; i < hw->nrmrr; i++)
		out_printf(o, "  RMRR segment %u [0x%llx, 0x%llx]\n",
			   hw->rmrr[i].segment,
			   (unsigned long long)hw->rmrr[i].base,
			   (unsigned long long)hw->rmrr[i].limit);
}

void iommu_summary(struct out *o, const struct probe *p)
{
	const struct iommu_state *s = &p->iommu;

	if (s->present) {
		size_t lu = 0, ld = 0, lv = 0;

		for (size_t i = 0; i < s->nunit; i++)
			lu += s->unit[i].live;
		for (size_t i = 0; i < s->ndom; i++)
			ld += s->dom[i].live;
		for (size_t i = 0; i < s->ndev; i++)
			lv += s->dev[i].live;
		out_printf(o, "IOMMU FLB '%s' at 0x%llx", s->flb_name,
			   (unsigned long long)s->flb_pa);
		if (s->layout)
			out_printf(o, ", ABI %s\n  layout: %s\n", s->layout->rev,
				   s->layout_note);
		else
			out_printf(o, "\n");
		out_printf(o, "IOMMU: %zu unit(s), %zu domain(s), %zu device(s) "
			   "live; %llu run(s), %llu bytes mapped, %llu table "
			   "page(s), %llu PTEs\n", lu, ld, lv,
			   (unsigned long long)s->nruns,
			   (unsigned long long)s->mapped,
			   (unsigned long long)s->ntables,
			   (unsigned long long)s->nptes);
		for (size_t i = 0; i < s->nunit; i++) {
			const struct iommu_unit *u = &s->unit[i];

			if (!u->live)
				continue;
			if (u->has_intel)
				out_printf(o, "  unit 0x%llx: %s, root 0x%llx, "
					   "%u device(s)\n",
					   (unsigned long long)u->token,
					   mode_name(u),
					   (unsigned long long)u->root_table,
					   u->ndev);
			else
				out_printf(o, "  unit 0x%llx: no VT-d data in "
					   "this layout, %u device(s)\n",
					   (unsigned long long)u->token, u->ndev);
		}
		for (size_t i = 0; i < s->ndom; i++)
			if (s->dom[i].live)
				out_printf(o, "  domain 0x%llx: %s, top 0x%llx, "
					   "%u levels, %zu run(s), %llu bytes\n",
					   (unsigned long long)s->dom[i].slot,
					   vtd_fmt_name(s->dom[i].fmt),
					   (unsigned long long)s->dom[i].top_table_phys,
					   (unsigned int)s->dom[i].top_level + 1,
					   s->dom[i].nrun,
					   (unsigned long long)s->dom[i].mapped);
		for (size_t i = 0; i < s->ndev; i++) {
			char bdf[24];

			if (!s->dev[i].live)
				continue;
			iommu_fmt_bdf(bdf, sizeof(bdf), s->dev[i].segment,
				      s->dev[i].devid);
			out_printf(o, "  device %s: domain 0x%llx, DID %llu\n",
				   bdf, (unsigned long long)s->dev[i].domain_phys,
				   (unsigned long long)s->dev[i].attachment_id);
		}
	}
	platform_summary(o, p);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_units(struct json *j, const struct iommu_state *s)
{
	json_arr_begin(j, "units");
	for (size_t i = 0; i < s->nunit; i++) {
		const struct iommu_unit *u = &s->unit[i];

		json_obj_begin(j, NULL);
		json_hex(j, "slot", u->slot);
		json_bool(j, "live", u->live);
		json_hex(j, "register_base", u->token);
		json_u64(j, "type", u->type);
		json_u64(j, "ref_count", u->ref_count);
		if (u->has_intel) {
			json_hex(j, "root_table", u->root_table);
			json_str(j, "mode", mode_name(u));
		}
		json_u64(j, "devices", u->ndev);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_domains(struct json *j, const struct iommu_state *s)
{
	json_arr_begin(j, "domains");
	for (size_t i = 0; i < s->ndom; i++) {
		const struct iommu_domain *d = &s->dom[i];

		json_obj_begin(j, NULL);
		json_hex(j, "slot", d->slot);
		json_bool(j, "live", d->live);
		json_hex(j, "top_table", d->top_table_phys);
		json_u64(j, "top_level", d->top_level);
		if (d->has_vasz)
			json_u64(j, "vasz", d->vasz);
		json_str(j, "format", vtd_fmt_name(d->fmt));
		json_u64(j, "devices", d->ndev);
		json_bool(j, "walked", d->walked);
		json_u64(j, "table_pages", d->ntables);
		json_u64(j, "ptes", d->nptes);
		json_u64(j, "runs", d->nrun);
		json_u64(j, "mapped_bytes", d->mapped);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_devices(struct json *j, const struct iommu_state *s)
{
	json_arr_begin(j, "devices");
	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *v = &s->dev[i];
		char bdf[24];

		iommu_fmt_bdf(bdf, sizeof(bdf), v->segment, v->devid);
		json_obj_begin(j, NULL);
		json_hex(j, "slot", v->slot);
		json_bool(j, "live", v->live);
		json_str(j, "bdf", bdf);
		json_hex(j, "unit", v->iommu_phys);
		json_hex(j, "domain", v->domain_phys);
		json_u64(j, "did", v->attachment_id);
		if (v->pasid_table)
			json_hex(j, "pasid_dir", v->pasid_table);
		if (v->max_pasid)
			json_u64(j, "max_pasid", v->max_pasid);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void json_platform(struct json *j, const struct vtd_hw *hw)
{
	json_obj_begin(j, "vtd_platform");
	json_bool(j, "dmar", hw->dmar_ok);
	if (!hw->dmar_ok) {
		json_str(j, "why", hw->why);
		json_obj_end(j);
		return;
	}
	json_hex(j, "dmar_pa", hw->dmar);
	json_u64(j, "haw", hw->haw);
	json_arr_begin(j, "drhd");
	for (unsigned int i = 0; i < hw->ndrhd; i++) {
		const struct vtd_drhd *d = &hw->drhd[i];

		json_obj_begin(j, NULL);
		json_hex(j, "base", d->base);
		json_u64(j, "segment", d->segment);
		json_u64(j, "scopes", d->nscope_total);
		if (d->regs) {
			json_hex(j, "ver", d->ver);
			json_hex(j, "cap", d->cap);
			json_hex(j, "ecap", d->ecap);
			json_hex(j, "gsts", d->gsts);
			json_hex(j, "rtaddr", d->rtaddr);
			json_hex(j, "fsts", d->fsts);
			json_bool(j, "translation", d->gsts & VTD_GSTS_TES);
			json_bool(j, "scalable_capable", VTD_ECAP_SMTS(d->ecap));
			json_u64(j, "mgaw", VTD_CAP_MGAW(d->cap));
			json_u64(j, "domain_ids", 1ull << (4 + 2 * VTD_CAP_ND(d->cap)));
			json_u64(j, "pending_faults", d->npending);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void iommu_json(struct json *j, const struct probe *p)
{
	const struct iommu_state *s = &p->iommu;

	json_obj_begin(j, "iommu");
	json_bool(j, "present", s->present);
	if (s->present) {
		json_str(j, "flb", s->flb_name);
		json_hex(j, "flb_pa", s->flb_pa);
		if (s->version)
			json_u64(j, "version", s->version);
		if (s->layout) {
			json_str(j, "abi_revision", s->layout->rev);
			json_str(j, "abi_layout", s->layout_note);
		}
		json_units(j, s);
		json_domains(j, s);
		json_devices(j, s);
		json_obj_begin(j, "mapping");
		json_u64(j, "runs", s->nruns);
		json_u64(j, "mapped_bytes", s->mapped);
		json_u64(j, "table_pages", s->ntables);
		json_u64(j, "ptes", s->nptes);
		json_obj_end(j);
	}
	if (s->hw.ran)
		json_platform(j, &s->hw);
	json_obj_end(j);
}
