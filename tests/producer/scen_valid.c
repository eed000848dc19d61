// SPDX-License-Identifier: GPL-2.0-only
/* Valid handovers: one per KHO/LUO generation combination, and variants. */
#include <stdio.h>
#include <string.h>

#include "handover.h"

void hb_typical(struct hb *h)
{
	static const unsigned int orders[] = { 0, 1, 3, 9, 10, 0, 2 };
	uint64_t flb_data, region;
	unsigned int s;

	for (unsigned int i = 0; i < sizeof(orders) / sizeof(orders[0]); i++)
		gmem_write_u64(h->g, hb_alloc_preserved(h, orders[i]),
			       0x5a5a0000 + i);
	flb_data = hb_alloc_preserved(h, 0);
	gmem_write_u64(h->g, flb_data, 0x1234);
	hb_add_flb(h, "liveupdate-test-flb-v1", flb_data, 1);
	s = hb_add_session(h, "vm0");
	hb_add_memfd(h, s, 100, 8, 0, 0xaa, NULL);
	hb_add_memfd(h, s, 101, 2, 9, 0xbb, NULL);
	region = hb_alloc_preserved(h, 2);
	hb_add_memblock(h, "trace", region, HB_PAGE << 2);
	if (h->kho >= HB_KHO_V3)
		hb_add_kexec_metadata(h, "7.1.0-khoprobe", 3);
}

#define VALID(id, nm, k, l, fn, desc)					\
	HB_SCENARIO(id) = { .name = nm, .description = desc,		\
			    .expect_pass = true, .build = fn,		\
			    .kho = k, .luo = l }

VALID(v1_luo_fdt, "valid-kho-v1-luo-fdt", HB_KHO_V1, HB_LUO_FDT, hb_typical,
      "kho-v1 bitmap map, luo-v1 FDT, memfd files, memblock");
VALID(v2_luo_fdt, "valid-kho-v2-luo-fdt", HB_KHO_V2, HB_LUO_FDT, hb_typical,
      "kho-v2 radix map, luo-v1 FDT");
VALID(v3_luo_fdt, "valid-kho-v3-luo-fdt", HB_KHO_V3, HB_LUO_FDT, hb_typical,
      "kho-v3 with blob-size, luo-v1 FDT, kexec-metadata");
VALID(v3_struct_a, "valid-kho-v3-luo-struct-a", HB_KHO_V3, HB_LUO_STRUCT_A,
      hb_typical, "kho-v3, luo_ser variant A (luo-v3 string), block chains");
VALID(v3_struct_b, "valid-kho-v3-luo-struct-b", HB_KHO_V3, HB_LUO_STRUCT_B,
      hb_typical, "kho-v3, luo_ser variant B (feature flags)");
VALID(v4_struct_b, "valid-kho-v4-luo-struct-b", HB_KHO_V4, HB_LUO_STRUCT_B,
      hb_typical, "kho-v4, luo_ser variant B");

static void v1_in_scratch(struct hb *h)
{
	h->fdt_in_scratch = true;
	hb_typical(h);
}
VALID(v1_scratch_fdt, "valid-kho-v1-fdt-in-scratch", HB_KHO_V1, HB_LUO_FDT,
      v1_in_scratch, "6.16-style kho-v1: root FDT is a segment in scratch");

static void v4_composite(struct hb *h)
{
	static const char compat[] = "kho-v4,radix-v1\0kho-vmalloc-v1";

	h->compatible = compat;
	h->compatible_len = sizeof(compat);
	hb_typical(h);
}
VALID(v4_comp, "valid-kho-v4-composite", HB_KHO_V4, HB_LUO_STRUCT_B,
      v4_composite, "kho-v4 composite compatible string");

static void many(struct hb *h)
{
	char name[32];

	hb_typical(h);
	for (unsigned int i = 0; i < 60; i++) {
		unsigned int s;

		snprintf(name, sizeof(name), "session-%u", i);
		s = hb_add_session(h, name);
		if (i == 7)
			for (unsigned int f = 0; f < 70; f++)
				hb_add_file(h, s, "test-handler-v1", 0, f);
	}
	hb_add_memfd(h, 0, 102, 600, 0, 0xcc, NULL);
}
VALID(v3_many, "valid-kho-v3-struct-a-many", HB_KHO_V3, HB_LUO_STRUCT_A, many,
      "61 sessions and 70 files: multi-block chains, 600-folio memfd");
VALID(v1_many, "valid-kho-v1-luo-fdt-many", HB_KHO_V1, HB_LUO_FDT, many,
      "61 sessions in the luo-v1 session block, 70-file array");

static void scattered(struct hb *h)
{
	/* blocks far apart: several bitmaps per order, many radix nodes */
	static const struct hb_range ram[] = {
		{ 0, HB_RAM_LOW_END }, { HB_RAM_START, HB_RAM_END - HB_RAM_START },
		{ 0x100000000ULL, 0x800000000ULL },
	};

	gmem_add_ram(h->g, 0x100000000ULL, 0x800000000ULL);
	hb_set_e820(h, 3, ram);
	for (uint64_t i = 0; i < 64; i++)
		hb_preserve(h, 0x100000000ULL + i * 0x1f400000ULL, (unsigned int)(i % 11));
	hb_typical(h);
}
VALID(v1_scat, "valid-kho-v1-scattered", HB_KHO_V1, HB_LUO_FDT, scattered,
      "blocks across 32 GiB above 4 GiB, every order 0..10 (bitmap map)");
VALID(v2_scat, "valid-kho-v2-scattered", HB_KHO_V2, HB_LUO_FDT, scattered,
      "blocks across 32 GiB above 4 GiB, every order 0..10 (radix map)");

static void unknown_child(struct hb *h)
{
	uint64_t blob = hb_alloc_preserved(h, 1);

	gmem_write(h->g, blob, "test blob", 10);
	hb_typical(h);
	hb_add_subtree(h, "kho-test", blob, 10);
}
VALID(v2_unknown, "valid-kho-v2-unknown-subtree", HB_KHO_V2, HB_LUO_FDT,
      unknown_child, "an extra child kho-test, listed as an unknown subsystem");
VALID(v4_unknown, "valid-kho-v4-unknown-subtree", HB_KHO_V4, HB_LUO_STRUCT_B,
      unknown_child, "kho-v4 with an unknown child kho-test");
