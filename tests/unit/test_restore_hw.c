// SPDX-License-Identifier: GPL-2.0-only
/*
 * The register half of the restore rehearsal against a fake VT-d unit that
 * holds khoprobe to the rules QEMU and the spec impose: 32-bit registers
 * only 4 bytes wide, GCMD writes that never carry a one-shot bit other
 * than the one meant and never clear TE, QI enabled only with IQT = 0 and
 * disabled only with an empty queue whose last descriptor was a wait, no
 * wait descriptor with IF, no register-based invalidation.  The fake
 * processes the queue like QEMU (synchronously on an IQT write) and
 * stops on an unknown descriptor (FSTS.IQE).  Good paths in legacy and
 * scalable mode, with and without a queue on entry; refusals and failures
 * (jammed queue, ignored disable, lost status write, translation off,
 * another check failed) end within the bound with the reason and, where
 * the takeover must not start, without a single register write.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/probe.h"
#include "../../iommu/restore.h"
#include "../producer/gmem.h"
#include "../producer/vtd_build.h"
#include "../producer/vtd_mem.h"
#include "../producer/vtd_probe.h"
#include "../tap.h"

#define REG0	0xfed90000ull
#define WORK	0x02000000ull	/* the payload's own pages (not preserved) */
#define OLDQ	0x03000000ull	/* the old kernel's queue */
#define MIB	(1ull << 20)

#define GCMD_TE		(1u << 31)
#define GCMD_SRTP	(1u << 30)
#define GCMD_ONESHOT	((1u << 30) | (1u << 29) | (1u << 27) | (1u << 24))
#define GCMD_QIE	(1u << 26)

/* ---- the fake unit ------------------------------------------------------ */

static struct fake {
	struct gmem *g;
	uint32_t gsts, fsts;
	uint64_t cap, ecap, rtaddr, rtaddr_reg, iqa, iqh, iqt;
	unsigned int last_type;		/* last descriptor processed */
	bool drop_status;		/* never perform the status write */
	bool srtp_drops_te;		/* a unit that loses TE on SRTP */
	bool fault_on_inval;		/* a DMAR fault right after the wait */
	/* what khoprobe did */
	unsigned int bad_width, violations, writes, gcmd_writes, srtp;
	unsigned int ndesc, types;	/* bit t: a type-t descriptor ran */
	uint64_t tsc;
	char first_violation[120];
} fk;

static void violation(const char *what)
{
	if (!fk.violations++)
		snprintf(fk.first_violation, sizeof(fk.first_violation), "%s", what);
}

static unsigned int qshift(void)
{
	return fk.iqa & (1ull << 11) ? 5 : 4;
}

static void process_queue(void)
{
	unsigned int size = 1u << qshift();
	uint64_t base = fk.iqa & ~0xfffull;

	while (fk.iqh != fk.iqt && !(fk.fsts & 0x10)) {
		uint64_t d[2];
		unsigned int t;

		gmem_read(fk.g, base + (fk.iqh >> qshift()) * size, d, 16);
		t = d[0] & 0xf;
		if (t == 5 && d[0] & (1u << 4))
			violation("a wait descriptor with IF (aborts QEMU 7.2)");
		if (t == 5 && d[0] & (1u << 5) && !fk.drop_status)
			gmem_write_u32(fk.g, d[1] & ~3ull, (uint32_t)(d[0] >> 32));
		if (t == 5 && fk.fault_on_inval)
			fk.fsts |= 2;	/* PPF */
		if (t != 1 && t != 2 && t != 5 && t != 7) {
			fk.fsts |= 0x10;	/* IQE: head stays here */
			return;
		}
		fk.types |= 1u << t;
		fk.ndesc++;
		fk.last_type = t;
		fk.iqh += size;
	}
}

