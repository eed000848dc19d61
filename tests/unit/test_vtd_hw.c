// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live-hardware half on a fake platform: ACPI tables (RSDP with RSDT or
 * XSDT, or found by the BIOS-area scan) and a register file that records
 * every access.  Proves the DMAR parse, the register reads with their exact
 * widths and no writes, and that vtd.dmar-table, vtd.hw-translation,
 * vtd.hw-faults (and the DMAR/CAP parts of iommu.units, iommu.did) pass on
 * a consistent machine and fail on each inconsistency.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/probe.h"
#include "../producer/gmem.h"
#include "../producer/vtd_build.h"
#include "../producer/vtd_mem.h"
#include "../producer/vtd_probe.h"
#include "../tap.h"

#define REG0	0xfed90000ull
#define REG1	0xfed91000ull
#define ACPI	0x3ff00000ull	/* where the fake firmware puts its tables */
#define BIOS_RSDP 0xf5a00ull

/* ---- fake register file (two DRHDs) ------------------------------------ */

struct fake_unit {
	uint64_t base;
	uint32_t ver, gsts, fsts, fectl;
	uint64_t cap, ecap, rtaddr, frcd_lo, frcd_hi;
};

static struct fake_unit fu[2];
static unsigned int bad_width, writes, reads;

static struct fake_unit *unit_at(uint64_t pa, unsigned int *off)
{
	for (int i = 0; i < 2; i++)
		if (pa >= fu[i].base && pa < fu[i].base + 0x1000) {
			*off = (unsigned int)(pa - fu[i].base);
			return &fu[i];
		}
	return NULL;
}

static uint32_t rd32(uint64_t pa)
{
	unsigned int off;
	struct fake_unit *u = unit_at(pa, &off);

	reads++;
	if (!u)
		return ~0u;
	switch (off) {
	case 0x00: return u->ver;
	case 0x1c: return u->gsts;
	case 0x34: return u->fsts;
	case 0x38: return u->fectl;
	}
	bad_width++;	/* a 64-bit register read in halves */
	return 0;
}

static uint64_t rd64(uint64_t pa)
{
	unsigned int off;
	struct fake_unit *u = unit_at(pa, &off);

	reads++;
	if (!u)
		return ~0ull;
	switch (off) {
	case 0x08: return u->cap;
	case 0x10: return u->ecap;
	case 0x20: return u->rtaddr;
	case 0x220: return u->frcd_lo;
	case 0x228: return u->frcd_hi;
	}
	bad_width++;	/* a 32-bit register read with 8 bytes aborts QEMU */
	return 0;
}

static void wr32(uint64_t pa, uint32_t v) { (void)pa; (void)v; writes++; }
static void wr64(uint64_t pa, uint64_t v) { (void)pa; (void)v; writes++; }
static int pwrite(uint64_t pa, const void *b, size_t n)
{
	(void)pa; (void)b; (void)n;
	writes++;
	return 0;
}

/* ---- ACPI tables ----------------------------------------------------- */

static void csum(struct gmem *g, uint64_t pa, size_t len, size_t at)
{
	uint8_t *b = malloc(len), s = 0;

	gmem_read(g, pa, b, len);
	b[at] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	b[at] = (uint8_t)-s;
	gmem_write(g, pa, b, len);
	free(b);
}

static void sdt_header(struct gmem *g, uint64_t pa, const char *sig,
		       uint32_t len)
{
	gmem_write(g, pa, sig, 4);
	gmem_write_u32(g, pa + 4, len);
	gmem_write(g, pa + 8, "\x01", 1);
	gmem_write(g, pa + 10, "KHOPRB", 6);
}

