// SPDX-License-Identifier: GPL-2.0-only
/*
 * dma.live: a preserved device DMAs through the preserved tables, and the
 * data must land exactly where the table walk (struct iommu_domain runs)
 * says, with no DMAR fault.
 *
 * Without a canary nothing is written: the device reads a mapped IOVA
 * (must not fault) and an IOVA the tables leave unmapped (must fault, as
 * the walk predicts); then the fault record is cleared.  With
 * khoprobe.dma_canary=SEG:BB:DD.F@IOVA+LEN the device may write inside that
 * IOVA range only: it saves the canary's bytes into its own buffer, copies
 * a differing mapped range A over the canary, khoprobe reads the physical
 * address the walk gives for the canary and must find A's bytes there,
 * then the device writes the saved bytes back and khoprobe checks they
 * are back.  The CPU never writes memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/probe.h"
#include "dma_live.h"
#include "vtd_defs.h"

#define MAX_PIECES	8
#define DMA_IOVA_LIMIT	0x10000000ull	/* edu's default dma_mask: 256 MiB */
#define MSI_LO		0xfee00000ull
#define MSI_HI		0xfef00000ull
#define CANARY_MAX	2047u		/* saved copy + source fit in 4095 */
#define SRC_OFF		2048u		/* edu buffer: [0, 2047) saved canary */
#define READ_LEN	64u
#define EDGE_HALF	32u		/* bytes each side of a mapping's end */
#define FR_READ		6		/* read not permitted / not mapped */
#define FR_WRITE	5

/* Part of an IOVA range that maps to one physically contiguous piece. */
struct piece {
	uint64_t iova, pa, len;
};

struct live {
	struct probe *p;
	struct physmem pm;		/* reads kept out of chain.intact's log */
	const struct iommu_device *dev;
	const struct iommu_domain *dom;
	const struct iommu_unit *unit;
	uint64_t base;			/* unit registers */
	char bdf[20];
	struct edu edu;
	unsigned int fault_reason;	/* of the probe fault, once seen */
};

int dma_canary_parse(const char *s, struct dma_canary *c)
{
	char *end;
	unsigned long long seg, bus, dev, fn;

	seg = strtoull(s, &end, 16);
	if (*end != ':')
		return -1;
	bus = strtoull(end + 1, &end, 16);
	if (*end != ':')
		return -1;
	dev = strtoull(end + 1, &end, 16);
	if (*end != '.')
		return -1;
	fn = strtoull(end + 1, &end, 16);
	if (*end != '@' || seg > 0xffff || bus > 0xff || dev > 31 || fn > 7)
		return -1;
	c->iova = strtoull(end + 1, &end, 0);
	if (*end != '+')
		return -1;
	c->len = strtoull(end + 1, &end, 0);
	if (*end || !c->len)
		return -1;
	c->segment = (uint32_t)seg;
	c->devid = (uint32_t)(bus << 8 | dev << 3 | fn);
	return 0;
}

/* Split [iova, iova + len) along the domain's runs; 0 when all mapped with @perm. */
static int predict(const struct iommu_domain *d, uint64_t iova, uint64_t len,
		   uint8_t perm, struct piece *pc, unsigned int *npc)
{
	*npc = 0;
	while (len) {
		const struct vtd_run *r = NULL;
		uint64_t n;

		for (size_t i = 0; i < d->nrun; i++)
			if (iova >= d->run[i].iova &&
			    iova - d->run[i].iova < d->run[i].len) {
				r = &d->run[i];
				break;
			}
		if (!r || (r->perm & perm) != perm || *npc == MAX_PIECES)
			return -1;
		n = r->len - (iova - r->iova);
		if (n > len)
			n = len;
		pc[(*npc)++] = (struct piece){ iova, r->pa + (iova - r->iova), n };
		iova += n;
		len -= n;
	}
	return 0;
}

static int read_pieces(struct live *l, const struct piece *pc, unsigned int n,
		       uint8_t *buf)
{
	for (unsigned int i = 0; i < n; i++) {
		if (phys_read(&l->pm, pc[i].pa, buf, pc[i].len, NULL))
			return -1;
		buf += pc[i].len;
	}
	return 0;
}

