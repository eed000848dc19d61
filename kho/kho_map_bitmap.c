// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho-v1 memory map: a list of one-page chunks {next, order, num_elms,
 * {phys_start, bitmap}[255]}; bit b of a bitmap page preserves the block
 * phys_start + b * (4 KiB << order).
 */
#include <stdlib.h>

#include "kho_int.h"

#define CHUNK_ENTRIES	255
#define BITMAP_BITS	32768ULL

/* A page of map metadata: aligned, readable, counted. */
static int read_meta(struct probe *p, uint64_t pa, uint8_t *buf,
		     const char *what)
{
	const char *why;

	if (!kho_page_aligned(pa)) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "%s 0x%llx is not page-aligned", what,
			   (unsigned long long)pa);
		return -1;
	}
	if (++p->kho.map_pages > KHO_MAX_META_PAGES) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "more than %u map metadata pages", KHO_MAX_META_PAGES);
		return -1;
	}
	if (phys_read(p->pm, pa, buf, KHO_PAGE, &why)) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP, "%s 0x%llx: %s", what,
			   (unsigned long long)pa, why);
		return -1;
	}
	return 0;
}

/* Bitmap pages seen, to catch one page used by two entries. */
struct bitmap_list {
	uint64_t *pa;
	size_t n, cap;
};

static bool bitmap_note(struct bitmap_list *l, uint64_t pa)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		uint64_t *np = realloc(l->pa, cap * sizeof(*np));

		if (!np)
			return false;
		l->pa = np;
		l->cap = cap;
	}
	l->pa[l->n++] = pa;
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Every bitmap is an allocation of its own in the producer; a page that
 * two entries share makes one set of bits claim blocks twice.
 */
static void bitmap_check_shared(struct probe *p, struct bitmap_list *l)
{
	size_t i = 1;

	/* Producers allocate bitmaps in order: then one pass proves it. */
	while (i < l->n && l->pa[i] > l->pa[i - 1])
		i++;
	if (i >= l->n)
		return;
	qsort(l->pa, l->n, sizeof(*l->pa), cmp_u64);
	for (size_t i = 1; i < l->n; i++)
		if (l->pa[i] == l->pa[i - 1]) {
			check_fail(&p->rep, CK_KHO_MEMORY_MAP,
				   "bitmap page 0x%llx is used by more than one "
				   "chunk entry", (unsigned long long)l->pa[i]);
			return;
		}
}

/* Returns false when decoding must stop. */
static bool decode_chunk(struct probe *p, uint64_t chunk, const uint8_t *c,
			 uint8_t *bm, struct bitmap_list *seen)
{
	unsigned int order = get_le32(c + 8), n = get_le32(c + 12);

	if (n > CHUNK_ENTRIES) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "chunk 0x%llx: num_elms %u > %u",
			   (unsigned long long)chunk, n, CHUNK_ENTRIES);
		return false;
	}
	if (order > KHO_MAX_ORDER) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "chunk 0x%llx: order %u > MAX_PAGE_ORDER %u",
			   (unsigned long long)chunk, order, KHO_MAX_ORDER);
		return true;	/* the rest of the list may still decode */
	}
	explain(p, "  chunk 0x%llx: order %u (%llu KiB blocks), %u bitmaps, "
		"next 0x%llx", (unsigned long long)chunk, order,
		4ULL << order, n, (unsigned long long)get_le64(c));
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *e = c + 16 + 16 * i;
		uint64_t start = get_le64(e), pa = get_le64(e + 8);
		uint64_t span = BITMAP_BITS << (12 + order);

		if (start & ((KHO_PAGE << order) - 1) || start + span < start) {
			check_fail(&p->rep, CK_KHO_MEMORY_MAP,
				   "chunk 0x%llx entry %u: phys_start 0x%llx not "
				   "aligned to order %u or wraps",
				   (unsigned long long)chunk, i,
				   (unsigned long long)start, order);
			continue;
		}
		if (!bitmap_note(seen, pa)) {
			check_fail(&p->rep, CK_KHO_MEMORY_MAP, "out of memory");
			return false;
		}
		if (read_meta(p, pa, bm, "bitmap")) {
			if (p->kho.map_pages > KHO_MAX_META_PAGES)
				return false;
			continue;
		}
		if (p->explain) {
			uint64_t before = p->kho.preserved.nblocks;
			bool go = kho_decode_bits(p, bm, start, order);

			explain(p, "    bitmap 0x%llx: bit b preserves 0x%llx + b * "
				"%llu KiB; %llu bits set", (unsigned long long)pa,
				(unsigned long long)start, 4ULL << order,
				(unsigned long long)(p->kho.preserved.nblocks -
						     before));
			if (!go)
				return false;
			continue;
		}
		if (!kho_decode_bits(p, bm, start, order))
			return false;
	}
	return true;
}

void kho_decode_bitmap(struct probe *p, uint64_t first)
{
	void *raw;
	uint8_t *buf = kho_page_bufs(2, &raw);
	struct u64set seen;
	struct bitmap_list bitmaps = { 0 };
	uint64_t chunk = first;
	unsigned int nchunk = 0;

	u64set_init(&seen);
	if (!buf) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP, "out of memory");
		return;
	}
	while (chunk) {
		int added = u64set_add(&seen, chunk);

		if (added <= 0) {
			check_fail(&p->rep, CK_KHO_MEMORY_MAP,
				   added ? "out of memory" :
				   "chunk list loops back to 0x%llx",
				   (unsigned long long)chunk);
			break;
		}
		if (read_meta(p, chunk, buf, "chunk") ||
		    !decode_chunk(p, chunk, buf, buf + KHO_PAGE, &bitmaps))
			break;
		nchunk++;
		chunk = get_le64(buf);
	}
	bitmap_check_shared(p, &bitmaps);
	explain(p, "  %u chunk%s walked", nchunk, nchunk == 1 ? "" : "s");
	free(bitmaps.pa);
	u64set_free(&seen);
	free(raw);
}
