// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd.restore: rehearse the next kernel's takeover of every preserved VT-d
 * unit on the live hardware (khoprobe.restore=hw), with dma.live proving
 * the device's DMA before, between the steps and after.
 *
 * Order, per docs/restore.md:
 *   refuse unless every unit is in a state the next kernel can take over
 *   (translation on through the preserved root table, queue drained, no
 *   fault pending) and every other check passed;
 *   claim the preserved pages in memory (restore_claim.c) and reserve the
 *   domain IDs (restore_did.c) — nothing on the hardware yet;
 *   then per unit: stop the inherited queue, start our own, SRTP with the
 *   preserved root, global invalidations with a wait; if the unit had no
 *   queue on entry, stop ours again so it is left as it was found.
 * Never written: context, PASID or page-table entries, preserved memory,
 * GCMD.TE.  The only memory written is our own queue and status pages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma_live.h"
#include "iommu_int.h"
#include "restore.h"
#include "vtd_defs.h"

#define REG_IQH		0x080
#define REG_IQT		0x088
#define DRAIN_MS	100u
#define LOG_LINES	48
#define LOG_LEN		176
#define DEFAULT_HZ	4000000000ull

struct restore_log {
	char line[LOG_LINES][LOG_LEN];
	unsigned int n, dropped;
};

struct rehearsal {
	struct probe *p;
	struct restore_log *log;
	struct physmem pm;	/* our reads stay out of chain.intact's log */
	unsigned int proofs, proof_skips;
	uint64_t proof_ticks;	/* TSC time spent in DMA proofs */
	char proof_note[120];
	bool failed;
};

static void note(struct rehearsal *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct rehearsal *r, const char *fmt, ...)
{
	va_list ap;

	if (r->log->n == LOG_LINES) {
		r->log->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(r->log->line[r->log->n++], LOG_LEN, fmt, ap);
	va_end(ap);
}

static const struct vtd_drhd *unit_drhd(const struct probe *p,
					const struct iommu_unit *u)
{
	if (u->drhd < 0 || !p->iommu.hw.drhd[u->drhd].regs)
		return NULL;
	return &p->iommu.hw.drhd[u->drhd];
}

static void hw_init(struct rehearsal *r, struct restore_hw *h,
		    const struct iommu_unit *u)
{
	const struct platform *pl = r->p->plat;

	memset(h, 0, sizeof(*h));
	h->plat = pl;
	h->pm = &r->pm;
	h->base = u->phys_addr;
	h->cap = pl->mmio_read64(h->base + VTD_REG_CAP);
	h->ecap = pl->mmio_read64(h->base + VTD_REG_ECAP);
	h->hz = pl->tsc_hz ? pl->tsc_hz : DEFAULT_HZ;
	h->queue = pl->work.start;
	h->status = pl->work.start + PAGE_4K;
}

/*
 * dma.live, run again into a scratch report: it must not fail.  The
 * device's read (and, with a canary, its copy) goes through whatever the
 * unit holds right now.
 */
static int dma_proof(struct rehearsal *r, const struct restore_hw *h,
		     const char *when)
{
	struct probe *t = malloc(sizeof(*t));
	const struct check_result *res;
	uint32_t fsts;
	int ret = 0;
	uint64_t t0;

	if (!t) {
		check_fail(&r->p->rep, CK_VTD_RESTORE, "out of memory for the DMA proof %s", when);
		return -1;
	}
	t0 = r->p->plat->tsc();
	*t = *r->p;
	report_init(&t->rep);
	dma_live_run(t);
	r->proof_ticks += r->p->plat->tsc() - t0;
	res = &t->rep.r[CK_DMA_LIVE];
	if (res->status == CHECK_FAIL) {
		check_fail(&r->p->rep, CK_VTD_RESTORE, "DMA %s failed: %s", when,
			   res->detail);
		note(r, "DMA %s: FAIL: %s", when, res->detail);
		ret = -1;
	} else if (res->status == CHECK_PASS) {
		r->proofs++;
		note(r, "DMA %s: dma.live pass", when);
	} else {
		r->proof_skips++;
		snprintf(r->proof_note, sizeof(r->proof_note), "%s", res->detail);
		note(r, "DMA %s: dma.live skipped: %s", when, res->detail);
	}
	free(t);
	if (h) {
		fsts = restore_fsts(h);
		if (!ret && fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO | VTD_FSTS_IQE)) {
			check_fail(&r->p->rep, CK_VTD_RESTORE,
				   "unit %#llx: FSTS %#x %s: a fault or queue error appeared",
				   (unsigned long long)h->base, fsts, when);
			ret = -1;
		}
	}
	if (ret)
		r->failed = true;
	return ret;
}