/* DMAR with a DRHD per base (one endpoint scope each) and one RMRR. */
static uint64_t make_dmar(struct gmem *g, const uint64_t *base, int n)
{
	uint64_t pa = ACPI + 0x1000, at = pa + 48;
	uint8_t scope[8] = { 1, 8, 0, 0, 0, 0, 2, 0 };	/* 00:02.0 */

	for (int i = 0; i < n; i++) {
		gmem_write_u32(g, at, 0 | 32u << 16);	/* DRHD, length 32 */
		gmem_write_u64(g, at + 8, base[i]);
		gmem_write(g, at + 16, scope, 8);
		scope[6]++;
		gmem_write(g, at + 24, scope, 8);
		at += 32;
	}
	gmem_write_u32(g, at, 1 | 24u << 16);		/* RMRR, no scope */
	gmem_write_u64(g, at + 8, 0x3f000000);
	gmem_write_u64(g, at + 16, 0x3f0fffff);
	at += 24;
	sdt_header(g, pa, "DMAR", (uint32_t)(at - pa));
	gmem_write(g, pa + 36, "\x26\x01", 2);		/* HAW 39, IR */
	csum(g, pa, at - pa, 9);
	return pa;
}

/* RSDP (revision 2 with XSDT, or 0 with RSDT) listing a FACP and DMAR. */
static uint64_t make_acpi(struct gmem *g, uint64_t rsdp, bool xsdt,
			  uint64_t dmar)
{
	uint64_t facp = ACPI + 0x3000, sdt = ACPI + 0x2000;
	uint32_t len = xsdt ? 36 + 16 : 36 + 8;

	sdt_header(g, facp, "FACP", 36);
	csum(g, facp, 36, 9);
	sdt_header(g, sdt, xsdt ? "XSDT" : "RSDT", len);
	if (xsdt) {
		gmem_write_u64(g, sdt + 36, facp);
		gmem_write_u64(g, sdt + 44, dmar);
	} else {
		gmem_write_u32(g, sdt + 36, (uint32_t)facp);
		gmem_write_u32(g, sdt + 40, (uint32_t)dmar);
	}
	csum(g, sdt, len, 9);
	gmem_write(g, rsdp, "RSD PTR ", 8);
	gmem_write(g, rsdp + 9, "KHOPRB", 6);
	gmem_write(g, rsdp + 15, xsdt ? "\x02" : "\x00", 1);
	gmem_write_u32(g, rsdp + 16, xsdt ? 0 : (uint32_t)sdt);
	if (xsdt) {
		gmem_write_u32(g, rsdp + 20, 36);
		gmem_write_u64(g, rsdp + 24, sdt);
	}
	csum(g, rsdp, 20, 8);
	if (xsdt)
		csum(g, rsdp, 36, 32);
	return rsdp;
}

/* ---- fixture ----------------------------------------------------------- */

struct fx {
	struct gmem *g;
	struct pset ps;
	struct vtd_gmem vg;
	struct vtd_mem m;
	struct vtdb b;
	struct physmem pm;
	struct platform plat;
	struct probe *p;
};

static void fx_build(struct fx *f, bool scalable, bool handover)
{
	struct vtdb *b = &f->b;
	uint64_t data;
	int u0, u1, d0, d1;

	memset(f, 0, sizeof(*f));
	f->g = gmem_new();
	gmem_add_ram(f->g, 0xe0000, 0x20000);
	gmem_add_ram(f->g, 0x100000, 0x3ffe0000 - 0x100000);
	pset_init(&f->ps);
	vtd_mem_gmem(&f->m, &f->vg, f->g, &f->ps, 0x10000000, 0x2e000000);
	vtdb_init(b, &f->m, VTDB_C);
	if (handover) {
		u0 = vtdb_add_unit(b, REG0, scalable);
		u1 = vtdb_add_unit(b, REG1, false);
		d0 = vtdb_add_domain(b, VTDB_SS, 2);
		d1 = vtdb_add_domain(b, VTDB_SS, 3);
		data = f->m.alloc_preserved(f->m.ctx, 9);
		vtdb_map(b, d0, 0x100000, data, 0x10000, 0x1000, true);
		vtdb_map(b, d0, 0x200000, data, 0x200000, 0x200000, true);
		vtdb_map(b, d1, 0x100000, data, 0x10000, 0x1000, true);
		vtdb_add_device(b, u0, d0, 0x0010, 5);
		vtdb_add_device(b, u1, d1, 0x0100, 7);
		vtdb_finish(b);
	}
	memset(fu, 0, sizeof(fu));
	for (int i = 0; i < 2; i++) {
		fu[i].base = i ? REG1 : REG0;
		fu[i].ver = 0x10;
		/* unit 1 walks a 4-level domain: aw-bits=48 */
		fu[i].cap = i ? 0x00d2008c222f0606ull : 0x00d2008c22260206ull;
		fu[i].ecap = scalable && !i ? 0x0000480080f00f4aull :
					      0x0000000000f00f4aull;
		fu[i].fectl = 0x80000000u;
		if (handover) {
			fu[i].gsts = 0xc0000000u;	/* TES | RTPS */
			fu[i].rtaddr = b->unit[i].root |
				       (scalable && !i ? 1u << 10 : 0);
		}
	}
	f->plat.mmio_read32 = rd32;
	f->plat.mmio_read64 = rd64;
	f->plat.mmio_write32 = wr32;
	f->plat.mmio_write64 = wr64;
	f->plat.phys_write = pwrite;
	bad_width = writes = reads = 0;
}

