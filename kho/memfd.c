// SPDX-License-Identifier: GPL-2.0-only
/*
 * memfd.folios: a memfd-v1 file's data points at memfd_luo_ser {pos, size,
 * nr_folios, folios: kho_vmalloc {first, total_pages, flags, order}}.  The
 * vmalloc area is a chain of preserved chunk pages {next, pages[511]}
 * (zero-ended) listing 2^order-page blocks; concatenated they hold
 * nr_folios 16-byte records {pfn:52 | flags:12, index}.  Every folio must
 * be the head of a preserved block.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo_int.h"

#define MEMFD_SER_LEN		40
#define VMALLOC_FLAGS_KNOWN	0x3	/* ALLOC, HUGE_VMAP */
#define CHUNK_SLOTS		511
#define FOLIO_REC		16
#define MEMFD_MAX_PAGES		(1u << 20)	/* vmalloc area bound: 4 GiB */
#define MEMFD_MAX_REPORTS	8

struct memfd_walk {
	struct probe *p;
	struct luo_file *f;
	uint64_t *blk;		/* vmalloc blocks, in order */
	uint64_t nblk, pages, total_pages;
	unsigned int order;
};

static int fail(struct memfd_walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct memfd_walk *w, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	check_fail(&w->p->rep, CK_MEMFD_FOLIOS, "memfd token %llu: %s",
		   (unsigned long long)w->f->token, msg);
	return -1;
}

/* Collects the chunk chain's block list into w->blk. */
static int walk_chunks(struct memfd_walk *w, uint64_t chunk)
{
	struct probe *p = w->p;
	uint8_t *page = malloc(KHO_PAGE);
	struct u64set seen;
	int ret = 0;

	u64set_init(&seen);
	while (chunk && !ret) {
		if (!luo_spend(p, CK_MEMFD_FOLIOS, CHUNK_SLOTS)) {
			ret = -1;
			break;
		}
		if (!page || u64set_add(&seen, chunk) <= 0) {
			ret = fail(w, "vmalloc chunk 0x%llx reached twice",
				   (unsigned long long)chunk);
			break;
		}
		if (!kho_preserved_head(&p->kho, chunk, NULL)) {
			ret = fail(w, "vmalloc chunk 0x%llx is not a preserved "
				   "head", (unsigned long long)chunk);
			break;
		}
		if (phys_read(p->pm, chunk, page, KHO_PAGE, NULL)) {
			ret = fail(w, "vmalloc chunk 0x%llx unreadable",
				   (unsigned long long)chunk);
			break;
		}
		for (unsigned int i = 0; i < CHUNK_SLOTS && !ret; i++) {
			uint64_t pa = get_le64(page + 8 + 8 * i);
			struct pblock b;

			if (!pa)
				break;
			if (!kho_preserved_head(&p->kho, pa, &b) ||
			    b.order != w->order)
				ret = fail(w, "vmalloc page 0x%llx is not a preserved "
					   "order-%u head", (unsigned long long)pa,
					   w->order);
			else if (w->pages + (1ULL << w->order) > w->total_pages)
				ret = fail(w, "vmalloc chunks run past total_pages "
					   "%llu", (unsigned long long)w->total_pages);
			else {
				w->blk[w->nblk++] = pa;
				w->pages += 1ULL << w->order;
			}
		}
		chunk = get_le64(page);
	}
	u64set_free(&seen);
	free(page);
	if (!ret && w->pages != w->total_pages)
		ret = fail(w, "vmalloc chunks hold %llu pages, total_pages %llu",
			   (unsigned long long)w->pages,
			   (unsigned long long)w->total_pages);
	return ret;
}

/* Folio records, read page by page from the vmalloc blocks. */
static void check_folios(struct memfd_walk *w, uint64_t nr)
{
	struct probe *p = w->p;
	uint8_t *page = malloc(KHO_PAGE);
	unsigned int reports = 0;
	uint64_t per_page = KHO_PAGE / FOLIO_REC, blk_pages = 1ULL << w->order;

	for (uint64_t i = 0; page && i < nr; i++) {
		uint64_t pg = i / per_page, rec, pa;
		struct pblock b;

		if (!luo_spend(p, CK_MEMFD_FOLIOS, 1))
			break;
		if (i % per_page == 0 &&
		    phys_read(p->pm, w->blk[pg / blk_pages] +
			      (pg % blk_pages) * KHO_PAGE, page, KHO_PAGE, NULL)) {
			fail(w, "vmalloc page for folio %llu unreadable",
			     (unsigned long long)i);
			break;
		}
		rec = get_le64(page + FOLIO_REC * (i % per_page));
		pa = (rec & ((1ULL << 52) - 1)) << 12;
		if (!kho_preserved_head(&p->kho, pa, &b)) {
			if (reports++ < MEMFD_MAX_REPORTS)
				fail(w, "folio %llu at 0x%llx is not a preserved head",
				     (unsigned long long)i,
				     (unsigned long long)pa);
			continue;
		}
		w->f->memfd_folios++;
		w->f->memfd_bytes += pblock_size(&b);
	}
	if (!page)
		fail(w, "out of memory");
	free(page);
}

void memfd_check_file(struct probe *p, struct luo_file *f)
{
	struct memfd_walk w = { .p = p, .f = f };
	uint8_t s[MEMFD_SER_LEN];
	uint64_t nr, first;
	uint16_t flags;
	unsigned int failed = p->rep.r[CK_MEMFD_FOLIOS].nfail;

	p->luo.nmemfd++;
	f->memfd = true;
	if (!luo_head(p, CK_MEMFD_FOLIOS, f->data, "memfd_luo_ser", 0,
		      MEMFD_SER_LEN, NULL) ||
	    phys_read(p->pm, f->data, s, sizeof(s), NULL))
		return;
	f->memfd_size = get_le64(s + 8);
	nr = get_le64(s + 16);
	first = get_le64(s + 24);
	w.total_pages = get_le32(s + 32);
	flags = get_le16(s + 36);
	w.order = get_le16(s + 38);
	explain(p, "    memfd_luo_ser 0x%llx: size %llu, %llu folios, vmalloc "
		"{first 0x%llx, %llu pages, flags 0x%x, order %u}",
		(unsigned long long)f->data, (unsigned long long)f->memfd_size,
		(unsigned long long)nr, (unsigned long long)first,
		(unsigned long long)w.total_pages, flags, w.order);
	if (flags & ~VMALLOC_FLAGS_KNOWN) {
		fail(&w, "unknown kho_vmalloc flags 0x%x", flags);
		return;
	}
	if (w.order > KHO_MAX_ORDER || w.total_pages > MEMFD_MAX_PAGES) {
		fail(&w, "kho_vmalloc order %u or total_pages %llu out of range",
		     w.order, (unsigned long long)w.total_pages);
		return;
	}
	if (nr > w.total_pages * (KHO_PAGE / FOLIO_REC)) {
		fail(&w, "%llu folio records do not fit %llu vmalloc pages",
		     (unsigned long long)nr, (unsigned long long)w.total_pages);
		return;
	}
	if (!nr)
		return;
	w.blk = malloc((w.total_pages + 1) * sizeof(*w.blk));
	if (!w.blk) {
		fail(&w, "out of memory");
		return;
	}
	if (!walk_chunks(&w, first))
		check_folios(&w, nr);
	free(w.blk);
	f->memfd_ok = p->rep.r[CK_MEMFD_FOLIOS].nfail == failed;
}