static void gcmd(uint32_t v)
{
	fk.gcmd_writes++;
	if (v & GCMD_ONESHOT & ~GCMD_SRTP)
		violation("GCMD write with SFL, WBF or SIRTP set");
	if ((fk.gsts & GCMD_TE) && !(v & GCMD_TE))
		violation("GCMD write clearing TE");
	if (v & GCMD_SRTP) {
		fk.srtp++;
		fk.rtaddr = fk.rtaddr_reg;
		fk.gsts |= 1u << 30;
		if (fk.srtp_drops_te)
			fk.gsts &= ~GCMD_TE;
	}
	if ((v & GCMD_QIE) && !(fk.gsts & GCMD_QIE)) {
		if (fk.iqt)
			violation("QI enabled with IQT != 0");
		fk.gsts |= GCMD_QIE;
		fk.iqh = 0;
	} else if (!(v & GCMD_QIE) && (fk.gsts & GCMD_QIE)) {
		if (fk.iqh == fk.iqt && fk.last_type == 5) {
			fk.gsts &= ~GCMD_QIE;
			fk.iqh = 0;
		}		/* else ignored, as QEMU does */
	}
}

static uint32_t rd32(uint64_t pa)
{
	switch (pa - REG0) {
	case 0x1c: return fk.gsts;
	case 0x34: return fk.fsts;
	case 0x38: return 1u << 31;
	}
	fk.bad_width++;
	return 0;
}

static uint64_t rd64(uint64_t pa)
{
	switch (pa - REG0) {
	case 0x08: return fk.cap;
	case 0x10: return fk.ecap;
	case 0x20: return fk.rtaddr;
	case 0x80: return fk.iqh;
	case 0x88: return fk.iqt;
	case 0x90: return fk.iqa;
	case 0x220: case 0x228: return 0;
	}
	fk.bad_width++;
	return 0;
}

static void wr32(uint64_t pa, uint32_t v)
{
	fk.writes++;
	if (pa - REG0 == 0x18)
		gcmd(v);
	else
		fk.bad_width++;
}

static void wr64(uint64_t pa, uint64_t v)
{
	fk.writes++;
	switch (pa - REG0) {
	case 0x20: fk.rtaddr_reg = v; return;
	case 0x88:
		fk.iqt = v;
		if (fk.gsts & GCMD_QIE)
			process_queue();
		return;
	case 0x90: fk.iqa = v; return;
	case 0x28: case 0xf8:
		violation("register-based invalidation");
		return;
	}
	fk.bad_width++;
}

static uint32_t pci_rd(unsigned int bdf, unsigned int off)
{
	return ~0u;	/* no edu: the DMA proofs skip */
}

static void pci_wr(unsigned int bdf, unsigned int off, uint32_t v)
{
}

static int pwrite(uint64_t pa, const void *buf, size_t len)
{
	if (pa < WORK || pa + len > WORK + RESTORE_WORK_BYTES) {
		violation("memory written outside the platform's work pages");
		return -1;
	}
	gmem_write(fk.g, pa, buf, len);
	return 0;
}

static uint64_t tsc(void)
{
	return fk.tsc += 1000;	/* 1 ms per 1000 reads at 1 MHz */
}

static const struct platform fake_plat = {
	.mmio_read32 = rd32, .mmio_read64 = rd64,
	.mmio_write32 = wr32, .mmio_write64 = wr64,
	.pci_read32 = pci_rd, .pci_write32 = pci_wr,
	.phys_write = pwrite, .tsc = tsc, .tsc_hz = 1000000,
	.work = { WORK, WORK + RESTORE_WORK_BYTES, "test" },
};

/* ---- a handover and the unit state the old kernel left ------------------ */

struct fx {
	struct gmem *g;
	struct pset ps;
	struct vtd_gmem vg;
	struct vtd_mem m;
	struct vtdb b;
	struct physmem pm;
	struct probe *p;
	uint64_t root;
};

enum { QI_OFF, QI_ON, QI_JAMMED, QI_NO_WAIT };