static bool pieces_preserved(const struct live *l, const struct piece *pc,
			     unsigned int n, uint64_t *bad)
{
	for (unsigned int i = 0; i < n; i++)
		if (!pset_covers(&l->p->kho.preserved, pc[i].pa, pc[i].len)) {
			*bad = pc[i].pa;
			return false;
		}
	return true;
}

static bool usable_iova(uint64_t iova, uint64_t len)
{
	return iova + len <= DMA_IOVA_LIMIT && (iova + len <= MSI_LO || iova >= MSI_HI);
}

/* First pending fault record of the unit: 0 none, 1 found. */
static int pending_fault(const struct live *l, uint64_t *lo, uint64_t *hi,
			 uint64_t *rec)
{
	const struct platform *pl = l->p->plat;
	uint64_t cap = pl->mmio_read64(l->base + VTD_REG_CAP);
	unsigned int fro = VTD_CAP_FRO(cap), nfr = VTD_CAP_NFR(cap);

	if (!(pl->mmio_read32(l->base + VTD_REG_FSTS) & (VTD_FSTS_PPF | VTD_FSTS_PFO)))
		return 0;
	for (unsigned int i = 0; i < nfr && i < VTD_MAX_FRCD; i++) {
		uint64_t r = l->base + fro + 16 * i;

		*hi = pl->mmio_read64(r + 8);
		if (*hi & VTD_FRCD_F) {
			*lo = pl->mmio_read64(r);
			*rec = r;
			return 1;
		}
	}
	*lo = *hi = 0;
	*rec = 0;
	return 1;
}

static void fail_fault(struct live *l, const char *what, uint64_t iova)
{
	uint64_t lo, hi, rec;

	pending_fault(l, &lo, &hi, &rec);
	check_fail(&l->p->rep, CK_DMA_LIVE,
		   "%s at IOVA %#llx by %s recorded a DMAR fault on unit %#llx: reason %#x at %#llx, SID %#x",
		   what, (unsigned long long)iova, l->bdf,
		   (unsigned long long)l->base, VTD_FRCD_FR(hi),
		   (unsigned long long)(lo & ~0xfffull), VTD_FRCD_SID(hi));
}

static int dma(struct live *l, bool to_ram, uint64_t iova, uint32_t off,
	       uint32_t len)
{
	const char *why;

	if (edu_dma(&l->edu, to_ram, iova, off, len, &why)) {
		check_fail(&l->p->rep, CK_DMA_LIVE, "%s: %s (IOVA %#llx)", l->bdf,
			   why, (unsigned long long)iova);
		return -1;
	}
	return 0;
}

/* An IOVA page below the DMA limit that the walk leaves unmapped. */
static bool find_unmapped(const struct iommu_domain *d, uint64_t *iova)
{
	struct piece pc[MAX_PIECES];
	unsigned int n;

	if (predict(d, 0, 4096, 0, pc, &n)) {
		*iova = 0;
		return true;
	}
	for (size_t i = 0; i < d->nrun && i < 4096; i++) {
		uint64_t a = (d->run[i].iova + d->run[i].len + 4095) & ~4095ull;

		if (usable_iova(a, 4096) && predict(d, a, 4096, 0, pc, &n)) {
			*iova = a;
			return true;
		}
	}
	return false;
}

/*
 * A readable run whose next page the tables leave unmapped: one device
 * read across that edge shows both predictions at once.
 */
static bool find_edge(const struct live *l, uint64_t *a, struct piece *pc,
		      unsigned int *n)
{
	struct piece tmp[MAX_PIECES];
	unsigned int tn;

	for (size_t i = 0; i < l->dom->nrun && i < 4096; i++) {
		const struct vtd_run *r = &l->dom->run[i];
		uint64_t end = r->iova + r->len;

		if (r->len < EDGE_HALF || (end & 0xfff) ||
		    !usable_iova(end - EDGE_HALF, 2 * EDGE_HALF) ||
		    predict(l->dom, end - EDGE_HALF, EDGE_HALF, 1, pc, n) ||
		    !predict(l->dom, end, 4096, 0, tmp, &tn))
			continue;
		*a = end - EDGE_HALF;
		return true;
	}
	return false;
}

