// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KHO root FDT, built with libfdt's sequential-write API, and the small
 * FDT/struct blobs other subsystems hang off it (memblock, kexec-metadata).
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "handover_int.h"

#define FDT_OK(x)	do { if ((x) < 0) hb_die("fdt: " #x); } while (0)

static const char *const kho_compat[] = {
	[HB_KHO_V1] = "kho-v1", [HB_KHO_V2] = "kho-v2",
	[HB_KHO_V3] = "kho-v3", [HB_KHO_V4] = "kho-v4",
};

static void prop_u64(void *fdt, const char *name, uint64_t v)
{
	uint8_t b[8];

	hb_put_le64(b, v);	/* raw CPU bytes, not FDT cells */
	FDT_OK(fdt_property(fdt, name, b, 8));
}

void hb_write_kho_fdt(struct hb *h)
{
	uint8_t buf[HB_PAGE];
	const char *ptr_prop = h->kho == HB_KHO_V1 ? "fdt" : "preserved-data";

	FDT_OK(fdt_create(buf, sizeof(buf)));
	FDT_OK(fdt_finish_reservemap(buf));
	FDT_OK(fdt_begin_node(buf, ""));
	if (h->compatible)
		FDT_OK(fdt_property(buf, "compatible", h->compatible,
				    h->compatible_len ? (int)h->compatible_len :
				    (int)strlen(h->compatible) + 1));
	else
		FDT_OK(fdt_property_string(buf, "compatible",
					   kho_compat[h->kho]));
	prop_u64(buf, "preserved-memory-map", h->out.map);
	for (unsigned int i = 0; i < h->nsub; i++) {
		const struct hb_subtree *s = &h->sub[i];

		FDT_OK(fdt_begin_node(buf, s->name));
		prop_u64(buf, ptr_prop, s->pa);
		if (h->kho >= HB_KHO_V3 && !s->no_size)
			prop_u64(buf, "blob-size", s->size);
		FDT_OK(fdt_end_node(buf));
	}
	FDT_OK(fdt_end_node(buf));
	FDT_OK(fdt_finish(buf));
	gmem_write(h->g, h->out.fdt, buf, fdt_totalsize(buf));
}

void hb_add_memblock(struct hb *h, const char *region, uint64_t start,
		     uint64_t size)
{
	uint8_t buf[HB_PAGE];
	uint64_t pa = hb_alloc_preserved(h, 0);

	FDT_OK(fdt_create(buf, sizeof(buf)));
	FDT_OK(fdt_finish_reservemap(buf));
	FDT_OK(fdt_begin_node(buf, ""));
	FDT_OK(fdt_property_string(buf, "compatible", "memblock-v1"));
	FDT_OK(fdt_begin_node(buf, region));
	FDT_OK(fdt_property_string(buf, "compatible", "reserve-mem-v1"));
	prop_u64(buf, "start", start);
	prop_u64(buf, "size", size);
	FDT_OK(fdt_end_node(buf));
	FDT_OK(fdt_end_node(buf));
	FDT_OK(fdt_finish(buf));
	gmem_write(h->g, pa, buf, fdt_totalsize(buf));
	hb_add_subtree(h, "memblock", pa, fdt_totalsize(buf));
}

void hb_add_kexec_metadata(struct hb *h, const char *release,
			   uint32_t count)
{
	uint8_t blob[73] = { 0 };
	uint64_t pa = hb_alloc_preserved(h, 0);

	blob[0] = 1;	/* version */
	snprintf((char *)blob + 4, 65, "%s", release);
	for (int i = 0; i < 4; i++)
		blob[69 + i] = (uint8_t)(count >> (8 * i));
	gmem_write(h->g, pa, blob, sizeof(blob));
	hb_add_subtree(h, "kexec-metadata", pa, sizeof(blob));
}

void *hb_fdt_open(struct hb *h, uint64_t pa)
{
	void *fdt = hb_page(h, pa);

	if (fdt_open_into(fdt, fdt, HB_PAGE))
		hb_die("fdt_open_into");
	return fdt;
}

void hb_fdt_close(void *fdt)
{
	if (fdt_pack(fdt))
		hb_die("fdt_pack");
}
