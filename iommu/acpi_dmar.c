// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI: RSDP → RSDT/XSDT → DMAR, parsed into DRHD units (with device
 * scopes) and RMRRs.  Firmware tables are read through the platform's
 * fw_read when it has one (they live in reserved or ACPI ranges the
 * handover physmem refuses), else through physmem; every length and count
 * is bounded; a bad table fails vtd.dmar-table with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_int.h"

#define SDT_HDR		36
#define MAX_SDT_ENTRIES	256
#define MAX_DMAR_LEN	(64u * 1024)
#define BIOS_SCAN_START	0xe0000ull
#define BIOS_SCAN_END	0x100000ull

static int fw_read(const struct probe *p, uint64_t pa, void *buf,
		   size_t len)
{
	if (p->plat && p->plat->fw_read)
		return p->plat->fw_read(pa, buf, len);
	return phys_read(p->pm, pa, buf, len, NULL);
}

static bool csum_ok(const uint8_t *b, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum == 0;
}

static int dmar_err(struct vtd_hw *hw, const char *fmt, unsigned long long a)
{
	snprintf(hw->why, sizeof(hw->why), fmt, a);
	return -1;
}

/* A valid RSDP at @pa (checksums included). */
static bool rsdp_at(const struct probe *p, uint64_t pa, uint8_t r[36])
{
	if (fw_read(p, pa, r, 20) || memcmp(r, "RSD PTR ", 8) ||
	    !csum_ok(r, 20))
		return false;
	if (r[15] >= 2 && (fw_read(p, pa, r, 36) ||
			   !csum_ok(r, 36)))
		return false;
	return true;
}

static uint64_t scan_bios(const struct probe *p, uint8_t r[36])
{
	for (uint64_t pa = BIOS_SCAN_START; pa < BIOS_SCAN_END; pa += 16)
		if (rsdp_at(p, pa, r))
			return pa;
	return 0;
}

static void parse_scope(struct vtd_drhd *d, const uint8_t *b, size_t len)
{
	size_t off = 0;

	while (off + 6 <= len) {
		unsigned int slen = b[off + 1];
		struct vtd_scope *sc;

		if (slen < 6 || off + slen > len)
			return;
		d->nscope_total++;
		if (d->nscope < VTD_MAX_SCOPES) {
			sc = &d->scope[d->nscope++];
			sc->type = b[off];
			sc->enum_id = b[off + 4];
			sc->bus = b[off + 5];
			sc->depth = (uint8_t)((slen - 6) / 2);
			if (slen >= 8) {
				sc->dev = b[off + 6];
				sc->fn = b[off + 7];
			}
		}
		off += slen;
	}
}

static int parse_dmar(struct vtd_hw *hw, const uint8_t *t, uint32_t len)
{
	uint32_t off = 48;

	if (len < 48)
		return dmar_err(hw, "DMAR at 0x%llx is shorter than its header",
				hw->dmar);
	hw->haw = (uint8_t)(t[36] + 1);
	hw->dmar_flags = t[37];
	while (off + 4 <= len) {
		unsigned int type = get_le16(t + off);
		unsigned int slen = get_le16(t + off + 2);
		const uint8_t *s = t + off;

		if (slen < 4 || off + slen > len)
			return dmar_err(hw, "DMAR structure at offset 0x%llx has "
					"a bad length", off);
		if (type == 0 && slen >= 16) {
			struct vtd_drhd *d;

			if (hw->ndrhd == VTD_MAX_DRHD)
				return dmar_err(hw, "more than %llu DRHDs",
						VTD_MAX_DRHD);
			d = &hw->drhd[hw->ndrhd++];
			memset(d, 0, sizeof(*d));
			d->flags = s[4];
			d->segment = get_le16(s + 6);
			d->base = get_le64(s + 8);
			d->unit = -1;
			parse_scope(d, s + 16, slen - 16);
		} else if (type == 1 && slen >= 24 &&
			   hw->nrmrr < VTD_MAX_RMRR) {
			struct vtd_rmrr *r = &hw->rmrr[hw->nrmrr++];

			r->segment = get_le16(s + 6);
			r->base = get_le64(s + 8);
			r->limit = get_le64(s + 16);
		}
		off += slen;
	}
	if (!hw->ndrhd)
		return dmar_err(hw, "DMAR at 0x%llx lists no DRHD", hw->dmar);
	return 0;
}