/* Can the next kernel take this unit over?  NULL, or why not. */
static const char *refusal(struct rehearsal *r, const struct iommu_unit *u,
			   char *buf, size_t len)
{
	unsigned long long base = u->phys_addr;
	struct restore_hw h;
	uint32_t gsts, fsts;
	uint64_t rt, head, tail;
	unsigned int want_ttm = u->scalable ? VTD_TTM_SCALABLE : VTD_TTM_LEGACY;

	if (!unit_drhd(r->p, u)) {
		snprintf(buf, len, "unit %#llx: no DRHD registers read for it", base);
		return buf;
	}
	hw_init(r, &h, u);
	gsts = restore_gsts(&h);
	rt = restore_rtaddr(&h);
	fsts = restore_fsts(&h);
	if (!(gsts & VTD_GSTS_TES)) {
		snprintf(buf, len,
			 "translation is off on unit %#llx (GSTS %#x): DMA already bypasses the preserved tables",
			 base, gsts);
		return buf;
	}
	if (!(gsts & VTD_GSTS_RTPS) || (rt & VTD_PTR_MASK) != u->root_table) {
		snprintf(buf, len,
			 "unit %#llx translates through root table %#llx, not the preserved %#llx (GSTS %#x)",
			 base, (unsigned long long)(rt & VTD_PTR_MASK),
			 (unsigned long long)u->root_table, gsts);
		return buf;
	}
	if (VTD_RTADDR_TTM(rt) != want_ttm) {
		snprintf(buf, len, "unit %#llx: RTADDR TTM %u, but the preserved tables are %s",
			 base, (unsigned int)VTD_RTADDR_TTM(rt),
			 u->scalable ? "scalable-mode" : "legacy");
		return buf;
	}
	if (!VTD_ECAP_QI(h.ecap)) {
		snprintf(buf, len, "unit %#llx has no queued invalidation (ECAP %#llx)",
			 base, (unsigned long long)h.ecap);
		return buf;
	}
	/* QEMU hides IQA.DW: Linux uses 256-bit descriptors iff ECAP.SMTS. */
	if (gsts & VTD_GSTS_QIES &&
	    restore_queue_drain(&h, VTD_ECAP_SMTS(h.ecap), DRAIN_MS)) {
		restore_queue_pos(&h, VTD_ECAP_SMTS(h.ecap), &head, &tail);
		snprintf(buf, len,
			 "invalidation queue of unit %#llx does not drain: IQH %llu, IQT %llu after %u ms%s",
			 base, (unsigned long long)head, (unsigned long long)tail,
			 DRAIN_MS, restore_fsts(&h) & VTD_FSTS_IQE ?
			 ", FSTS.IQE set" : "");
		return buf;
	}
	if (fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO | VTD_FSTS_IQE)) {
		snprintf(buf, len, "unit %#llx: FSTS %#x: %s pending", base, fsts,
			 fsts & VTD_FSTS_IQE ? "an invalidation queue error" :
			 "a DMAR fault");
		return buf;
	}
	return NULL;
}

static bool platform_usable(const struct platform *pl, const char **why)
{
	if (!pl->mmio_write32 || !pl->mmio_write64 || !pl->phys_write ||
	    !pl->tsc) {
		*why = "the platform cannot write registers or memory";
		return false;
	}
	if (pl->work.end < pl->work.start + RESTORE_WORK_BYTES ||
	    pl->work.start & PAGE_MASK_4K) {
		*why = "the platform gives no page-aligned 8 KiB of its own for a queue";
		return false;
	}
	return true;
}

/* The first other check that failed, or NULL. */
static const char *other_failure(const struct probe *p)
{
	for (int i = 0; i < CK_COUNT; i++)
		if (i != CK_VTD_RESTORE && i != CK_CHAIN_INTACT &&
		    p->rep.r[i].status == CHECK_FAIL)
			return check_name(i);
	return NULL;
}