static void fx_run(struct fx *f, bool scalable, int qi, bool te)
{
	struct vtdb *b = &f->b;
	struct probe *p;
	uint64_t data, flb;
	int u, d;

	memset(f, 0, sizeof(*f));
	f->g = gmem_new();
	gmem_add_ram(f->g, 0x100000, 0x3ffe0000 - 0x100000);
	pset_init(&f->ps);
	vtd_mem_gmem(&f->m, &f->vg, f->g, &f->ps, 0x10000000, 0x2e000000);
	vtdb_init(b, &f->m, VTDB_C);
	u = vtdb_add_unit(b, REG0, scalable);
	d = vtdb_add_domain(b, VTDB_SS, 2);
	data = f->m.alloc_preserved(f->m.ctx, 9);
	vtdb_map(b, d, 0x100000, data, 2 * MIB, 4096, true);
	vtdb_add_device(b, u, d, 0x0010, 3);
	flb = vtdb_finish(b);
	f->root = b->unit[u].root;

	memset(&fk, 0, sizeof(fk));
	fk.g = f->g;
	fk.cap = 0x00d2008c22260206ull;
	fk.ecap = scalable ? 0x0000480080f00f4aull : 0x0000000000f00f4aull;
	fk.rtaddr = fk.rtaddr_reg = f->root | (scalable ? 1u << 10 : 0);
	fk.gsts = (te ? GCMD_TE : 0) | 1u << 30;
	if (qi != QI_OFF) {
		fk.gsts |= GCMD_QIE;
		fk.iqa = OLDQ | (scalable ? 1ull << 11 : 0);
		fk.iqh = fk.iqt = 3ull << qshift();
		fk.last_type = qi == QI_NO_WAIT ? 2 : 5;
		if (qi == QI_JAMMED) {
			fk.iqt += 1ull << qshift();
			fk.fsts = 0x10;
		}
	}

	p = vtd_probe_new(f->g, &f->pm, &f->ps, &fake_plat, vtdb_flb_name(b),
			  flb);
	iommu_run(p);
	/* The unit's registers, as iommu_hw_run would have matched them. */
	p->iommu.hw.ndrhd = 1;
	p->iommu.hw.drhd[0].base = REG0;
	p->iommu.hw.drhd[0].regs = true;
	p->iommu.hw.drhd[0].cap = fk.cap;
	p->iommu.unit[0].drhd = 0;
	p->restore_hw = true;
	f->p = p;
	fk.writes = fk.gcmd_writes = 0;
}

static void fx_free(struct fx *f)
{
	probe_release(f->p);
	free(f->p);
	pset_free(&f->ps);
	gmem_free(f->g);
}

static const struct check_result *res(const struct fx *f)
{
	return &f->p->rep.r[CK_VTD_RESTORE];
}

static void clean(const char *name)
{
	ok(!fk.bad_width, "%s: every register accessed at its width (%u wrong)",
	   name, fk.bad_width);
	ok(!fk.violations, "%s: no protocol violation%s%s", name,
	   fk.violations ? ": " : "", fk.first_violation);
}

static void test_good(bool scalable, int qi)
{
	char name[64];
	struct fx f;
	uint32_t st;

	snprintf(name, sizeof(name), "%s, QI %s", scalable ? "scalable" : "legacy",
		 qi == QI_ON ? "on" : "off");
	fx_run(&f, scalable, qi, true);
	vtd_restore_run(f.p);
	ok(res(&f)->status == CHECK_PASS &&
	   strstr(res(&f)->detail, "1 unit(s) taken over") &&
	   strstr(res(&f)->detail, "no DMA proof"),
	   "%s: vtd.restore passes: %s", name, res(&f)->detail);
	clean(name);
	is_u64(fk.srtp, 1, "%s: one SRTP", name);
	is_u64(fk.rtaddr, f.root | (scalable ? 1u << 10 : 0),
	       "%s: RTADDR is the preserved root with its TTM", name);
	ok(fk.gsts & GCMD_TE, "%s: translation still on", name);
	is_u64(fk.iqa, WORK | (scalable ? 1ull << 11 : 0),
	       "%s: our queue in the work page, %s descriptors", name,
	       scalable ? "256-bit" : "128-bit");
	is_u64(fk.types, (1u << 1) | (1u << 2) | (1u << 5) | (scalable ? 1u << 7 : 0),
	       "%s: context-cache, IOTLB%s and wait descriptors ran", name,
	       scalable ? ", PASID-cache" : "");
	gmem_read(f.g, WORK + 4096, &st, 4);
	ok(st == 1 && fk.iqh == fk.iqt && (qi == QI_ON || !fk.iqt),
	   "%s: the wait's status write arrived; queue empty (IQT back to 0 when QI was off)",
	   name);
	ok(!!(fk.gsts & GCMD_QIE) == (qi == QI_ON),
	   "%s: QI left %s, as found", name, qi == QI_ON ? "on" : "off");
	fx_free(&f);
}

