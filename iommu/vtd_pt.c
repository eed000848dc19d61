// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page-table walker: second-stage (vtdss) and first-stage (x86-64)
 * tables of 3 to 5 levels with 4 KiB, 2 MiB and 1 GiB leaves, turned into
 * merged IOVA → PA runs.  vtd.page-tables.
 *
 * Speed is the point: a 64 GiB domain of 4 KiB pages has 16 million PTEs.
 * Each table page is read once with one 4 KiB phys_read; the leaf loop does
 * a load, a mask test and a run extension per entry, nothing else.  No
 * per-PTE lookups: table pages are checked against the preserved set after
 * the walk, by sorting the visited pages and asking the set's forward head
 * cursor about each in address order (the sort also finds pages reached
 * twice); leaves are checked as runs (vtd_leaf.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_int.h"
#include "vtd_defs.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the PTE loads assume a little-endian host"
#endif

#define MAX_LEVELS	5
#define MAX_REPORTS	24	/* failure lines per domain before going quiet */

struct visit {
	uint64_t pa;
	uint32_t dom;
	uint8_t level;
};

struct walker {
	struct probe *p;
	struct iommu_domain *d;
	uint32_t dom_idx;
	enum vtd_fmt fmt;
	unsigned int top;
	bool sign_extend;
	uint8_t *buf[MAX_LEVELS];
	struct visit *vis;
	size_t nvis, capvis;
	uint64_t budget;
	bool over_budget;
	uint64_t vis_lost;	/* visits not recorded: out of memory */
	unsigned int nreport;
	/* the open run */
	uint64_t r_iova, r_pa, r_len;
	uint8_t r_perm;
	uint64_t nptes;
};

const char *vtd_fmt_name(enum vtd_fmt f)
{
	return f == VTD_FMT_SS ? "second-stage" :
	       f == VTD_FMT_FS ? "first-stage" : "unknown-format";
}

static void pt_fail(struct walker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void pt_fail(struct walker *w, const char *fmt, ...)
{
	char msg[CHECK_DETAIL_LEN];
	va_list ap;

	if (w->nreport++ >= MAX_REPORTS) {
		/* keep the count honest without flooding the report */
		check_fail(&w->p->rep, CK_VTD_PAGE_TABLES, "%s",
			   "(further page-table faults)");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	check_fail(&w->p->rep, CK_VTD_PAGE_TABLES, "domain 0x%llx: %s",
		   (unsigned long long)w->d->slot, msg);
}

static bool run_grow(struct walker *w);

/* Close the open run: the common case inline, growth out of line. */
static inline void run_flush(struct walker *w)
{
	struct iommu_domain *d = w->d;

	if (!w->r_len)
		return;
	if (__builtin_expect(d->nrun == d->caprun, 0) && !run_grow(w))
		return;
	d->run[d->nrun++] = (struct vtd_run){ w->r_iova, w->r_pa, w->r_len,
					      w->r_perm };
	d->mapped += w->r_len;
	if (w->r_pa + w->r_len > d->max_pa)
		d->max_pa = w->r_pa + w->r_len;
	w->r_len = 0;
}

/* Room for more runs; without it the run is counted as mapped but lost. */
static bool run_grow(struct walker *w)
{
	struct iommu_domain *d = w->d;
	size_t cap = d->caprun ? 2 * d->caprun : 16;
	struct vtd_run *n = realloc(d->run, cap * sizeof(*n));

	if (!n) {
		d->runs_lost++;
		d->mapped += w->r_len;
		w->r_len = 0;
		return false;
	}
	d->run = n;
	d->caprun = cap;
	return true;
}

static inline void emit(struct walker *w, uint64_t iova, uint64_t pa,
			uint64_t len, uint8_t perm)
{
	if (w->r_len && iova == w->r_iova + w->r_len &&
	    pa == w->r_pa + w->r_len && perm == w->r_perm) {
		w->r_len += len;
		return;
	}
	run_flush(w);
	w->r_iova = iova;
	w->r_pa = pa;
	w->r_len = len;
	w->r_perm = perm;
}

static inline uint64_t load64(const uint8_t *b)
{
	uint64_t v;

	memcpy(&v, b, 8);
	return v;
}

/* ---- entry classification (slow path: everything but clean 4K leaves) -- */

enum ent { ENT_SKIP, ENT_TABLE, ENT_LEAF };

static enum ent classify_ss(struct walker *w, uint64_t e, unsigned int level,
			    uint64_t pa_of_table, unsigned int idx,
			    uint64_t *oa, uint8_t *perm)
{
	uint64_t b = e & ~SS_SW;
	bool leaf = level == 0 || (b & SS_PS);

	if (!(b & (SS_R | SS_W))) {
		pt_fail(w, "entry 0x%llx at table 0x%llx[%u] (level %u) is "
			"non-zero with R=W=0", (unsigned long long)e,
			(unsigned long long)pa_of_table, idx, level);
		return ENT_SKIP;
	}
	if (b & SS_RSVD)
		pt_fail(w, "entry 0x%llx at table 0x%llx[%u] has reserved "
			"bits 0x%llx", (unsigned long long)e,
			(unsigned long long)pa_of_table, idx,
			(unsigned long long)(b & SS_RSVD));
	if (b & SS_PS && (level == 0 || level > 2)) {
		pt_fail(w, "PS set at level %u in table 0x%llx[%u]: large "
			"pages exist only at levels 1-2", level,
			(unsigned long long)pa_of_table, idx);
		if (level > 2)
			return ENT_SKIP;
	}
	if (!leaf && b & (SS_D | SS_SNP))
		pt_fail(w, "table entry 0x%llx at 0x%llx[%u] has D or SNP set",
			(unsigned long long)e, (unsigned long long)pa_of_table,
			idx);
	*oa = b & VTD_ADDR_MASK;
	*perm = (uint8_t)(b & 3);
	return leaf ? ENT_LEAF : ENT_TABLE;
}

static enum ent classify_fs(struct walker *w, uint64_t e, unsigned int level,
			    uint64_t pa_of_table, unsigned int idx,
			    uint64_t *oa, uint8_t *perm)
{
	bool leaf = level == 0 || (e & FS_PS);

	if (!(e & FS_P)) {
		pt_fail(w, "entry 0x%llx at table 0x%llx[%u] (level %u) is "
			"non-zero but not present", (unsigned long long)e,
			(unsigned long long)pa_of_table, idx, level);
		return ENT_SKIP;
	}
	if (e & FS_PS && level > 2) {
		pt_fail(w, "PS set at level %u in table 0x%llx[%u]", level,
			(unsigned long long)pa_of_table, idx);
		return ENT_SKIP;
	}
	if (!leaf && (e & FS_TABLE_BITS) != FS_TABLE_BITS)
		pt_fail(w, "table entry 0x%llx at 0x%llx[%u] lacks P|RW|U|A",
			(unsigned long long)e, (unsigned long long)pa_of_table,
			idx);
	*oa = e & VTD_ADDR_MASK;
	if (leaf && level)
		*oa &= ~FS_PAT_LARGE;
	*perm = (uint8_t)(1 | (e & FS_RW ? 2 : 0));
	return leaf ? ENT_LEAF : ENT_TABLE;
}

static void leaf_slow(struct walker *w, uint64_t e, unsigned int level,
		      uint64_t table, unsigned int idx, uint64_t iova)
{
	uint64_t oa, size = 1ull << (12 + 9 * level);
	uint8_t perm;
	enum ent k = w->fmt == VTD_FMT_SS ?
		classify_ss(w, e, level, table, idx, &oa, &perm) :
		classify_fs(w, e, level, table, idx, &oa, &perm);

	if (k != ENT_LEAF)
		return;
	if (oa & (size - 1)) {
		pt_fail(w, "%s leaf at table 0x%llx[%u] (IOVA 0x%llx) has "
			"output 0x%llx not aligned to its size",
			level == 2 ? "1 GiB" : level == 1 ? "2 MiB" : "4 KiB",
			(unsigned long long)table, idx,
			(unsigned long long)iova, (unsigned long long)oa);
		oa &= ~(size - 1);
	}
	w->nptes++;
	w->d->leaf_levels |= (uint8_t)(1u << level);
	emit(w, iova, oa, size, perm);
}

/* ---- the walk ----------------------------------------------------------- */

static void visit(struct walker *w, uint64_t pa, unsigned int level)
{
	if (w->nvis == w->capvis) {
		size_t cap = w->capvis ? 2 * w->capvis : 1024;
		struct visit *n = realloc(w->vis, cap * sizeof(*n));

		if (!n) {
			w->vis_lost++;
			return;
		}
		w->vis = n;
		w->capvis = cap;
	}
	w->vis[w->nvis++] = (struct visit){ pa, w->dom_idx, (uint8_t)level };
}

/*
 * A leaf table mapping one contiguous 2 MiB extent (a huge folio, or any
 * contiguous run) is entry i == entry 0 + i * 4 KiB in every bit: one
 * vectorisable pass proves that for all 512 entries, and entry 0 alone then
 * needs the field checks.  Returns false when the table is anything else.
 */
typedef uint64_t u64x2 __attribute__((vector_size(16)));

static bool leaf_table_contiguous(const uint8_t *b, uint64_t e0)
{
	u64x2 x = { e0, e0 + (1ull << 12) }, step = { 2ull << 12, 2ull << 12 };
	u64x2 d0 = { 0, 0 }, d1 = d0, d2 = d0, d3 = d0, d;

	if ((e0 & VTD_ADDR_MASK) > VTD_ADDR_MASK - (511ull << 12))
		return false;	/* the address would carry into flags */
	/* two entries a vector, four independent accumulators */
	for (unsigned int i = 0; i < 512; i += 8) {
		u64x2 a, c, e, f;

		memcpy(&a, b + 8 * i, 16);
		memcpy(&c, b + 8 * i + 16, 16);
		memcpy(&e, b + 8 * i + 32, 16);
		memcpy(&f, b + 8 * i + 48, 16);
		d0 |= a ^ x;
		x += step;
		d1 |= c ^ x;
		x += step;
		d2 |= e ^ x;
		x += step;
		d3 |= f ^ x;
		x += step;
	}
	d = d0 | d1 | d2 | d3;
	return (d[0] | d[1]) == 0;
}

/* The hot loop: a 4 KiB-leaf table, clean entries inline. */
static void walk_leaf_table(struct walker *w, const uint8_t *b, uint64_t pa,
			    uint64_t base)
{
	const uint64_t bad = w->fmt == VTD_FMT_SS ? SS_RSVD | SS_PS : FS_PS;
	const uint64_t sw = w->fmt == VTD_FMT_SS ? SS_SW : 0;
	const uint64_t need = w->fmt == VTD_FMT_SS ? 0 : FS_P;
	uint64_t r_iova, r_pa, r_len;
	uint8_t r_perm;
	uint64_t n = 0, e0 = load64(b), v0 = e0 & ~sw, expect = 0;

	if (e0 && !(v0 & bad) && (v0 & 3) && (v0 & need) == need &&
	    leaf_table_contiguous(b, e0)) {
		w->nptes += 512;
		w->d->leaf_levels |= 1;
		emit(w, base, v0 & VTD_ADDR_MASK, 512ull << 12,
		     w->fmt == VTD_FMT_SS ? (uint8_t)(v0 & 3) :
					    (uint8_t)(1 | (v0 & FS_RW)));
		return;
	}
	r_iova = w->r_iova, r_pa = w->r_pa, r_len = w->r_len;
	r_perm = w->r_perm;

	/*
	 * @expect is what entry i must be to continue the open run: the
	 * previous clean entry plus 4 KiB, every other bit equal (so equally
	 * clean).  One compare per PTE inside a run; 0 means no run to extend.
	 */
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t e = load64(b + 8 * i), v, oa, iova;
		uint8_t perm;

		if (!e) {
			expect = 0;
			continue;
		}
		if (e == expect) {
			r_len += 4096;
			expect += 4096;
			n++;
			continue;
		}
		v = e & ~sw;
		if (__builtin_expect((v & bad) || !(v & 3) || (v & need) != need,
				     0)) {
			w->r_iova = r_iova, w->r_pa = r_pa, w->r_len = r_len;
			w->r_perm = r_perm;
			leaf_slow(w, e, 0, pa, i, base + ((uint64_t)i << 12));
			r_iova = w->r_iova, r_pa = w->r_pa, r_len = w->r_len;
			r_perm = w->r_perm;
			expect = 0;
			continue;
		}
		n++;
		oa = v & VTD_ADDR_MASK;
		iova = base + ((uint64_t)i << 12);
		perm = w->fmt == VTD_FMT_SS ? (uint8_t)(v & 3) :
					      (uint8_t)(1 | (v & FS_RW));
		/* no carry out of the address field into the flag bits */
		expect = oa < VTD_ADDR_MASK - 4095 ? e + 4096 : 0;
		if (r_len && iova == r_iova + r_len && oa == r_pa + r_len &&
		    perm == r_perm) {
			r_len += 4096;
			continue;
		}
		w->r_iova = r_iova, w->r_pa = r_pa, w->r_len = r_len;
		w->r_perm = r_perm;
		run_flush(w);
		r_iova = iova, r_pa = oa, r_len = 4096, r_perm = perm;
	}
	w->r_iova = r_iova, w->r_pa = r_pa, w->r_len = r_len;
	w->r_perm = r_perm;
	w->nptes += n;
	if (n)
		w->d->leaf_levels |= 1;
}

static void walk_table(struct walker *w, uint64_t pa, unsigned int level,
		       uint64_t base)
{
	uint8_t *b = w->buf[level];
	const char *why;

	if (w->over_budget)
		return;
	if (w->budget-- == 0) {
		w->over_budget = true;
		pt_fail(w, "walk exceeds the number of preserved blocks at "
			"table 0x%llx: tables are shared or cyclic",
			(unsigned long long)pa);
		return;
	}
	visit(w, pa, level);
	w->d->ntables++;
	if (pa + PAGE_4K > w->d->max_pa)
		w->d->max_pa = pa + PAGE_4K;
	if (phys_read(w->p->pm, pa, b, PAGE_4K, &why)) {
		pt_fail(w, "level-%u table 0x%llx unreadable: %s", level,
			(unsigned long long)pa, why);
		return;
	}
	if (level == 0) {
		walk_leaf_table(w, b, pa, base);
		return;
	}
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t e = load64(b + 8 * i), oa, iova;
		unsigned int shift = 12 + 9 * level;
		uint8_t perm;
		enum ent k;

		if (!e)
			continue;
		iova = base + ((uint64_t)i << shift);
		if (level == w->top && w->sign_extend && i >= 256)
			iova |= ~0ull << (shift + 9);
		k = w->fmt == VTD_FMT_SS ?
			classify_ss(w, e, level, pa, i, &oa, &perm) :
			classify_fs(w, e, level, pa, i, &oa, &perm);
		if (k == ENT_LEAF) {
			leaf_slow(w, e, level, pa, i, iova);
		} else if (k == ENT_TABLE) {
			w->nptes++;
			walk_table(w, oa, level - 1, iova);
			/* the child overwrote nothing of ours: own buffer */
		}
	}
}

/*
 * LSD radix sort of the visits by PA, 8 bits a pass, skipping the bytes
 * every key shares: a few linear passes instead of a comparison sort.
 */
static int sort_visits(struct visit *v, size_t n)
{
	struct visit *src = v, *dst, *tmp;
	uint64_t all_or = 0, all_and = ~0ull;
	bool sorted = true;

	for (size_t i = 0; i < n; i++) {
		all_or |= v[i].pa;
		all_and &= v[i].pa;
		if (i && v[i].pa < v[i - 1].pa)
			sorted = false;
	}
	if (sorted)
		return 0;	/* tables allocated in walk order */
	tmp = dst = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -1;
	for (unsigned int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };
		struct visit *t;

		if (!(((all_or ^ all_and) >> shift) & 0xff))
			continue;	/* this byte is the same in every key */
		for (size_t i = 0; i < n; i++)
			count[((src[i].pa >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i].pa >> shift) & 0xff]++] = src[i];
		t = src, src = dst, dst = t;	/* ping-pong */
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
	return 0;
}