static int read_dmar(struct probe *p, uint64_t pa)
{
	struct vtd_hw *hw = &p->iommu.hw;
	uint8_t h[SDT_HDR], *t;
	uint32_t len;
	int ret;

	if (fw_read(p, pa, h, SDT_HDR))
		return dmar_err(hw, "DMAR header at 0x%llx unreadable", pa);
	len = get_le32(h + 4);
	if (len < SDT_HDR || len > MAX_DMAR_LEN)
		return dmar_err(hw, "DMAR at 0x%llx has a bad length", pa);
	t = malloc(len);
	if (!t)
		return dmar_err(hw, "out of memory for DMAR 0x%llx", pa);
	if (fw_read(p, pa, t, len)) {
		free(t);
		return dmar_err(hw, "DMAR body at 0x%llx unreadable", pa);
	}
	if (!csum_ok(t, len)) {
		free(t);
		return dmar_err(hw, "DMAR at 0x%llx fails its checksum", pa);
	}
	ret = parse_dmar(hw, t, len);
	free(t);
	return ret;
}

static int find_in_sdt(struct probe *p)
{
	struct vtd_hw *hw = &p->iommu.hw;
	unsigned int esz = hw->xsdt ? 8 : 4, n;
	uint8_t h[SDT_HDR], *e;
	uint32_t len;

	if (fw_read(p, hw->sdt, h, SDT_HDR))
		return dmar_err(hw, "RSDT/XSDT at 0x%llx unreadable", hw->sdt);
	if (memcmp(h, hw->xsdt ? "XSDT" : "RSDT", 4))
		return dmar_err(hw, "no RSDT/XSDT signature at 0x%llx",
				hw->sdt);
	len = get_le32(h + 4);
	if (len < SDT_HDR || (len - SDT_HDR) / esz > MAX_SDT_ENTRIES)
		return dmar_err(hw, "RSDT/XSDT at 0x%llx has a bad length",
				hw->sdt);
	n = (len - SDT_HDR) / esz;
	e = malloc(n ? n * esz : 1);
	if (!e)
		return -1;
	if (fw_read(p, hw->sdt + SDT_HDR, e, n * esz)) {
		free(e);
		return dmar_err(hw, "RSDT/XSDT entries at 0x%llx unreadable",
				hw->sdt);
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t pa = esz == 8 ? get_le64(e + 8 * i) : get_le32(e + 4 * i);
		uint8_t sig[4];

		if (!fw_read(p, pa, sig, 4) &&
		    !memcmp(sig, "DMAR", 4)) {
			free(e);
			hw->dmar = pa;
			return read_dmar(p, pa);
		}
	}
	free(e);
	return dmar_err(hw, "no DMAR among the %llu ACPI tables", n);
}

void acpi_find_dmar(struct probe *p)
{
	struct vtd_hw *hw = &p->iommu.hw;
	uint8_t r[36];

	hw->rsdp = p->plat->rsdp_pa;
	if (hw->rsdp && !rsdp_at(p, hw->rsdp, r)) {
		dmar_err(hw, "no valid RSDP at 0x%llx", hw->rsdp);
		return;
	}
	if (!hw->rsdp)
		hw->rsdp = scan_bios(p, r);
	if (!hw->rsdp) {
		dmar_err(hw, "no RSDP given and none in 0x%llx-0xfffff",
			 BIOS_SCAN_START);
		return;
	}
	hw->xsdt = r[15] >= 2 && get_le64(r + 24);
	hw->sdt = hw->xsdt ? get_le64(r + 24) : get_le32(r + 16);
	explain(p, "ACPI: RSDP 0x%llx (revision %u) -> %s 0x%llx",
		(unsigned long long)hw->rsdp, r[15], hw->xsdt ? "XSDT" : "RSDT",
		(unsigned long long)hw->sdt);
	if (find_in_sdt(p))
		return;
	hw->dmar_ok = true;
	explain(p, "ACPI: DMAR 0x%llx: host address width %u, %u DRHD(s), "
		"%u RMRR(s)", (unsigned long long)hw->dmar, hw->haw,
		hw->ndrhd, hw->nrmrr);
}
