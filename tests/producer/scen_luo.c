// SPDX-License-Identifier: GPL-2.0-only
/*
 * Corrupt handovers for the LUO and memfd checks: each breaks one
 * invariant of a valid handover and names the check that must catch it.
 */
#include <libfdt.h>
#include <string.h>

#include "scen_corrupt.h"

/* ---- luo.present ---- */
CORRUPT(c_luo_none, "corrupt-luo-missing", HB_KHO_V3, HB_LUO_NONE,
	"luo.present", hb_typical, "KHO handover without a LUO child");

/* ---- luo.header ---- */
static void luo_fdt_edit_hook(struct hb *h)
{
	void *fdt = hb_fdt_open(h, h->out.luo);

	if (h->priv)
		fdt_del_node(fdt, fdt_subnode_offset(fdt, 0, "luo-session"));
	else
		fdt_setprop_string(fdt, 0, "compatible", "luo-v9");
	hb_fdt_close(fdt);
}
static void luo_compat(struct hb *h)
{
	hb_typical(h);
	h->after_finish = luo_fdt_edit_hook;
}
static void luo_no_session(struct hb *h)
{
	hb_typical(h);
	h->priv = h;
	h->after_finish = luo_fdt_edit_hook;
}
CORRUPT(c_luo_compat, "corrupt-luo-fdt-compatible", HB_KHO_V2, HB_LUO_FDT,
	"luo.header", luo_compat, "LUO FDT compatible luo-v9");
CORRUPT(c_luo_nses, "corrupt-luo-fdt-no-session-node", HB_KHO_V1, HB_LUO_FDT,
	"luo.header", luo_no_session, "LUO FDT without luo-session");
AFTER(ser_a_compat, gmem_write(h->g, h->out.luo, "luo-v9", 6))
CORRUPT(c_ser_a, "corrupt-luo-ser-a-compatible", HB_KHO_V3, HB_LUO_STRUCT_A,
	"luo.header", ser_a_compat, "luo_ser variant A with compatible luo-v9");
AFTER(ser_b_feat, u64_at(h, h->out.luo + 8, 0x27))
CORRUPT(c_ser_b, "corrupt-luo-ser-b-unknown-feature", HB_KHO_V4,
	HB_LUO_STRUCT_B, "luo.header", ser_b_feat,
	"luo_ser variant B requiring unknown feature bit 5");
CORRUPT(c_ser_v2, "corrupt-luo-ser-without-blob-size", HB_KHO_V2,
	HB_LUO_STRUCT_B, "luo.header", hb_typical,
	"a luo_ser under kho-v2, which has no blob-size");

/* ---- luo.flb-table ---- */
AFTER(flb_pgcnt, u64_at(h, h->out.flb_table, 2))
CORRUPT(c_flb_pgcnt, "corrupt-flb-pgcnt", HB_KHO_V3, HB_LUO_STRUCT_B,
	"luo.flb-table", flb_pgcnt, "FLB header pgcnt 2");
AFTER(flb_count, u64_at(h, h->out.flb_table + 8, 64))
CORRUPT(c_flb_count, "corrupt-flb-count", HB_KHO_V1, HB_LUO_FDT,
	"luo.flb-table", flb_count, "FLB header count 64 > 63");
