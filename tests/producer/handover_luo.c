// SPDX-License-Identifier: GPL-2.0-only
/*
 * LUO state: FLB table, sessions and file records, memfd-v1 files, and the
 * LUO blob itself (luo-v1 FDT or packed luo_ser, variants A and B).
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handover_int.h"

#define FDT_OK(x)	do { if ((x) < 0) hb_die("fdt: " #x); } while (0)

#define SESSION_ENTRY	80
#define FILE_ENTRY	64
#define FLB_ENTRY	64
#define BLOCK_HDR	16

void hb_add_flb(struct hb *h, const char *name, uint64_t data_pa,
		uint64_t count)
{
	struct hb_flb *f;

	if (h->nflb == HB_MAX_FLB)
		hb_die("too many FLBs");
	f = &h->flb[h->nflb++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->data = data_pa;
	f->count = count;
}

unsigned int hb_add_session(struct hb *h, const char *name)
{
	struct hb_session *s;

	if (h->nses == HB_MAX_SESSIONS)
		hb_die("too many sessions");
	s = &h->ses[h->nses];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	return h->nses++;
}

void hb_add_file(struct hb *h, unsigned int session, const char *compatible,
		 uint64_t data, uint64_t token)
{
	struct hb_session *s = &h->ses[session];
	struct hb_file *f;

	if (session >= h->nses || s->nfile == HB_MAX_FILES)
		hb_die("bad session or too many files");
	f = &s->file[s->nfile++];
	memset(f, 0, sizeof(*f));
	snprintf(f->compatible, sizeof(f->compatible), "%s", compatible);
	f->data = data;
	f->token = token;
}

/* memfd_luo_folio_ser: pfn in bits 0..51, flags (UPTODATE = 2) above. */
uint64_t hb_add_memfd(struct hb *h, unsigned int session, uint64_t token,
		      unsigned int nr_folios, unsigned int folio_order,
		      uint8_t fill, uint64_t *first_folio)
{
	uint64_t total_pages = (16ULL * nr_folios + HB_PAGE - 1) / HB_PAGE;
	uint64_t ser = hb_alloc_preserved(h, 0), chunk = 0, prev = 0;
	uint64_t *vpage = calloc(total_pages + 1, sizeof(*vpage));

	if (!vpage)
		hb_die("out of memory");
	for (uint64_t i = 0; i < total_pages; i++)
		vpage[i] = hb_alloc_preserved(h, 0);
	for (unsigned int i = 0; i < nr_folios; i++) {
		uint64_t f = hb_alloc_preserved(h, folio_order);
		uint64_t e = vpage[i / 256] + 16 * (i % 256);

		if (!i && first_folio)
			*first_folio = f;
		gmem_write(h->g, f, &fill, 1);
		gmem_write_u64(h->g, e, (f >> 12) | (2ULL << 52));
		gmem_write_u64(h->g, e + 8, (uint64_t)i << folio_order);
	}
	/* kho_vmalloc chunks: next, then up to 511 page PAs, zero-ended. */
	for (uint64_t i = 0; i < total_pages; i++) {
		if (i % 511 == 0) {
			uint64_t c = hb_alloc_preserved(h, 0);

			if (prev)
				gmem_write_u64(h->g, prev, c);
			else
				chunk = c;
			prev = c;
		}
		gmem_write_u64(h->g, prev + 8 + 8 * (i % 511), vpage[i]);
	}
	free(vpage);
	gmem_write_u64(h->g, ser + 0, 0);		/* pos */
	gmem_write_u64(h->g, ser + 8, (uint64_t)nr_folios << (12 + folio_order));
	gmem_write_u64(h->g, ser + 16, nr_folios);
	gmem_write_u64(h->g, ser + 24, chunk);
	gmem_write_u32(h->g, ser + 32, (uint32_t)total_pages);
	gmem_write(h->g, ser + 36, "\x01\x00\x00\x00", 4);	/* ALLOC, order 0 */
	hb_add_file(h, session, "memfd-v1", ser, token);
	return ser;
}

static uint64_t write_flb_table(struct hb *h)
{
	uint64_t pa = hb_alloc_preserved(h, 0);

	gmem_write_u64(h->g, pa, 1);
	gmem_write_u64(h->g, pa + 8, h->nflb);
	for (unsigned int i = 0; i < h->nflb; i++) {
		uint64_t e = pa + 16 + FLB_ENTRY * i;

		gmem_write(h->g, e, h->flb[i].name, 48);
		gmem_write_u64(h->g, e + 48, h->flb[i].data);
		gmem_write_u64(h->g, e + 56, h->flb[i].count);
	}
	return pa;
}

static void file_entry(uint8_t *e, const struct hb_file *f)
{
	memcpy(e, f->compatible, 48);
	hb_put_le64(e + 48, f->data);
	hb_put_le64(e + 56, f->token);
}

/* A KHO block chain of @n entries of @size bytes from @buf; 0 when empty. */
static uint64_t write_block_chain(struct hb *h, const uint8_t *buf,
				  unsigned int n, unsigned int size)
{
	unsigned int per = (unsigned int)((HB_PAGE - BLOCK_HDR) / size);
	uint64_t first = 0, prev = 0;

	for (unsigned int i = 0; i < n; i += per) {
		uint64_t blk = hb_alloc_preserved(h, 0);
		unsigned int cnt = n - i < per ? n - i : per;

		if (prev)
			gmem_write_u64(h->g, prev, blk);
		else
			first = blk;
		prev = blk;
		gmem_write_u64(h->g, blk + 8, cnt);
		gmem_write(h->g, blk + BLOCK_HDR, buf + (size_t)i * size,
			   (size_t)cnt * size);
	}
	return first;
}