/* The fault our probe must have raised at @page; cleared afterwards. */
static bool probe_fault(struct live *l, uint64_t page, const char *what)
{
	uint64_t lo, hi, rec;

	if (!pending_fault(l, &lo, &hi, &rec) || !rec) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "%s read IOVA %#llx, which the preserved tables leave unmapped (%s), and no DMAR fault was recorded",
			   l->bdf, (unsigned long long)page, what);
		return false;
	}
	/* Clear our own fault record (F is write-1-to-clear). */
	l->p->plat->mmio_write32(rec + 12, 1u << 31);
	if (VTD_FRCD_SID(hi) != l->dev->devid || (lo & ~0xfffull) != page ||
	    (VTD_FRCD_FR(hi) != FR_READ && VTD_FRCD_FR(hi) != FR_WRITE)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "%s: the read %s faulted with reason %#x at %#llx, SID %#x; the tables predict a fault at %#llx only",
			   l->bdf, what, VTD_FRCD_FR(hi),
			   (unsigned long long)(lo & ~0xfffull), VTD_FRCD_SID(hi),
			   (unsigned long long)page);
		return false;
	}
	l->fault_reason = VTD_FRCD_FR(hi);
	return true;
}

/* Non-destructive: mapped reads must not fault, unmapped ones must. */
static void read_only_test(struct live *l)
{
	const struct platform *pl = l->p->plat;
	struct piece pc[MAX_PIECES];
	unsigned int n = 0;
	uint64_t a = 0, u, bad, lo, hi, rec;
	bool probe = pl->mmio_read32(l->base + VTD_REG_FECTL) & (1u << 31);
	bool found = false;

	/* Fault events masked: a probe fault raises no interrupt. */
	if (probe && find_edge(l, &a, pc, &n)) {
		if (!pieces_preserved(l, pc, n, &bad)) {
			check_fail(&l->p->rep, CK_DMA_LIVE,
				   "the walk sends IOVA %#llx of %s to PA %#llx, which is not preserved memory",
				   (unsigned long long)a, l->bdf, (unsigned long long)bad);
			return;
		}
		if (dma(l, false, a, 0, 2 * EDGE_HALF) ||
		    !probe_fault(l, a + EDGE_HALF, "across a mapping's end"))
			return;
		check_pass(&l->p->rep, CK_DMA_LIVE,
			   "%s: one read over a mapping's end: IOVA %#llx (walk: PA %#llx) no fault, read of unmapped IOVA %#llx faulted (reason %#x, cleared); no canary: nothing written",
			   l->bdf, (unsigned long long)a,
			   (unsigned long long)pc[0].pa,
			   (unsigned long long)(a + EDGE_HALF), l->fault_reason);
		return;
	}
	for (size_t i = 0; i < l->dom->nrun && !found; i++) {
		a = l->dom->run[i].iova;
		found = usable_iova(a, READ_LEN) &&
			!predict(l->dom, a, READ_LEN, 1, pc, &n);
	}
	if (!found) {
		check_skip(&l->p->rep, CK_DMA_LIVE,
			   "no readable mapping of %s below IOVA 256 MiB", l->bdf);
		return;
	}
	if (!pieces_preserved(l, pc, n, &bad)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "the walk sends IOVA %#llx of %s to PA %#llx, which is not preserved memory",
			   (unsigned long long)a, l->bdf, (unsigned long long)bad);
		return;
	}
	if (dma(l, false, a, 0, READ_LEN))
		return;
	if (pending_fault(l, &lo, &hi, &rec)) {
		fail_fault(l, "a device read", a);
		return;
	}
	if (!probe || !find_unmapped(l->dom, &u)) {
		check_pass(&l->p->rep, CK_DMA_LIVE,
			   "%s: read of IOVA %#llx (walk: PA %#llx) did not fault; %s; no dma_canary: nothing written",
			   l->bdf, (unsigned long long)a,
			   (unsigned long long)pc[0].pa,
			   probe ? "no unmapped IOVA to probe" :
			   "fault events unmasked, no unmapped probe");
		return;
	}
	if (dma(l, false, u, 0, 8) || !probe_fault(l, u, "alone"))
		return;
	check_pass(&l->p->rep, CK_DMA_LIVE,
		   "%s: read of IOVA %#llx (walk: PA %#llx) did not fault; read of unmapped IOVA %#llx faulted (reason %#x, cleared); no dma_canary: nothing written",
		   l->bdf, (unsigned long long)a, (unsigned long long)pc[0].pa,
		   (unsigned long long)u, l->fault_reason);
}