static int step(struct rehearsal *r, const struct restore_hw *h, int err,
		const char *what, const char *why)
{
	if (err) {
		check_fail(&r->p->rep, CK_VTD_RESTORE, "unit %#llx: %s: %s",
			   (unsigned long long)h->base, what, why);
		note(r, "unit %#llx: %s: FAILED: %s", (unsigned long long)h->base,
		     what, why);
		r->failed = true;
		return -1;
	}
	note(r, "unit %#llx: %s", (unsigned long long)h->base, what);
	return 0;
}

/* The register part of the takeover on one unit. */
static int take_over(struct rehearsal *r, const struct iommu_unit *u)
{
	struct restore_hw h;
	const char *why = "";
	unsigned int ttm = u->scalable ? VTD_TTM_SCALABLE : VTD_TTM_LEGACY;
	bool qi_was_on;
	char what[96];
	int err;

	hw_init(r, &h, u);
	qi_was_on = restore_gsts(&h) & VTD_GSTS_QIES;
	if (qi_was_on) {
		err = restore_qi_stop(&h, &why);
		if (step(r, &h, err, "inherited queue drained, QI disabled", why) ||
		    dma_proof(r, &h, "with QI disabled"))
			return -1;
	}
	snprintf(what, sizeof(what), "own queue at %#llx (%s descriptors), IQT 0, QI enabled",
		 (unsigned long long)h.queue, VTD_ECAP_SMTS(h.ecap) ? "256-bit" : "128-bit");
	err = restore_qi_start(&h, &why);
	if (step(r, &h, err, what, why) ||
	    dma_proof(r, &h, "on our queue"))
		return -1;
	snprintf(what, sizeof(what), "RTADDR %#llx TTM %u, SRTP, translation still on",
		 (unsigned long long)u->root_table, ttm);
	err = restore_set_root(&h, u->root_table, ttm, &why);
	if (step(r, &h, err, what, why) ||
	    dma_proof(r, &h, "after SRTP"))
		return -1;
	err = restore_invalidate(&h, u->scalable, &why);
	snprintf(what, sizeof(what), err ?
		 "global context-cache%s and IOTLB invalidation with a wait" :
		 "global context-cache%s and IOTLB invalidation, wait status %u written",
		 u->scalable ? ", PASID-cache" : "", h.seq);
	if (step(r, &h, err, what, why) ||
	    dma_proof(r, &h, "after the invalidations"))
		return -1;
	if (!qi_was_on) {
		err = restore_qi_stop(&h, &why);
		if (!err)
			restore_qi_reset_tail(&h);
		if (step(r, &h, err, "QI disabled again and IQT 0, as found on entry", why) ||
		    dma_proof(r, &h, "with QI off again"))
			return -1;
	}
	if (!(restore_gsts(&h) & VTD_GSTS_TES) ||
	    (restore_rtaddr(&h) & VTD_PTR_MASK) != u->root_table) {
		check_fail(&r->p->rep, CK_VTD_RESTORE,
			   "unit %#llx: after the takeover GSTS %#x, RTADDR %#llx",
			   (unsigned long long)h.base, restore_gsts(&h),
			   (unsigned long long)restore_rtaddr(&h));
		r->failed = true;
		return -1;
	}
	return 0;
}

static int check_all_units(struct rehearsal *r)
{
	const struct iommu_state *s = &r->p->iommu;
	char buf[CHECK_DETAIL_LEN];
	const char *why;
	unsigned int n = 0;

	for (size_t i = 0; i < s->nunit; i++) {
		if (!s->unit[i].live)
			continue;
		n++;
		why = refusal(r, &s->unit[i], buf, sizeof(buf));
		if (why) {
			check_fail(&r->p->rep, CK_VTD_RESTORE, "takeover refused: %s", why);
			note(r, "refused: %s", why);
			return -1;
		}
	}
	if (!n) {
		check_skip(&r->p->rep, CK_VTD_RESTORE, "no live preserved unit");
		return -1;
	}
	return 0;
}