/* Refused before the takeover: not one register write. */
static void test_refused(const char *name, bool scalable, int qi, bool te,
			 const char *want)
{
	struct fx f;

	fx_run(&f, scalable, qi, te);
	vtd_restore_run(f.p);
	ok(res(&f)->status == CHECK_FAIL && strstr(res(&f)->detail, want),
	   "%s: refused: %s", name, res(&f)->detail);
	is_u64(fk.writes, 0, "%s: no register written", name);
	ok(fk.tsc < 1000ull * 1000 * 10, "%s: gave up within the bound", name);
	fx_free(&f);
}

static void test_disable_ignored(void)
{
	struct fx f;

	fx_run(&f, false, QI_NO_WAIT, true);
	vtd_restore_run(f.p);
	ok(res(&f)->status == CHECK_FAIL &&
	   strstr(res(&f)->detail, "inherited queue drained, QI disabled: GSTS.QIES stayed set"),
	   "a queue whose last descriptor was no wait cannot be stopped: %s",
	   res(&f)->detail);
	ok(!fk.srtp && fk.iqa == OLDQ, "then nothing further: no SRTP, the old queue untouched");
	clean("ignored disable");
	fx_free(&f);
}

static void test_status_lost(void)
{
	struct fx f;

	fx_run(&f, true, QI_OFF, true);
	fk.drop_status = true;
	vtd_restore_run(f.p);
	ok(res(&f)->status == CHECK_FAIL &&
	   strstr(res(&f)->detail, "status write did not arrive within 100 ms"),
	   "a wait whose status write never lands fails within the bound: %s",
	   res(&f)->detail);
	clean("lost status write");
	fx_free(&f);
}

static void test_midway(void)
{
	struct fx f;

	fx_run(&f, false, QI_OFF, true);
	fk.srtp_drops_te = true;
	vtd_restore_run(f.p);
	ok(res(&f)->status == CHECK_FAIL &&
	   strstr(res(&f)->detail, "SRTP, translation still on: translation went off across SRTP"),
	   "a unit that drops translation on SRTP fails at that step: %s",
	   res(&f)->detail);
	is_u64(fk.types & (1u << 2), 0, "and the takeover stops there: no invalidation");
	fx_free(&f);

	fx_run(&f, true, QI_ON, true);
	fk.fault_on_inval = true;
	vtd_restore_run(f.p);
	ok(res(&f)->status == CHECK_FAIL &&
	   strstr(res(&f)->detail, "FSTS 0x2 after the invalidations: a fault or queue error appeared"),
	   "a DMAR fault after a step fails vtd.restore: %s", res(&f)->detail);
	fx_free(&f);
}

static void test_other_failed(void)
{
	struct fx f;

	fx_run(&f, false, QI_ON, true);
	check_fail(&f.p->rep, CK_KHO_SUBTREES, "test");
	vtd_restore_run(f.p);
	ok(res(&f)->status == CHECK_SKIP &&
	   strstr(res(&f)->detail, "not rehearsed: kho.subtrees failed"),
	   "another failed check: not rehearsed: %s", res(&f)->detail);
	is_u64(fk.writes, 0, "another failed check: no register written");
	fx_free(&f);
}

int main(void)
{
	test_good(false, QI_OFF);
	test_good(false, QI_ON);
	test_good(true, QI_OFF);
	test_good(true, QI_ON);
	test_refused("jammed queue", false, QI_JAMMED, true,
		     "does not drain: IQH 3, IQT 4 after 100 ms, FSTS.IQE set");
	test_refused("jammed 256-bit queue", true, QI_JAMMED, true,
		     "does not drain: IQH 3, IQT 4 after 100 ms, FSTS.IQE set");
	test_refused("translation off", false, QI_ON, false,
		     "takeover refused: translation is off on unit 0xfed90000");
	test_disable_ignored();
	test_status_lost();
	test_midway();
	test_other_failed();
	return done_testing();
}
