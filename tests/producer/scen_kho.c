// SPDX-License-Identifier: GPL-2.0-only
/*
 * Corrupt handovers for the boot and KHO checks: each breaks exactly one
 * invariant of a valid handover, in a hook, and names the check that must
 * catch it.
 */
#include <libfdt.h>
#include <string.h>

#include "scen_corrupt.h"

/* ---- boot.params ---- */
AFTER(e820_no_ram, gmem_write(h->g, h->out.boot_params + 0x1e8, "\0", 1))
CORRUPT(c_e820_none, "corrupt-boot-e820-empty", HB_KHO_V3, HB_LUO_STRUCT_B,
	"boot.params", e820_no_ram, "e820 count 0: no usable RAM");
AFTER(e820_zero, u64_at(h, h->out.boot_params + 0x2d0 + 20 + 8, 0))
CORRUPT(c_e820_zero, "corrupt-boot-e820-zero-length", HB_KHO_V3,
	HB_LUO_STRUCT_B, "boot.params", e820_zero, "an e820 entry of length 0");
AFTER(e820_overlap, u64_at(h, h->out.boot_params + 0x2d0 + 8, 0x200000))
CORRUPT(c_e820_ovl, "corrupt-boot-e820-overlap", HB_KHO_V2, HB_LUO_FDT,
	"boot.params", e820_overlap, "two e820 entries overlap");
AFTER(bp_outside, h->out.boot_params = HB_BAD_PA)
CORRUPT(c_bp_out, "corrupt-boot-params-outside-ram", HB_KHO_V3,
	HB_LUO_STRUCT_A, "boot.params", bp_outside,
	"boot_params address far outside RAM");

/* ---- boot.setup-data ---- */
AFTER(sd_cycle, u64_at(h, gmem_read_u64(h->g, h->out.setup_data),
		       h->out.setup_data))
CORRUPT(c_sd_cycle, "corrupt-setup-data-cycle", HB_KHO_V3, HB_LUO_STRUCT_B,
	"boot.setup-data", sd_cycle, "the last setup_data node links back to the first");
AFTER(sd_out, u64_at(h, gmem_read_u64(h->g, h->out.setup_data), HB_BAD_PA))
CORRUPT(c_sd_out, "corrupt-setup-data-outside-ram", HB_KHO_V1, HB_LUO_FDT,
	"boot.setup-data", sd_out, "a setup_data next pointer outside RAM");
AFTER(sd_len, gmem_write_u32(h->g, gmem_read_u64(h->g, h->out.setup_data) + 12,
			     0x7fffffff))
CORRUPT(c_sd_len, "corrupt-setup-data-len", HB_KHO_V2, HB_LUO_FDT,
	"boot.setup-data", sd_len, "a setup_data len running past RAM");