/* Sorted visits against the sorted preserved runs: one merge. */
static void check_visited(struct probe *p, struct visit *v, size_t n)
{
	struct iommu_state *s = &p->iommu;
	struct pset_cursor cur;
	unsigned int nbad = 0;

	if (sort_visits(v, n))
		return;
	pset_cursor_init(&cur, &p->kho.preserved);
	for (size_t i = 0; i < n; i++) {
		unsigned long long pa = v[i].pa;

		if (i && v[i].pa == v[i - 1].pa) {
			if (nbad++ >= MAX_REPORTS)
				continue;
			if (v[i].dom == v[i - 1].dom)
				check_fail(&p->rep, CK_VTD_PAGE_TABLES,
					   "table page 0x%llx is reached twice in "
					   "domain 0x%llx: cycle or shared table",
					   pa, (unsigned long long)s->dom[v[i].dom].slot);
			else
				check_fail(&p->rep, CK_VTD_PAGE_TABLES,
					   "table page 0x%llx is shared by domains "
					   "0x%llx and 0x%llx", pa,
					   (unsigned long long)s->dom[v[i - 1].dom].slot,
					   (unsigned long long)s->dom[v[i].dom].slot);
			continue;
		}
		if (pset_cursor_head(&cur, v[i].pa))
			continue;
		if (nbad++ < MAX_REPORTS)
			check_fail(&p->rep, CK_VTD_PAGE_TABLES,
				   "level-%u table page 0x%llx of domain 0x%llx "
				   "is not a preserved page", v[i].level, pa,
				   (unsigned long long)s->dom[v[i].dom].slot);
	}
}

