// SPDX-License-Identifier: GPL-2.0-only
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gmem.h"

#define MAX_RAM	64

struct gpage {
	uint64_t pfn;
	uint8_t *data;
};

struct gmem {
	struct { uint64_t start, end; } ram[MAX_RAM];
	int nram;
	/* open-addressing hash of backed pages */
	struct gpage *tab;
	size_t cap, used;
};

static void die(const char *msg, uint64_t pa)
{
	fprintf(stderr, "gmem: %s at 0x%llx\n", msg, (unsigned long long)pa);
	abort();
}

struct gmem *gmem_new(void)
{
	struct gmem *g = calloc(1, sizeof(*g));

	if (!g)
		die("out of memory", 0);
	g->cap = 1024;
	g->tab = calloc(g->cap, sizeof(*g->tab));
	if (!g->tab)
		die("out of memory", 0);
	return g;
}

void gmem_free(struct gmem *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->cap; i++)
		free(g->tab[i].data);
	free(g->tab);
	free(g);
}

void gmem_add_ram(struct gmem *g, uint64_t pa, uint64_t size)
{
	int i;

	if ((pa | size) & (GMEM_PAGE - 1) || !size || g->nram == MAX_RAM)
		die("bad RAM extent", pa);
	/* keep sorted */
	for (i = g->nram; i > 0 && g->ram[i - 1].start > pa; i--)
		g->ram[i] = g->ram[i - 1];
	g->ram[i].start = pa;
	g->ram[i].end = pa + size;
	g->nram++;
}

int gmem_is_ram(const struct gmem *g, uint64_t pa, uint64_t len)
{
	uint64_t end = pa + len;

	if (end < pa)
		return 0;
	for (int i = 0; i < g->nram; i++)
		if (pa >= g->ram[i].start && end <= g->ram[i].end)
			return 1;
	return 0;
}

static size_t slot_of(const struct gmem *g, uint64_t pfn)
{
	uint64_t h = pfn * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 20) & (g->cap - 1);
}

static struct gpage *lookup(const struct gmem *g, uint64_t pfn)
{
	for (size_t i = slot_of(g, pfn);; i = (i + 1) & (g->cap - 1)) {
		if (!g->tab[i].data)
			return NULL;
		if (g->tab[i].pfn == pfn)
			return &g->tab[i];
	}
}

static void grow(struct gmem *g)
{
	struct gpage *old = g->tab;
	size_t oldcap = g->cap;

	g->cap *= 2;
	g->tab = calloc(g->cap, sizeof(*g->tab));
	if (!g->tab)
		die("out of memory", 0);
	for (size_t i = 0; i < oldcap; i++) {
		size_t k;

		if (!old[i].data)
			continue;
		for (k = slot_of(g, old[i].pfn); g->tab[k].data;
		     k = (k + 1) & (g->cap - 1))
			;
		g->tab[k] = old[i];
	}
	free(old);
}

static uint8_t *backing(struct gmem *g, uint64_t pfn)
{
	struct gpage *p = lookup(g, pfn);
	size_t k;

	if (p)
		return p->data;
	if (2 * (g->used + 1) > g->cap)
		grow(g);
	for (k = slot_of(g, pfn); g->tab[k].data; k = (k + 1) & (g->cap - 1))
		;
	g->tab[k].pfn = pfn;
	g->tab[k].data = calloc(1, GMEM_PAGE);
	if (!g->tab[k].data)
		die("out of memory", pfn << 12);
	g->used++;
	return g->tab[k].data;
}

void *gmem_page_ptr(struct gmem *g, uint64_t pa, size_t len)
{
	if (!gmem_is_ram(g, pa, len))
		die("write outside RAM", pa);
	if ((pa & (GMEM_PAGE - 1)) + len > GMEM_PAGE)
		die("range crosses a page", pa);
	return backing(g, pa >> 12) + (pa & (GMEM_PAGE - 1));
}

void gmem_write(struct gmem *g, uint64_t pa, const void *buf, size_t len)
{
	const uint8_t *src = buf;

	if (!gmem_is_ram(g, pa, len))
		die("write outside RAM", pa);
	while (len) {
		size_t off = pa & (GMEM_PAGE - 1);
		size_t n = GMEM_PAGE - off < len ? GMEM_PAGE - off : len;

		memcpy(backing(g, pa >> 12) + off, src, n);
		pa += n;
		src += n;
		len -= n;
	}
}

void gmem_read(const struct gmem *g, uint64_t pa, void *buf, size_t len)
{
	uint8_t *dst = buf;

	while (len) {
		size_t off = pa & (GMEM_PAGE - 1);
		size_t n = GMEM_PAGE - off < len ? GMEM_PAGE - off : len;
		struct gpage *p = lookup(g, pa >> 12);

		if (p)
			memcpy(dst, p->data + off, n);
		else
			memset(dst, 0, n);
		pa += n;
		dst += n;
		len -= n;
	}
}