/* ---- kho.present ---- */
AFTER(kho_type, gmem_write_u32(h->g, h->out.setup_data + 8, 11))
CORRUPT(c_kho_missing, "corrupt-kho-missing", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.present", kho_type, "no setup_data node of type 10");
AFTER(kho_len, gmem_write_u32(h->g, h->out.setup_data + 12, 48))
CORRUPT(c_kho_len, "corrupt-kho-len", HB_KHO_V2, HB_LUO_FDT, "kho.present",
	kho_len, "KHO setup_data node with len 48 (an unmerged RFC layout)");

/* ---- kho.fdt ---- */
AFTER(s_fdt_magic, u64_at(h, h->out.fdt, 0))
CORRUPT(c_fdt_magic, "corrupt-fdt-magic", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.fdt", s_fdt_magic, "KHO FDT header magic destroyed");
AFTER(fdt_total, u64_at(h, h->out.kho_data + 8, 128))
CORRUPT(c_fdt_total, "corrupt-fdt-totalsize", HB_KHO_V1, HB_LUO_FDT,
	"kho.fdt", fdt_total, "fdt_size 128 is smaller than the FDT's totalsize");
AFTER(fdt_out, u64_at(h, h->out.kho_data, HB_BAD_PA))
CORRUPT(c_fdt_out, "corrupt-fdt-outside-ram", HB_KHO_V2, HB_LUO_FDT,
	"kho.fdt", fdt_out, "fdt_addr far outside RAM");
/* QEMU's 1 GiB guest reserves [0x3ffe0000, 1 GiB) for firmware tables. */
AFTER(fdt_reserved, u64_at(h, h->out.kho_data, 0x3fff0000))
CORRUPT(c_fdt_res, "corrupt-fdt-in-reserved", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.fdt", fdt_reserved,
	"fdt_addr in the firmware's reserved range, not usable RAM");
static void fdt_struct_hook(struct hb *h)
{
	uint8_t *fdt = hb_page(h, h->out.fdt);

	/* first structure token: FDT_BEGIN_NODE becomes garbage */
	memset(fdt + fdt_off_dt_struct(fdt), 0x7e, 4);
}
static void fdt_struct(struct hb *h)
{
	hb_typical(h);
	h->after_finish = fdt_struct_hook;
}
CORRUPT(c_fdt_struct, "corrupt-fdt-structure", HB_KHO_V3, HB_LUO_STRUCT_A,
	"kho.fdt", fdt_struct, "FDT structure block starts with a bad token");

/* ---- kho.compatible ---- */
static void compat9(struct hb *h)
{
	h->compatible = "kho-v9";
	hb_typical(h);
}
CORRUPT(c_compat, "corrupt-compatible-unknown", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.compatible", compat9, "root compatible kho-v9");
static void compat_none_hook(struct hb *h)
{
	void *fdt = hb_fdt_open(h, h->out.fdt);

	fdt_delprop(fdt, 0, "compatible");
	hb_fdt_close(fdt);
}
static void compat_none(struct hb *h)
{
	hb_typical(h);
	h->after_finish = compat_none_hook;
}
CORRUPT(c_compat_none, "corrupt-compatible-missing", HB_KHO_V1, HB_LUO_FDT,
	"kho.compatible", compat_none, "root node without compatible");

/* ---- kho.memory-map ---- */
static void map_prop_hook(struct hb *h)
{
	void *fdt = hb_fdt_open(h, h->out.fdt);

	if (h->priv)
		fdt_setprop(fdt, 0, "preserved-memory-map", "\0\0\0\x10", 4);
	else
		fdt_setprop(fdt, 0, "preserved-memory-map", "\0\0\0\0\0\0\0\0", 8);
	hb_fdt_close(fdt);
}
static void map_zero(struct hb *h)
{
	hb_typical(h);
	h->after_finish = map_prop_hook;
}
static void map_short(struct hb *h)
{
	hb_typical(h);
	h->priv = h;
	h->after_finish = map_prop_hook;
}
CORRUPT(c_map_zero, "corrupt-map-zero", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.memory-map", map_zero, "preserved-memory-map is 0");
CORRUPT(c_map_short, "corrupt-map-short-property", HB_KHO_V2, HB_LUO_FDT,
	"kho.memory-map", map_short, "preserved-memory-map is 4 bytes");

static uint64_t last_chunk(struct hb *h)
{
	uint64_t c = h->out.map;

	while (gmem_read_u64(h->g, c))
		c = gmem_read_u64(h->g, c);
	return c;
}
AFTER(v1_cycle, u64_at(h, last_chunk(h), h->out.map))
CORRUPT(c_v1_cycle, "corrupt-map-v1-chunk-cycle", HB_KHO_V1, HB_LUO_FDT,
	"kho.memory-map", v1_cycle, "the last chunk links back to the first");
AFTER(v1_bitmap_out, u64_at(h, h->out.map + 16 + 8, HB_BAD_PA))
CORRUPT(c_v1_bm_out, "corrupt-map-v1-bitmap-outside-ram", HB_KHO_V1, HB_LUO_FDT,
	"kho.memory-map", v1_bitmap_out, "a bitmap pointer far outside RAM");
AFTER(v1_bitmap_unaligned, u64_at(h, h->out.map + 16 + 8,
				  gmem_read_u64(h->g, h->out.map + 24) + 0x10))
CORRUPT(c_v1_bm_ua, "corrupt-map-v1-bitmap-unaligned", HB_KHO_V1, HB_LUO_FDT,
	"kho.memory-map", v1_bitmap_unaligned, "a bitmap pointer not page-aligned");
AFTER(v1_nelms, gmem_write_u32(h->g, h->out.map + 12, 300))
CORRUPT(c_v1_nelms, "corrupt-map-v1-num-elms", HB_KHO_V1, HB_LUO_FDT,
	"kho.memory-map", v1_nelms, "a chunk claims 300 bitmaps (max 255)");
AFTER(v1_chunk_out, u64_at(h, last_chunk(h), HB_BAD_PA))
CORRUPT(c_v1_chunk_out, "corrupt-map-v1-chunk-outside-ram", HB_KHO_V1,
	HB_LUO_FDT, "kho.memory-map", v1_chunk_out,
	"a chunk next pointer far outside RAM");

static void order11(struct hb *h)
{
	uint64_t pa = hb_alloc(h, HB_PAGE << 11, HB_PAGE << 11);

	hb_preserve(h, pa, 11);
	hb_typical(h);
}
CORRUPT(c_v1_order, "corrupt-map-v1-order-11", HB_KHO_V1, HB_LUO_FDT,
	"kho.memory-map", order11, "a chunk of order 11 > MAX_PAGE_ORDER");
CORRUPT(c_rx_order, "corrupt-map-radix-order-11", HB_KHO_V3, HB_LUO_STRUCT_A,
	"kho.memory-map", order11, "a radix key encoding order 11");

AFTER(rx_cycle, u64_at(h, h->out.map + 8 * 511, h->out.map))
CORRUPT(c_rx_cycle, "corrupt-map-radix-cycle", HB_KHO_V2, HB_LUO_FDT,
	"kho.memory-map", rx_cycle, "a radix root entry points at the root");
AFTER(rx_out, u64_at(h, h->out.map + 8 * 511, HB_BAD_PA))
CORRUPT(c_rx_out, "corrupt-map-radix-outside-ram", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.memory-map", rx_out, "a radix node pointer far outside RAM");
AFTER(rx_unaligned, u64_at(h, h->out.map + 8 * 511, h->out.fdt + 0x80))
CORRUPT(c_rx_ua, "corrupt-map-radix-unaligned", HB_KHO_V4, HB_LUO_STRUCT_B,
	"kho.memory-map", rx_unaligned, "a radix node pointer not page-aligned");
static void rx_share_hook(struct hb *h)
{
	/* a second root slot reusing an existing level-4 node */
	for (unsigned int i = 0; i < 511; i++) {
		uint64_t child = gmem_read_u64(h->g, h->out.map + 8 * i);

		if (child) {
			u64_at(h, h->out.map + 8 * 511, child);
			return;
		}
	}
}
static void rx_share(struct hb *h)
{
	hb_typical(h);
	h->after_finish = rx_share_hook;
}
CORRUPT(c_rx_share, "corrupt-map-radix-shared-node", HB_KHO_V3, HB_LUO_FDT,
	"kho.memory-map", rx_share, "two radix entries share one node");

/* ---- kho.scratch ---- */
static void scratch_set(struct hb *h, uint64_t a0, uint64_t s0, uint64_t a1,
			uint64_t s1)
{
	struct hb_range r[2] = { { a0, s0 }, { a1, s1 } };

	hb_set_scratch(h, s1 ? 2 : 1, r);
	hb_typical(h);
}
static void sc_unaligned(struct hb *h)
{
	scratch_set(h, HB_SCRATCH0_START + 0x800, 0x8000000, 0, 0);
}
static void sc_overlap(struct hb *h)
{
	scratch_set(h, HB_SCRATCH0_START, 0x8000000, 0x08800000, 0x1000000);
}
static void sc_outside(struct hb *h)
{
	scratch_set(h, HB_SCRATCH0_START, 0x8000000, HB_BAD_PA, 0x200000);
}
static void sc_empty(struct hb *h)
{
	scratch_set(h, HB_SCRATCH0_START, 0x8000000, 0x0a000000, 0);
	h->nscratch = 2;
}
CORRUPT(c_sc_ua, "corrupt-scratch-unaligned", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.scratch", sc_unaligned, "a scratch area not page-aligned");
CORRUPT(c_sc_ovl, "corrupt-scratch-overlap", HB_KHO_V1, HB_LUO_FDT,
	"kho.scratch", sc_overlap, "two scratch areas overlap");
CORRUPT(c_sc_out, "corrupt-scratch-outside-ram", HB_KHO_V2, HB_LUO_FDT,
	"kho.scratch", sc_outside, "a scratch area far outside RAM");
CORRUPT(c_sc_empty, "corrupt-scratch-empty-area", HB_KHO_V3, HB_LUO_STRUCT_A,
	"kho.scratch", sc_empty, "a scratch area of size 0");
AFTER(sc_size, u64_at(h, h->out.kho_data + 24, 20))
CORRUPT(c_sc_size, "corrupt-scratch-array-size", HB_KHO_V4, HB_LUO_STRUCT_B,
	"kho.scratch", sc_size, "scratch_size 20 is not a multiple of 16");

/* ---- kho.scratch-disjoint / kho.preserved-overlap ---- */
static void in_scratch(struct hb *h)
{
	hb_preserve(h, 0x02000000, 0);
	hb_typical(h);
}
CORRUPT(c_in_scratch, "corrupt-preserved-in-scratch", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.scratch-disjoint", in_scratch, "a preserved page inside scratch");
CORRUPT(c_in_scratch1, "corrupt-preserved-in-scratch-v1", HB_KHO_V1, HB_LUO_FDT,
	"kho.scratch-disjoint", in_scratch, "a preserved page inside scratch (bitmap map)");
static void overlap(struct hb *h)
{
	uint64_t pa = hb_alloc_preserved(h, 9);

	hb_preserve(h, pa + 0x3000, 0);
	hb_typical(h);
}
CORRUPT(c_overlap, "corrupt-preserved-overlap", HB_KHO_V2, HB_LUO_FDT,
	"kho.preserved-overlap", overlap, "an order-0 block inside an order-9 block");
CORRUPT(c_overlap1, "corrupt-preserved-overlap-v1", HB_KHO_V1, HB_LUO_FDT,
	"kho.preserved-overlap", overlap, "an order-0 block inside an order-9 block (bitmap map)");

/* ---- kho.subtrees ---- */
static void sub_unpreserved(struct hb *h)
{
	hb_typical(h);
	hb_add_subtree(h, "kho-test", hb_alloc(h, HB_PAGE, HB_PAGE), 64);
}
CORRUPT(c_sub_np, "corrupt-subtree-not-preserved", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.subtrees", sub_unpreserved, "child kho-test points at unpreserved memory");
static void sub_no_size(struct hb *h)
{
	hb_typical(h);
	for (unsigned int i = 0; i < h->nsub; i++)
		if (!strcmp(h->sub[i].name, "memblock"))
			h->sub[i].no_size = true;
}
CORRUPT(c_sub_nosize, "corrupt-subtree-no-blob-size", HB_KHO_V3, HB_LUO_STRUCT_A,
	"kho.subtrees", sub_no_size, "kho-v3 child without blob-size");
static void sub_big(struct hb *h)
{
	hb_typical(h);
	for (unsigned int i = 0; i < h->nsub; i++)
		if (!strcmp(h->sub[i].name, "kexec-metadata"))
			h->sub[i].size = 3 * HB_PAGE;
}
CORRUPT(c_sub_big, "corrupt-subtree-blob-too-big", HB_KHO_V4, HB_LUO_STRUCT_B,
	"kho.subtrees", sub_big, "blob-size larger than the preserved block");
static void sub_v1prop_hook(struct hb *h)
{
	void *fdt = hb_fdt_open(h, h->out.fdt);
	int node = fdt_subnode_offset(fdt, 0, "memblock");

	fdt_setprop(fdt, node, "fdt", "\0\0\0\0\0\0\0\0", 8);
	fdt_delprop(fdt, node, "preserved-data");
	hb_fdt_close(fdt);
}
static void sub_v1prop(struct hb *h)
{
	hb_typical(h);
	h->after_finish = sub_v1prop_hook;
}
CORRUPT(c_sub_v1prop, "corrupt-subtree-v1-property-in-v2", HB_KHO_V2, HB_LUO_FDT,
	"kho.subtrees", sub_v1prop, "kho-v2 child carrying kho-v1's fdt property");
static void kexec_md_hook(struct hb *h)
{
	for (unsigned int i = 0; i < h->nsub; i++)
		if (!strcmp(h->sub[i].name, "kexec-metadata"))
			gmem_write_u32(h->g, h->sub[i].pa, 2);
}
static void kexec_md(struct hb *h)
{
	hb_typical(h);
	h->after_finish = kexec_md_hook;
}
CORRUPT(c_kexec_md, "corrupt-kexec-metadata-version", HB_KHO_V3, HB_LUO_STRUCT_B,
	"kho.subtrees", kexec_md, "kexec-metadata version 2");
static void memblock_scratch(struct hb *h)
{
	hb_typical(h);
	hb_add_memblock(h, "inscratch", 0x03000000, HB_PAGE);
}
CORRUPT(c_mb_scratch, "corrupt-memblock-region-in-scratch", HB_KHO_V2,
	HB_LUO_FDT, "kho.subtrees", memblock_scratch,
	"a reserve_mem region inside scratch and not preserved");