AFTER(flb_name, gmem_write(h->g, h->out.flb_table + 16,
			   "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 48))
CORRUPT(c_flb_name, "corrupt-flb-name-unterminated", HB_KHO_V3, HB_LUO_STRUCT_A,
	"luo.flb-table", flb_name, "FLB name fills all 48 bytes");
static void flb_dup(struct hb *h)
{
	hb_typical(h);
	hb_add_flb(h, "liveupdate-test-flb-v1", hb_alloc_preserved(h, 0), 1);
}
CORRUPT(c_flb_dup, "corrupt-flb-duplicate", HB_KHO_V2, HB_LUO_FDT,
	"luo.flb-table", flb_dup, "two FLB entries with the same name");
AFTER(flb_np, u64_at(h, h->out.luo + 144, hb_alloc(h, HB_PAGE, HB_PAGE)))
CORRUPT(c_flb_np, "corrupt-flb-not-preserved", HB_KHO_V3, HB_LUO_STRUCT_B,
	"luo.flb-table", flb_np, "flbs_pa points at unpreserved memory");

/* ---- luo.sessions ---- */
AFTER(ses_files_np, u64_at(h, h->out.sessions + 8 + 64,
			   hb_alloc(h, 2 * HB_PAGE, 2 * HB_PAGE)))
CORRUPT(c_ses_fnp, "corrupt-sessions-files-not-preserved", HB_KHO_V1,
	HB_LUO_FDT, "luo.sessions", ses_files_np,
	"a session's file array is not preserved");
AFTER(ses_count, u64_at(h, h->out.sessions, 1000))
CORRUPT(c_ses_count, "corrupt-sessions-count", HB_KHO_V2, HB_LUO_FDT,
	"luo.sessions", ses_count, "session count 1000 > block capacity 819");
AFTER(ses_cycle, u64_at(h, h->out.sessions, h->out.sessions))
CORRUPT(c_ses_cycle, "corrupt-sessions-block-cycle", HB_KHO_V3, HB_LUO_STRUCT_A,
	"luo.sessions", ses_cycle, "session block links to itself");
AFTER(ses_zero, u64_at(h, h->out.sessions + 8, 0))
CORRUPT(c_ses_zero, "corrupt-sessions-block-count-zero", HB_KHO_V4,
	HB_LUO_STRUCT_B, "luo.sessions", ses_zero, "a session block with count 0");
AFTER(ses_name, gmem_write(h->g, h->out.sessions + 16,
	"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", 64))
CORRUPT(c_ses_name, "corrupt-sessions-name-unterminated", HB_KHO_V3,
	HB_LUO_STRUCT_A, "luo.sessions", ses_name, "a session name of 64 bytes");
AFTER(ses_nfiles, u64_at(h, h->out.sessions + 16 + 72, 5))
CORRUPT(c_ses_nfiles, "corrupt-sessions-file-count", HB_KHO_V3, HB_LUO_STRUCT_B,
	"luo.sessions", ses_nfiles, "session header says 5 files, chain holds 2");
static void ses_dup(struct hb *h)
{
	hb_typical(h);
	hb_add_session(h, "vm0");
}
CORRUPT(c_ses_dup, "corrupt-sessions-duplicate-name", HB_KHO_V2, HB_LUO_FDT,
	"luo.sessions", ses_dup, "two sessions named vm0");
AFTER(file_name, gmem_write(h->g, h->out.session_files[0] + 16,
	"ffffffffffffffffffffffffffffffffffffffffffffffff", 48))
CORRUPT(c_file_name, "corrupt-file-compatible-unterminated", HB_KHO_V3,
	HB_LUO_STRUCT_B, "luo.sessions", file_name,
	"a file record's compatible fills all 48 bytes");

/* ---- memfd.folios ---- */
/* memfd-v1 data of file @i of the first session (hb_typical: 2 memfds) */
static uint64_t memfd_ser_n(struct hb *h, unsigned int i)
{
	uint64_t rec = h->out.session_files[0] + (h->luo == HB_LUO_FDT ? 0 : 16);

	return gmem_read_u64(h->g, rec + 64 * i + 48);
}
static uint64_t memfd_ser(struct hb *h)
{
	return memfd_ser_n(h, 0);
}
static uint64_t folio_rec_n(struct hb *h, unsigned int i)
{
	uint64_t chunk = gmem_read_u64(h->g, memfd_ser_n(h, i) + 24);

	return gmem_read_u64(h->g, chunk + 8);
}
static uint64_t first_folio_rec(struct hb *h)
{
	return folio_rec_n(h, 0);
}
AFTER(folio_np, u64_at(h, first_folio_rec(h) + 16,
		       (hb_alloc(h, HB_PAGE, HB_PAGE) >> 12) | (2ULL << 52)))
CORRUPT(c_folio_np, "corrupt-memfd-folio-not-preserved", HB_KHO_V3,
	HB_LUO_STRUCT_B, "memfd.folios", folio_np,
	"a memfd folio pfn points at unpreserved memory");
CORRUPT(c_folio_np1, "corrupt-memfd-folio-not-preserved-v1", HB_KHO_V1,
	HB_LUO_FDT, "memfd.folios", folio_np,
	"a memfd folio pfn points at unpreserved memory (luo-v1)");
AFTER(folio_tail, u64_at(h, folio_rec_n(h, 1),
			 gmem_read_u64(h->g, folio_rec_n(h, 1)) + 1))
CORRUPT(c_folio_tail, "corrupt-memfd-folio-tail-page", HB_KHO_V2, HB_LUO_FDT,
	"memfd.folios", folio_tail, "a pfn one page into a 2 MiB folio");
AFTER(memfd_flags, gmem_write(h->g, memfd_ser(h) + 36, "\x80\0", 2))
CORRUPT(c_memfd_flags, "corrupt-memfd-vmalloc-flags", HB_KHO_V3,
	HB_LUO_STRUCT_A, "memfd.folios", memfd_flags, "unknown kho_vmalloc flag");
AFTER(memfd_nr, u64_at(h, memfd_ser(h) + 16, 100000))
CORRUPT(c_memfd_nr, "corrupt-memfd-nr-folios", HB_KHO_V3, HB_LUO_STRUCT_B,
	"memfd.folios", memfd_nr, "100000 folios do not fit one vmalloc page");
AFTER(memfd_cycle, u64_at(h, gmem_read_u64(h->g, memfd_ser(h) + 24),
			  gmem_read_u64(h->g, memfd_ser(h) + 24)))
CORRUPT(c_memfd_cycle, "corrupt-memfd-chunk-cycle", HB_KHO_V4, HB_LUO_STRUCT_B,
	"memfd.folios", memfd_cycle, "a vmalloc chunk links to itself");
AFTER(memfd_pages, gmem_write_u32(h->g, memfd_ser(h) + 32, 2))
CORRUPT(c_memfd_pages, "corrupt-memfd-total-pages", HB_KHO_V2, HB_LUO_FDT,
	"memfd.folios", memfd_pages, "total_pages 2, the chunks hold 1");
AFTER(memfd_ser_np, u64_at(h, h->out.session_files[0] +
			   (h->luo == HB_LUO_FDT ? 0 : 16) + 48,
			   hb_alloc(h, HB_PAGE, HB_PAGE)))
CORRUPT(c_memfd_ser, "corrupt-memfd-ser-not-preserved", HB_KHO_V3,
	HB_LUO_STRUCT_A, "memfd.folios", memfd_ser_np,
	"a memfd file's data points at unpreserved memory");