static int model_takeover(struct rehearsal *r, struct restore_claims *c,
			  unsigned int *ndid)
{
	const struct iommu_state *s = &r->p->iommu;
	char why[CHECK_DETAIL_LEN];
	unsigned int n;

	if (restore_claim_all(r->p, c)) {
		check_fail(&r->p->rep, CK_VTD_RESTORE,
			   "KHO claim refused (%u of them): %s", c->nbad, c->first_bad);
		note(r, "claims: %u refused, first: %s", c->nbad, c->first_bad);
		return -1;
	}
	note(r, "claims: %llu preserved blocks (%llu KiB) claimed once each at their recorded order",
	     (unsigned long long)c->pages, (unsigned long long)(c->bytes >> 10));
	*ndid = 0;
	for (size_t i = 0; i < s->nunit; i++) {
		if (!s->unit[i].live)
			continue;
		if (restore_reserve_dids(r->p, i, &n, why, sizeof(why))) {
			check_fail(&r->p->rep, CK_VTD_RESTORE, "unit %#llx: %s",
				   (unsigned long long)s->unit[i].phys_addr, why);
			note(r, "DIDs: unit %#llx: %s",
			     (unsigned long long)s->unit[i].phys_addr, why);
			return -1;
		}
		note(r, "DIDs: unit %#llx: %u reserved, within CAP.ND, one per domain",
		     (unsigned long long)s->unit[i].phys_addr, n);
		*ndid += n;
	}
	return 0;
}

static void rehearse(struct rehearsal *r)
{
	struct probe *p = r->p;
	const struct iommu_state *s = &p->iommu;
	struct restore_claims c;
	const char *why, *other;
	unsigned int ndid = 0, nunit = 0;
	uint64_t t0, ticks, hz;

	if (!s->present || !s->model_ok) {
		check_skip(&p->rep, CK_VTD_RESTORE, "no preserved IOMMU state");
		return;
	}
	if (!platform_usable(p->plat, &why)) {
		check_skip(&p->rep, CK_VTD_RESTORE, "%s", why);
		return;
	}
	if (check_all_units(r))
		return;
	other = other_failure(p);
	if (other) {
		check_skip(&p->rep, CK_VTD_RESTORE,
			   "not rehearsed: %s failed, and the takeover assumes a sound handover",
			   other);
		note(r, "not rehearsed: %s failed", other);
		return;
	}
	if (model_takeover(r, &c, &ndid) || dma_proof(r, NULL, "before the takeover"))
		return;
	t0 = p->plat->tsc();
	r->proof_ticks = 0;
	for (size_t i = 0; i < s->nunit; i++) {
		if (!s->unit[i].live)
			continue;
		if (take_over(r, &s->unit[i]))
			return;
		nunit++;
	}
	hz = p->plat->tsc_hz ? p->plat->tsc_hz : DEFAULT_HZ;
	ticks = p->plat->tsc() - t0;
	note(r, "takeover of %u unit(s): %llu us, of which DMA proofs %llu us",
	     nunit, (unsigned long long)(ticks * 1000000 / hz),
	     (unsigned long long)(r->proof_ticks * 1000000 / hz));
	if (r->proofs)
		check_pass(&p->rep, CK_VTD_RESTORE,
			   "%u unit(s) taken over (queue, SRTP, invalidations), %llu blocks claimed, %u DID(s) reserved; dma.live passed at all %u points",
			   nunit, (unsigned long long)c.pages, ndid, r->proofs);
	else
		check_pass(&p->rep, CK_VTD_RESTORE,
			   "%u unit(s) taken over, %llu blocks claimed, %u DID(s) reserved; no DMA proof: %s",
			   nunit, (unsigned long long)c.pages, ndid, r->proof_note);
}

void vtd_restore_run(struct probe *p)
{
	struct rehearsal r;

	if (!p->restore_hw) {
		check_skip(&p->rep, CK_VTD_RESTORE,
			   "restore rehearsal not requested (khoprobe.restore=hw)");
		return;
	}
	if (!p->plat) {
		check_skip(&p->rep, CK_VTD_RESTORE, "payload only (offline)");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.p = p;
	r.pm = *p->pm;
	r.pm.on_read = NULL;
	r.log = calloc(1, sizeof(*r.log));
	if (!r.log) {
		check_fail(&p->rep, CK_VTD_RESTORE, "out of memory");
		return;
	}
	vtd_restore_release(p);
	p->restore = r.log;
	rehearse(&r);
}

void vtd_restore_summary(struct out *o, const struct probe *p)
{
	const struct restore_log *l = p->restore;

	if (!l)
		return;
	for (unsigned int i = 0; i < l->n; i++)
		out_printf(o, "restore: %s\n", l->line[i]);
	if (l->dropped)
		out_printf(o, "restore: %u more steps not shown\n", l->dropped);
}

void vtd_restore_release(struct probe *p)
{
	free(p->restore);
	p->restore = NULL;
}