static void fx_acpi(struct fx *f, bool xsdt, bool scan, int ndrhd)
{
	static const uint64_t bases[2] = { REG0, REG1 };
	uint64_t dmar = make_dmar(f->g, bases, ndrhd);
	uint64_t rsdp = make_acpi(f->g, scan ? BIOS_RSDP : ACPI, xsdt, dmar);

	f->plat.rsdp_pa = scan ? 0 : rsdp;
}

static void fx_run(struct fx *f, bool handover)
{
	struct probe *p = vtd_probe_new(f->g, &f->pm, &f->ps, &f->plat,
					handover ? vtdb_flb_name(&f->b) : NULL,
					f->b.flb);

	iommu_run(p);
	iommu_hw_run(p);
	f->p = p;
}

static void fx_free(struct fx *f)
{
	probe_release(f->p);
	free(f->p);
	pset_free(&f->ps);
	gmem_free(f->g);
}

static enum check_status st(const struct fx *f, enum check_id id)
{
	return f->p->rep.r[id].status;
}

static const char *det(const struct fx *f, enum check_id id)
{
	return f->p->rep.r[id].detail;
}

struct sink {
	char buf[8192];
	size_t n;
};

static void sink_write(void *ctx, const char *b, size_t len)
{
	struct sink *s = ctx;

	if (s->n + len < sizeof(s->buf)) {
		memcpy(s->buf + s->n, b, len);
		s->n += len;
		s->buf[s->n] = 0;
	}
}

/* ---- tests ------------------------------------------------------------- */

static void test_consistent(bool scalable, bool xsdt, bool scan)
{
	struct fx f;
	struct sink s = { .n = 0 };
	struct out o = { sink_write, &s };

	fx_build(&f, scalable, true);
	fx_acpi(&f, xsdt, scan, 2);
	fx_run(&f, true);
	ok(st(&f, CK_VTD_DMAR_TABLE) == CHECK_PASS &&
	   strstr(det(&f, CK_VTD_DMAR_TABLE), "2 DRHD(s), 1 RMRR(s); 2 of 2"),
	   "%s via %s%s: DMAR parsed, both units matched (%s)",
	   scalable ? "scalable" : "legacy", xsdt ? "XSDT" : "RSDT",
	   scan ? " (RSDP by BIOS scan)" : "", det(&f, CK_VTD_DMAR_TABLE));
	ok(st(&f, CK_VTD_HW_TRANSLATION) == CHECK_PASS,
	   "hw-translation passes: %s", det(&f, CK_VTD_HW_TRANSLATION));
	ok(st(&f, CK_VTD_HW_FAULTS) == CHECK_PASS, "hw-faults passes");
	ok(st(&f, CK_IOMMU_UNITS) == CHECK_PASS && st(&f, CK_IOMMU_DID) ==
	   CHECK_PASS, "units and DIDs consistent with the DMAR and CAP.ND");
	is_u64(bad_width, 0, "every register read with its own width");
	is_u64(writes, 0, "no register or memory write");
	ok(reads >= 2 * 9, "VER CAP ECAP GSTS RTADDR FSTS FECTL FRCD read "
	   "on both units (%u reads)", reads);
	iommu_summary(&o, f.p);
	ok(strstr(s.buf, "DRHD 0xfed90000 segment 0, 2 device scope(s)") &&
	   strstr(s.buf, "CAP 0x00d2008c22260206") &&
	   strstr(s.buf, "translation ON, root table 0x") &&
	   strstr(s.buf, "RMRR segment 0 [0x3f000000, 0x3f0fffff]"),
	   "platform report names DRHDs, CAP, translation and the RMRR");
	if (scalable)
		ok(strstr(s.buf, "(scalable), preserved"),
		   "scalable RTADDR reported as such");
	fx_free(&f);
}