static uint64_t write_files(struct hb *h, const struct hb_session *s)
{
	uint8_t buf[HB_MAX_FILES * FILE_ENTRY];
	uint64_t pa;

	if (!s->nfile)
		return 0;
	for (unsigned int i = 0; i < s->nfile; i++)
		file_entry(buf + FILE_ENTRY * i, &s->file[i]);
	if (h->luo != HB_LUO_FDT)
		return write_block_chain(h, buf, s->nfile, FILE_ENTRY);
	pa = hb_alloc_preserved(h, 1);	/* LUO_FILE_PGCNT = 2 */
	gmem_write(h->g, pa, buf, (size_t)s->nfile * FILE_ENTRY);
	return pa;
}

static uint64_t write_sessions(struct hb *h)
{
	uint8_t buf[HB_MAX_SESSIONS * SESSION_ENTRY] = { 0 };
	uint64_t pa;

	for (unsigned int i = 0; i < h->nses; i++) {
		uint8_t *e = buf + SESSION_ENTRY * i;
		uint64_t files = write_files(h, &h->ses[i]);

		h->out.session_files[i] = files;
		memcpy(e, h->ses[i].name, 64);
		hb_put_le64(e + 64, files);
		hb_put_le64(e + 72, h->ses[i].nfile);
	}
	if (h->luo != HB_LUO_FDT)
		return write_block_chain(h, buf, h->nses, SESSION_ENTRY);
	pa = hb_alloc_preserved(h, 4);	/* 16-page session block */
	gmem_write_u64(h->g, pa, h->nses);
	gmem_write(h->g, pa + 8, buf, (size_t)h->nses * SESSION_ENTRY);
	return pa;
}

static void node_u64(void *fdt, const char *node, const char *compat,
		     const char *prop, uint64_t v)
{
	uint8_t b[8];

	hb_put_le64(b, v);
	FDT_OK(fdt_begin_node(fdt, node));
	FDT_OK(fdt_property_string(fdt, "compatible", compat));
	FDT_OK(fdt_property(fdt, prop, b, 8));
	FDT_OK(fdt_end_node(fdt));
}

static uint64_t write_luo_fdt(struct hb *h, uint64_t *size)
{
	uint8_t buf[HB_PAGE], num[8];
	uint64_t pa = hb_alloc_preserved(h, 0);

	hb_put_le64(num, h->liveupdate_num);
	FDT_OK(fdt_create(buf, sizeof(buf)));
	FDT_OK(fdt_finish_reservemap(buf));
	FDT_OK(fdt_begin_node(buf, ""));
	FDT_OK(fdt_property_string(buf, "compatible", "luo-v1"));
	FDT_OK(fdt_property(buf, "liveupdate-number", num, 8));
	node_u64(buf, "luo-session", "luo-session-v2", "luo-session-header",
		 h->out.sessions);
	node_u64(buf, "luo-flb", "luo-flb-v1", "luo-flb-header",
		 h->out.flb_table);
	FDT_OK(fdt_end_node(buf));
	FDT_OK(fdt_finish(buf));
	gmem_write(h->g, pa, buf, fdt_totalsize(buf));
	*size = fdt_totalsize(buf);
	return pa;
}

static uint64_t write_luo_ser(struct hb *h, uint64_t *size)
{
	uint64_t pa = hb_alloc_preserved(h, 0);
	struct hb_out *o = &h->out;

	if (h->luo == HB_LUO_STRUCT_A) {
		gmem_write(h->g, pa, "luo-v3\0", 8);
		gmem_write_u64(h->g, pa + 8, h->liveupdate_num);
		gmem_write_u64(h->g, pa + 16, o->sessions);
		gmem_write_u64(h->g, pa + 24, o->flb_table);
		*size = 32;
	} else {
		for (int i = 0; i < 3; i++)	/* supp, req, active */
			gmem_write_u64(h->g, pa + 8 * i, 7);
		gmem_write_u64(h->g, pa + 128, h->liveupdate_num);
		gmem_write_u64(h->g, pa + 136, o->sessions);
		gmem_write_u64(h->g, pa + 144, o->flb_table);
		*size = 152;
	}
	return pa;
}

void hb_write_luo(struct hb *h)
{
	struct hb_out *o = &h->out;
	uint64_t size;

	if (h->luo == HB_LUO_NONE)
		return;
	if (h->luo == HB_LUO_FDT || h->nflb || h->flb_always)
		o->flb_table = write_flb_table(h);
	o->sessions = write_sessions(h);
	o->luo = h->luo == HB_LUO_FDT ? write_luo_fdt(h, &size) :
					write_luo_ser(h, &size);
	/* LUO first among the children, as the kernel registers it early. */
	if (h->nsub == HB_MAX_SUBTREES)
		hb_die("too many subtrees");
	memmove(&h->sub[1], &h->sub[0], h->nsub * sizeof(h->sub[0]));
	h->nsub++;
	memset(&h->sub[0], 0, sizeof(h->sub[0]));
	snprintf(h->sub[0].name, sizeof(h->sub[0].name), "LUO");
	h->sub[0].pa = o->luo;
	h->sub[0].size = size;
}