/* A mapped, readable range of @len outside the canary whose bytes differ. */
static bool find_source(struct live *l, const struct dma_canary *c,
			const uint8_t *orig, uint8_t *src, uint64_t *iova,
			struct piece *pc, unsigned int *n)
{
	for (size_t i = 0; i < l->dom->nrun && i < 256; i++) {
		const struct vtd_run *r = &l->dom->run[i];

		for (uint64_t a = r->iova; a + c->len <= r->iova + r->len &&
		     a < r->iova + 64 * 4096; a += 4096) {
			if (!usable_iova(a, c->len) ||
			    (a < c->iova + c->len && c->iova < a + c->len) ||
			    predict(l->dom, a, c->len, 1, pc, n) ||
			    read_pieces(l, pc, *n, src) ||
			    !memcmp(src, orig, c->len))
				continue;
			*iova = a;
			return true;
		}
	}
	return false;
}

static void first_diff(const uint8_t *a, const uint8_t *b, size_t len,
		       size_t *at)
{
	for (*at = 0; *at < len && a[*at] == b[*at]; (*at)++)
		;
}

static void canary_test(struct live *l, const struct dma_canary *c)
{
	struct piece pc[MAX_PIECES], spc[MAX_PIECES];
	unsigned int n, sn;
	uint8_t orig[CANARY_MAX], src[CANARY_MAX], now[CANARY_MAX];
	uint64_t s_iova, bad, lo, hi, rec;
	uint32_t len = (uint32_t)c->len;
	size_t at;

	if (c->len > CANARY_MAX || !usable_iova(c->iova, c->len)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "canary %#llx+%#llx: must be at most %u bytes below IOVA 256 MiB (edu's DMA mask), outside 0xfee00000",
			   (unsigned long long)c->iova, (unsigned long long)c->len,
			   CANARY_MAX);
		return;
	}
	if (predict(l->dom, c->iova, c->len, 3, pc, &n)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "canary IOVA %#llx+%#llx is not mapped readable and writable for %s by the preserved tables",
			   (unsigned long long)c->iova, (unsigned long long)c->len, l->bdf);
		return;
	}
	if (!pieces_preserved(l, pc, n, &bad)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "the walk sends canary IOVA %#llx of %s to PA %#llx, which is not preserved memory: no DMA done",
			   (unsigned long long)c->iova, l->bdf, (unsigned long long)bad);
		return;
	}
	if (read_pieces(l, pc, n, orig)) {
		check_fail(&l->p->rep, CK_DMA_LIVE, "canary PA %#llx is not readable",
			   (unsigned long long)pc[0].pa);
		return;
	}
	if (!find_source(l, c, orig, src, &s_iova, spc, &sn)) {
		check_skip(&l->p->rep, CK_DMA_LIVE,
			   "no mapped range of %s outside the canary holds bytes that differ from it: a copy could not be told apart",
			   l->bdf);
		return;
	}
	/* Save the canary in the device, fetch the source, write it over. */
	if (dma(l, false, c->iova, 0, len) || dma(l, false, s_iova, SRC_OFF, len) ||
	    dma(l, true, c->iova, SRC_OFF, len))
		return;
	if (read_pieces(l, pc, n, now)) {
		check_fail(&l->p->rep, CK_DMA_LIVE, "canary PA %#llx unreadable after the DMA",
			   (unsigned long long)pc[0].pa);
		return;
	}
	first_diff(now, src, len, &at);
	/* Put the canary back whatever happened, then judge. */
	if (dma(l, true, c->iova, 0, len))
		return;
	if (at < len) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "%s: copy to canary IOVA %#llx is not at PA %#llx, where the walk sends it (+%zu: %#x, want %#x): the device does not translate by the tables",
			   l->bdf, (unsigned long long)c->iova,
			   (unsigned long long)pc[0].pa, at, now[at], src[at]);
		return;
	}
	if (pending_fault(l, &lo, &hi, &rec)) {
		fail_fault(l, "the canary DMA", c->iova);
		return;
	}
	if (read_pieces(l, pc, n, now) || memcmp(now, orig, len)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "canary at PA %#llx was not restored by the device's write-back",
			   (unsigned long long)pc[0].pa);
		return;
	}
	check_pass(&l->p->rep, CK_DMA_LIVE,
		   "%s: %u-byte copy of IOVA %#llx to canary IOVA %#llx landed at PA %#llx as the walk predicts; device restored the canary; no DMAR fault",
		   l->bdf, len, (unsigned long long)s_iova,
		   (unsigned long long)c->iova, (unsigned long long)pc[0].pa);
}