struct hwcase {
	const char *name;
	enum check_id id;
	void (*apply)(struct fx *f);
	int ndrhd;
	const char *mention;
};

static void h_te_off(struct fx *f) { fu[1].gsts = 0x40000000u; }
static void h_rtaddr(struct fx *f) { fu[0].rtaddr = 0x1234000; }
static void h_ttm(struct fx *f) { fu[0].rtaddr &= ~(3ull << 10); }
static void h_fault(struct fx *f)
{
	fu[0].fsts = 0x2;
	fu[0].frcd_lo = 0x200000;
	fu[0].frcd_hi = 0x8000000500000010ull;
}
static void h_pfo(struct fx *f) { fu[1].fsts = 0x1; }
static void h_nd(struct fx *f)
{
	fu[1].cap &= ~7ull;	/* ND 0: 16 domain IDs, DID 7 fits */
	fu[0].cap &= ~7ull;
	gmem_write_u64(f->g, f->b.dev[1].slot + 24, 20);
	gmem_write_u64(f->g, f->b.dev[1].ctx_entry + 8, 2 | 20 << 8);
}
static void h_none(struct fx *f) { (void)f; }
static void h_footprint(struct fx *f)
{
	unsigned int lvl;
	uint64_t pte = gmem_read_u64(f->g, vtdb_pte_pa(&f->b, 0, 0x104000,
							&lvl));

	f->plat.footprint[0].start = pte & 0x000ffffffffff000ull;
	f->plat.footprint[0].end = f->plat.footprint[0].start + 0x1000;
	f->plat.footprint[0].what = "the payload heap";
	f->plat.nfootprint = 1;
}
static void h_sagaw(struct fx *f) { fu[1].cap = 0x00d2008c22260206ull; }
static void h_sllps(struct fx *f) { fu[0].cap &= ~(3ull << 34); }
static void h_haw(struct fx *f)
{
	uint8_t haw = 27;	/* 28 bits: everything above 256 MiB is out */

	gmem_write(f->g, ACPI + 0x1000 + 36, &haw, 1);
	{
		uint8_t b[256], s = 0;
		uint32_t len = (uint32_t)gmem_read_u64(f->g, ACPI + 0x1004);

		gmem_read(f->g, ACPI + 0x1000, b, len & 0xff);
		b[9] = 0;
		for (unsigned int i = 0; i < (len & 0xff); i++)
			s = (uint8_t)(s + b[i]);
		s = (uint8_t)-s;
		gmem_write(f->g, ACPI + 0x1000 + 9, &s, 1);
	}
}
static void h_dmar_sum(struct fx *f)
{
	uint8_t x = 0x55;

	gmem_write(f->g, ACPI + 0x1000 + 40, &x, 1);	/* OEM id byte */
}

static const struct hwcase hwcases[] = {
	{ "TES clear", CK_VTD_HW_TRANSLATION, h_te_off, 2, "translation is off" },
	{ "RTADDR elsewhere", CK_VTD_HW_TRANSLATION, h_rtaddr, 2, "RTADDR 0x1234" },
	{ "TTM legacy for scalable tables", CK_VTD_HW_TRANSLATION, h_ttm, 2, "TTM 0" },
	{ "pending fault record", CK_VTD_HW_FAULTS, h_fault, 2, "00:02.0 reason 0x5 at 0x200000" },
	{ "fault overflow", CK_VTD_HW_FAULTS, h_pfo, 2, "overflow" },
	{ "4-level tables, SAGAW 3-level only", CK_VTD_HW_TRANSLATION, h_sagaw, 2, "lacks the 4-level" },
	{ "2 MiB leaves without SLLPS", CK_VTD_HW_TRANSLATION, h_sllps, 2, "no 2 MiB" },
	{ "memory beyond the host address width", CK_VTD_HW_TRANSLATION, h_haw, 2, "host address width" },
	{ "a run over the payload's heap", CK_DMA_CONTAINMENT, h_footprint, 2, "the payload heap" },
	{ "DID beyond CAP.ND", CK_IOMMU_DID, h_nd, 2, "CAP.ND" },
	{ "unit without DRHD", CK_VTD_DMAR_TABLE, h_none, 1, "0xfed91000" },
	{ "unit without DRHD (units)", CK_IOMMU_UNITS, h_none, 1, "matches no DRHD" },
	{ "DMAR checksum", CK_VTD_DMAR_TABLE, h_dmar_sum, 2, "checksum" },
};

