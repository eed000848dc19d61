// SPDX-License-Identifier: GPL-2.0-only
/* ELF core → physmem, parsed with libelf over a memory buffer. */
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "elfmem.h"

#define ELFMEM_MAX_SEGS	(1u << 20)

static int cmp_seg(const void *a, const void *b)
{
	const struct elfmem_seg *x = a, *y = b;

	return (x->pa > y->pa) - (x->pa < y->pa);
}

/* The segment containing @pa, or NULL. */
static const struct elfmem_seg *seg_at(const struct elfmem *m, uint64_t pa)
{
	size_t lo = 0, hi = m->nseg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->seg[mid].pa <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (pa - m->seg[lo - 1].pa < m->seg[lo - 1].memsz)
		return &m->seg[lo - 1];
	return NULL;
}

/* Walks [pa, pa + len) segment by segment; copies when @buf is non-NULL. */
static int walk(const struct elfmem *m, uint64_t pa, uint8_t *buf,
		uint64_t len)
{
	while (len) {
		const struct elfmem_seg *s = seg_at(m, pa);
		uint64_t in, n;

		if (!s)
			return -1;
		in = pa - s->pa;
		n = s->memsz - in < len ? s->memsz - in : len;
		if (buf) {
			uint64_t nfile = in < s->filesz ? s->filesz - in : 0;

			if (nfile > n)
				nfile = n;
			if (nfile)
				memcpy(buf, m->buf + s->off + in, nfile);
			memset(buf + nfile, 0, n - nfile);
			buf += n;
		}
		pa += n;
		len -= n;
		if (!pa && len)
			return -1;	/* ran off the top */
	}
	return 0;
}

static int em_read(void *ctx, uint64_t pa, void *buf, size_t len,
		   const char **why)
{
	if (walk(ctx, pa, buf, len)) {
		*why = "not in dump";
		return -1;
	}
	return 0;
}

static bool em_is_ram(void *ctx, uint64_t pa, uint64_t len)
{
	return !walk(ctx, pa, NULL, len);
}

static int add_seg(struct elfmem *m, const GElf_Phdr *ph)
{
	struct elfmem_seg s = { ph->p_paddr, ph->p_memsz, ph->p_filesz,
				ph->p_offset };

	/* Bytes past the end of the file are not in the dump. */
	if (s.filesz && s.off > m->len)
		return 0;
	if (s.filesz > m->len - s.off)
		s.filesz = m->len - s.off, s.memsz = s.filesz;
	if (s.filesz > s.memsz)
		s.filesz = s.memsz;
	if (s.pa + s.memsz < s.pa)
		s.memsz = UINT64_MAX - s.pa;
	if (!s.memsz)
		return 0;
	m->seg[m->nseg++] = s;
	return 0;
}

/* Overlapping segments: the earlier one wins, later ones are clipped. */
static void clip_overlaps(struct elfmem *m)
{
	size_t out = 0;

	for (size_t i = 0; i < m->nseg; i++) {
		struct elfmem_seg s = m->seg[i];

		if (out) {
			const struct elfmem_seg *prev = &m->seg[out - 1];
			uint64_t end = prev->pa + prev->memsz;

			if (s.pa < end) {
				uint64_t cut = end - s.pa;

				if (cut >= s.memsz)
					continue;
				s.pa += cut;
				s.memsz -= cut;
				s.off += cut;
				s.filesz = s.filesz > cut ? s.filesz - cut : 0;
			}
		}
		m->seg[out++] = s;
	}
	m->nseg = out;
}

int elfmem_open(struct elfmem *m, const uint8_t *buf, size_t len,
		const char **why)
{
	GElf_Ehdr eh;
	size_t nph;
	Elf *e;

	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->len = len;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		*why = "libelf unusable";
		return -1;
	}
	e = elf_memory((char *)buf, len);
	if (!e || elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS64 ||
	    !gelf_getehdr(e, &eh)) {
		*why = "not an ELF64 file";
		goto bad;
	}
	if (eh.e_type != ET_CORE || eh.e_machine != EM_X86_64) {
		*why = "not an x86-64 ELF core";
		goto bad;
	}
	if (elf_getphdrnum(e, &nph) || nph > ELFMEM_MAX_SEGS) {
		*why = "bad program header table";
		goto bad;
	}
	m->seg = calloc(nph + 1, sizeof(*m->seg));
	if (!m->seg) {
		*why = "out of memory";
		goto bad;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			*why = "bad program header";
			goto bad;
		}
		if (ph.p_type == PT_LOAD)
			add_seg(m, &ph);
	}
	elf_end(e);
	qsort(m->seg, m->nseg, sizeof(*m->seg), cmp_seg);
	clip_overlaps(m);
	if (!m->nseg) {
		*why = "core has no PT_LOAD memory";
		elfmem_close(m);
		return -1;
	}
	m->pm.read = em_read;
	m->pm.is_ram = em_is_ram;
	m->pm.ctx = m;
	return 0;
bad:
	if (e)
		elf_end(e);
	elfmem_close(m);
	return -1;
}

void elfmem_close(struct elfmem *m)
{
	free(m->seg);
	m->seg = NULL;
	m->nseg = 0;
}