static bool walkable(struct probe *p, struct iommu_domain *d)
{
	if (!d->live || !d->ndev)
		return false;
	if (d->fmt == VTD_FMT_NONE)
		return false;
	if (!d->top_table_phys || d->top_table_phys & PAGE_MASK_4K)
		return false;
	if (d->top_level > 4 || d->top_level < (d->fmt == VTD_FMT_FS ? 3u : 2u)) {
		check_fail(&p->rep, CK_VTD_PAGE_TABLES,
			   "domain 0x%llx: top_level %llu cannot be walked as "
			   "%s", (unsigned long long)d->slot,
			   (unsigned long long)d->top_level,
			   vtd_fmt_name(d->fmt));
		return false;
	}
	return true;
}

void vtd_walk_domains(struct probe *p)
{
	struct iommu_state *s = &p->iommu;
	struct walker w;
	size_t nwalked = 0;

	memset(&w, 0, sizeof(w));
	w.p = p;
	/*
	 * Each table page of a valid handover is its own preserved block,
	 * visited once: more visits than blocks means sharing or a cycle.
	 */
	w.budget = p->kho.preserved.nblocks + 1024;
	for (int l = 0; l < MAX_LEVELS; l++) {
		w.buf[l] = malloc(PAGE_4K);
		if (!w.buf[l])
			goto out;
	}
	for (size_t i = 0; i < s->ndom; i++) {
		struct iommu_domain *d = &s->dom[i];
		char id[32], to[32];

		if (!walkable(p, d))
			continue;
		w.d = d;
		w.dom_idx = (uint32_t)i;
		w.fmt = d->fmt;
		w.top = (unsigned int)d->top_level;
		w.sign_extend = d->fmt == VTD_FMT_FS && d->sign_extend;
		w.nreport = 0;
		w.r_len = 0;
		w.nptes = 0;
		walk_table(&w, d->top_table_phys, w.top, 0);
		run_flush(&w);
		d->walked = true;
		d->levels = w.top + 1;
		d->nptes = w.nptes;
		s->nptes += w.nptes;
		s->ntables += d->ntables;
		s->nruns += d->nrun;
		s->mapped += d->mapped;
		nwalked++;
		explain(p, "domain 0x%llx: %s, %u levels from 0x%llx: %llu "
			"table page(s), %llu PTEs, %zu run(s), %llu bytes "
			"mapped", (unsigned long long)d->slot,
			vtd_fmt_name(d->fmt), d->levels,
			(unsigned long long)d->top_table_phys,
			(unsigned long long)d->ntables,
			(unsigned long long)d->nptes, d->nrun,
			(unsigned long long)d->mapped);
		for (size_t k = 0; k < d->nrun && k < 8 && p->explain; k++)
			explain(p, "  IOVA 0x%llx..0x%llx -> PA 0x%llx..0x%llx %s",
				(unsigned long long)d->run[k].iova,
				(unsigned long long)(d->run[k].iova +
						     d->run[k].len - 1),
				(unsigned long long)d->run[k].pa,
				(unsigned long long)(d->run[k].pa +
						     d->run[k].len - 1),
				d->run[k].perm & 2 ? "read/write" : "read-only");
		if (d->nrun > 8)
			explain(p, "  ... %zu more run(s)", d->nrun - 8);
		snprintf(id, sizeof(id), "dom_%zu", i);
		snprintf(to, sizeof(to), "pt_%zu", i);
		dot_node(p, to, vtd_fmt_name(d->fmt));
		dot_edge(p, id, to, "top_table_phys");
	}
	check_visited(p, w.vis, w.nvis);
	if (w.vis_lost)
		check_fail(&p->rep, CK_VTD_PAGE_TABLES,
			   "out of memory: %llu table page(s) walked but not "
			   "checked against the preserved set",
			   (unsigned long long)w.vis_lost);
	check_done(&p->rep, CK_VTD_PAGE_TABLES, "%zu domain(s), %llu table "
		   "page(s), %llu PTEs", nwalked,
		   (unsigned long long)s->ntables,
		   (unsigned long long)s->nptes);
out:
	for (int l = 0; l < MAX_LEVELS; l++)
		free(w.buf[l]);
	free(w.vis);
}