static void test_inconsistent(void)
{
	for (size_t i = 0; i < sizeof(hwcases) / sizeof(hwcases[0]); i++) {
		const struct hwcase *c = &hwcases[i];
		struct fx f;

		fx_build(&f, true, true);
		fx_acpi(&f, true, false, c->ndrhd);
		c->apply(&f);
		fx_run(&f, true);
		ok(st(&f, c->id) == CHECK_FAIL &&
		   strstr(det(&f, c->id), c->mention),
		   "%s: %s fails: %s", c->name, check_name(c->id),
		   det(&f, c->id));
		is_u64(writes, 0, "  still no write");
		fx_free(&f);
	}
}

/* No handover at all (a server booting the EFI image): report only. */
static void test_no_handover(void)
{
	struct fx f;

	fx_build(&f, false, false);
	fx_acpi(&f, false, true, 2);
	fx_run(&f, false);
	ok(st(&f, CK_VTD_DMAR_TABLE) == CHECK_PASS, "no handover: DMAR still "
	   "parsed (%s)", det(&f, CK_VTD_DMAR_TABLE));
	ok(st(&f, CK_VTD_HW_TRANSLATION) == CHECK_SKIP,
	   "no handover: nothing to compare translation with");
	ok(f.p->iommu.hw.drhd[1].regs && f.p->iommu.hw.drhd[1].cap ==
	   0x00d2008c222f0606ull, "registers read without a handover");
	fx_free(&f);

	fx_build(&f, false, false);
	fx_run(&f, false);	/* no RSDP anywhere */
	ok(st(&f, CK_VTD_DMAR_TABLE) == CHECK_SKIP,
	   "no ACPI and nothing preserved: skip (%s)",
	   det(&f, CK_VTD_DMAR_TABLE));
	fx_free(&f);
}

/* Random bytes in the RSDP, XSDT and DMAR: always an answer, no crash. */
static void test_hostile_acpi(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned int failed = 0, rounds = 300, nwrites = 0;

	for (unsigned int r = 0; r < rounds; r++) {
		struct fx f;

		fx_build(&f, r & 1, true);
		fx_acpi(&f, true, false, 2);
		for (int k = 0; k < 1 + (int)(r % 4); k++) {
			uint64_t at;
			uint8_t v;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			at = (x >> 8) % 3 == 0 ? ACPI + (x >> 16) % 36 :
			     (x >> 8) % 3 == 1 ? ACPI + 0x2000 + (x >> 16) % 52 :
						 ACPI + 0x1000 + (x >> 16) % 136;
			v = (uint8_t)(x >> 40);
			gmem_write(f.g, at, &v, 1);
		}
		fx_run(&f, true);
		failed += st(&f, CK_VTD_DMAR_TABLE) == CHECK_FAIL;
		nwrites += writes;
		fx_free(&f);
	}
	ok(1, "%u hostile ACPI table sets parsed without a crash", rounds);
	ok(failed > rounds / 2, "%u of them rejected by vtd.dmar-table "
	   "(checksums)", failed);
	is_u64(nwrites, 0, "no write in any of them");
}

int main(void)
{
	test_consistent(false, false, false);
	test_consistent(false, true, false);
	test_consistent(true, true, false);
	test_consistent(true, false, true);
	test_inconsistent();
	test_no_handover();
	test_hostile_acpi();
	return done_testing();
}