/* The preserved device to drive: the canary's, else the first edu. */
static int pick_device(struct live *l, const struct dma_canary *c)
{
	const struct iommu_state *s = &l->p->iommu;

	for (size_t i = 0; i < s->ndev; i++) {
		const struct iommu_device *d = &s->dev[i];

		if (!d->live || d->domain < 0 || d->unit < 0)
			continue;
		if (c && (d->segment != c->segment || d->devid != c->devid))
			continue;
		if (d->segment != 0 || !edu_present(l->p->plat, d->devid))
			continue;
		l->dev = d;
		l->dom = &s->dom[d->domain];
		l->unit = &s->unit[d->unit];
		l->base = l->unit->phys_addr;
		snprintf(l->bdf, sizeof(l->bdf), "edu %04x:%02x:%02x.%x",
			 d->segment, d->devid >> 8, (d->devid >> 3) & 0x1f,
			 d->devid & 7);
		return 0;
	}
	return -1;
}

/* Is the unit translating through the preserved root, with no fault pending? */
static int unit_ready(struct live *l)
{
	const struct platform *pl = l->p->plat;
	uint32_t gsts = pl->mmio_read32(l->base + VTD_REG_GSTS);
	uint64_t rt = pl->mmio_read64(l->base + VTD_REG_RTADDR);
	uint32_t fsts = pl->mmio_read32(l->base + VTD_REG_FSTS);

	if (!(gsts & VTD_GSTS_TES)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "translation is off on unit %#llx (GSTS %#x): %s's DMA would bypass the preserved tables; no DMA done",
			   (unsigned long long)l->base, gsts, l->bdf);
		return -1;
	}
	if ((rt & VTD_PTR_MASK) != l->unit->root_table) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "unit %#llx translates through root table %#llx, not the preserved %#llx; no DMA done",
			   (unsigned long long)l->base,
			   (unsigned long long)(rt & VTD_PTR_MASK),
			   (unsigned long long)l->unit->root_table);
		return -1;
	}
	if (fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO)) {
		check_fail(&l->p->rep, CK_DMA_LIVE,
			   "unit %#llx already has fault records pending (FSTS %#x): a fault from the test DMA could not be seen; no DMA done",
			   (unsigned long long)l->base, fsts);
		return -1;
	}
	return 0;
}

void dma_live_run(struct probe *p)
{
	struct dma_canary canary, *c = NULL;
	struct live l;
	const char *why;

	if (!p->plat)
		return;		/* probe_run reports the offline skip */
	memset(&l, 0, sizeof(l));
	l.p = p;
	l.pm = *p->pm;
	l.pm.on_read = NULL;
	if (p->dma_canary) {
		if (dma_canary_parse(p->dma_canary, &canary)) {
			check_fail(&p->rep, CK_DMA_LIVE,
				   "khoprobe.dma_canary=%s: expected SEG:BB:DD.F@IOVA+LEN",
				   p->dma_canary);
			return;
		}
		c = &canary;
	}
	if (!p->iommu.present || !p->iommu.model_ok) {
		check_skip(&p->rep, CK_DMA_LIVE, "no preserved IOMMU state");
		return;
	}
	if (pick_device(&l, c)) {
		if (c)
			check_fail(&p->rep, CK_DMA_LIVE,
				   "canary device %04x:%02x:%02x.%x is not a preserved edu device",
				   c->segment, c->devid >> 8, (c->devid >> 3) & 0x1f,
				   c->devid & 7);
		else
			check_skip(&p->rep, CK_DMA_LIVE,
				   "no preserved device khoprobe can drive (QEMU edu 1234:11e8)");
		return;
	}
	if (!l.dom->walked) {
		check_skip(&p->rep, CK_DMA_LIVE,
			   "the domain of %s was not walked: no prediction", l.bdf);
		return;
	}
	if (unit_ready(&l))
		return;
	if (edu_open(&l.edu, p->plat, l.dev->devid, &why)) {
		check_fail(&p->rep, CK_DMA_LIVE, "%s: %s", l.bdf, why);
		return;
	}
	if (c)
		canary_test(&l, c);
	else
		read_only_test(&l);
	edu_close(&l.edu);
}