void gmem_write_u64(struct gmem *g, uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	gmem_write(g, pa, b, 8);
}

void gmem_write_u32(struct gmem *g, uint64_t pa, uint32_t v)
{
	uint8_t b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	gmem_write(g, pa, b, 4);
}

uint64_t gmem_read_u64(const struct gmem *g, uint64_t pa)
{
	uint8_t b[8];

	gmem_read(g, pa, b, 8);
	return get_le64(b);
}

void galloc_init(struct galloc *a, struct gmem *g, uint64_t start,
		 uint64_t end)
{
	a->g = g;
	a->next = start;
	a->end = end;
}

uint64_t galloc(struct galloc *a, uint64_t size, uint64_t align)
{
	uint64_t pa = (a->next + align - 1) & ~(align - 1);

	if (pa + size > a->end || pa + size < pa)
		die("allocation window exhausted", pa);
	a->next = pa + size;
	return pa;
}

size_t gmem_backed_pages(const struct gmem *g)
{
	return g->used;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * One PT_LOAD per run: backed pages become file bytes, the rest of each
 * RAM extent rides along as zero-fill (p_memsz > p_filesz) of the
 * segment before it, or as a zero-only segment.
 */
struct seg {
	uint64_t pa, filesz, memsz;
};

static size_t build_segments(const struct gmem *g, uint64_t *pfns,
			     struct seg **out)
{
	size_t np = 0, ns = 0, cap = 16, k = 0;
	struct seg *s = malloc(cap * sizeof(*s));

	for (size_t i = 0; i < g->cap; i++)
		if (g->tab[i].data)
			pfns[np++] = g->tab[i].pfn;
	qsort(pfns, np, sizeof(*pfns), cmp_u64);
	for (int r = 0; r < g->nram; r++) {
		uint64_t cur = g->ram[r].start, end = g->ram[r].end;

		while (cur < end) {
			uint64_t run = cur, stop;

			while (k < np && (pfns[k] << 12) < cur)
				k++;
			/* file bytes: consecutive backed pages from cur */
			while (k < np && (pfns[k] << 12) == run && run < end) {
				run += GMEM_PAGE;
				k++;
			}
			/* zero tail: up to the next backed page or the end */
			stop = (k < np && (pfns[k] << 12) < end) ?
				pfns[k] << 12 : end;
			if (ns == cap) {
				cap *= 2;
				s = realloc(s, cap * sizeof(*s));
			}
			s[ns++] = (struct seg){ cur, run - cur, stop - cur };
			cur = stop;
		}
	}
	*out = s;
	return ns;
}

int gmem_write_core(const struct gmem *g, const char *path)
{
	uint64_t *pfns = malloc((g->used + 1) * sizeof(*pfns));
	struct seg *seg;
	size_t ns = build_segments(g, pfns, &seg);
	FILE *f = fopen(path, "wb");
	Elf64_Ehdr eh = { 0 };
	uint64_t off;
	int ret = 0;

	free(pfns);
	if (!f) {
		free(seg);
		return -1;
	}
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)ns;
	if (ns >= PN_XNUM)
		ret = -1;	/* far beyond what tests build */
	fwrite(&eh, sizeof(eh), 1, f);
	off = sizeof(eh) + ns * sizeof(Elf64_Phdr);
	for (size_t i = 0; i < ns; i++) {
		Elf64_Phdr ph = {
			.p_type = PT_LOAD,
			.p_flags = PF_R | PF_W | PF_X,
			.p_offset = seg[i].filesz ? off : 0,
			.p_paddr = seg[i].pa,
			.p_filesz = seg[i].filesz,
			.p_memsz = seg[i].memsz,
			.p_align = 0,
		};

		fwrite(&ph, sizeof(ph), 1, f);
		off += seg[i].filesz;
	}
	for (size_t i = 0; i < ns; i++)
		for (uint64_t pa = seg[i].pa; pa < seg[i].pa + seg[i].filesz;
		     pa += GMEM_PAGE)
			fwrite(lookup(g, pa >> 12)->data, GMEM_PAGE, 1, f);
	if (fclose(f))
		ret = -1;
	free(seg);
	return ret;
}

static int gm_read(void *ctx, uint64_t pa, void *buf, size_t len,
		   const char **why)
{
	const struct gmem *g = ctx;

	if (!gmem_is_ram(g, pa, len)) {
		*why = "not RAM";
		return -1;
	}
	gmem_read(g, pa, buf, len);
	return 0;
}

static bool gm_is_ram(void *ctx, uint64_t pa, uint64_t len)
{
	return gmem_is_ram(ctx, pa, len);
}

void gmem_physmem(const struct gmem *g, struct physmem *pm)
{
	memset(pm, 0, sizeof(*pm));
	pm->read = gm_read;
	pm->is_ram = gm_is_ram;
	pm->ctx = (void *)g;
}
