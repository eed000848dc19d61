// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decoders against the ABI reference's worked example, built byte by
 * byte here rather than by the producer: a 2 MiB (order-9) folio and an
 * order-0 page, both at PA 0x4000_0000.
 *   kho-v1: chunk {order 9, {phys_start 0, bitmap}}, bitmap byte 64 = 0x01;
 *           chunk {order 0, {phys_start 0x4000_0000, bitmap}}, bit 0.
 *   radix:  order 9 key 0x0000_0800_0000_0200: L5 0, L4 2, L3 0, L2 0, L1 0,
 *           leaf bit 512; order 0 key 0x0010_0000_0004_0000: L5 2, L4 0,
 *           L3 0, L2 0, L1 8, leaf bit 0.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "../../lib/probe.h"
#include "../producer/gmem.h"
#include "../tap.h"

#define KD	0x00200000ULL	/* kho_data */
#define SCR	0x00201000ULL	/* scratch array */
#define FDT	0x00202000ULL
#define META	0x00300000ULL	/* chunk, bitmap and radix pages */

static void write_fdt(struct gmem *g, const char *compat, uint64_t map)
{
	uint8_t buf[4096], v[8];

	for (int i = 0; i < 8; i++)
		v[i] = (uint8_t)(map >> (8 * i));
	fdt_create(buf, sizeof(buf));
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property_string(buf, "compatible", compat);
	fdt_property(buf, "preserved-memory-map", v, 8);
	fdt_end_node(buf);
	fdt_finish(buf);
	gmem_write(g, FDT, buf, fdt_totalsize(buf));
}

static struct gmem *base(void)
{
	struct gmem *g = gmem_new();

	gmem_add_ram(g, 0x100000, 0x3ff00000);
	gmem_write_u64(g, KD, FDT);
	gmem_write_u64(g, KD + 8, 4096);
	gmem_write_u64(g, KD + 16, SCR);
	gmem_write_u64(g, KD + 24, 16);
	gmem_write_u64(g, SCR, 0x01000000);	/* scratch [16 MiB, 32 MiB) */
	gmem_write_u64(g, SCR + 8, 0x01000000);
	return g;
}

static void expect_two(struct gmem *g, const char *what)
{
	struct probe *p = calloc(1, sizeof(*p));
	struct physmem pm;
	const struct pset *s;

	gmem_physmem(g, &pm);
	probe_init(p, &pm, NULL);
	p->start = PROBE_FROM_KHO_DATA;
	p->start_pa = KD;
	probe_run(p);
	s = &p->kho.preserved;
	ok(check_passed(&p->rep, CK_KHO_MEMORY_MAP), "%s: map decodes (%s)", what,
	   p->rep.r[CK_KHO_MEMORY_MAP].detail);
	ok(s->nblocks == 2 && s->nrun == 2 && s->run[0].pa == 0x40000000 &&
	   s->run[1].pa == 0x40000000 && s->run[0].order == 0 &&
	   s->run[1].order == 9,
	   "%s: order-0 and order-9 blocks at 0x40000000", what);
	ok(check_failed(&p->rep, CK_KHO_PRESERVED_OVERLAP),
	   "%s: the two overlap, and that is reported", what);
	probe_release(p);
	free(p);
}

static void test_bitmap(void)
{
	struct gmem *g = base();
	uint64_t c0 = META, c1 = META + 0x1000, b9 = META + 0x2000,
		 b0 = META + 0x3000;

	write_fdt(g, "kho-v1", c0);
	gmem_write_u64(g, c0, c1);		/* next */
	gmem_write_u32(g, c0 + 8, 9);		/* order */
	gmem_write_u32(g, c0 + 12, 1);		/* num_elms */
	gmem_write_u64(g, c0 + 16, 0);		/* phys_start */
	gmem_write_u64(g, c0 + 24, b9);
	gmem_write(g, b9 + 64, "\x01", 1);	/* bit 512 */
	gmem_write_u32(g, c1 + 8, 0);
	gmem_write_u32(g, c1 + 12, 1);
	gmem_write_u64(g, c1 + 16, 0x40000000);
	gmem_write_u64(g, c1 + 24, b0);
	gmem_write(g, b0, "\x01", 1);		/* bit 0 */
	expect_two(g, "kho-v1 bitmap");
	gmem_free(g);
}

static void test_radix(void)
{
	struct gmem *g = base();
	uint64_t root = META, pg = META + 0x1000;

	write_fdt(g, "kho-v2", root);
	/* order 9: L5[0] -> L4[2] -> L3[0] -> L2[0] -> L1[0] -> leaf bit 512 */
	gmem_write_u64(g, root + 8 * 0, pg);
	gmem_write_u64(g, pg + 8 * 2, pg + 0x1000);
	gmem_write_u64(g, pg + 0x1000, pg + 0x2000);
	gmem_write_u64(g, pg + 0x2000, pg + 0x3000);
	gmem_write_u64(g, pg + 0x3000, pg + 0x4000);
	gmem_write(g, pg + 0x4000 + 64, "\x01", 1);
	/* order 0: L5[2] -> L4[0] -> L3[0] -> L2[0] -> L1[8] -> leaf bit 0 */
	pg += 0x5000;
	gmem_write_u64(g, root + 8 * 2, pg);
	gmem_write_u64(g, pg, pg + 0x1000);
	gmem_write_u64(g, pg + 0x1000, pg + 0x2000);
	gmem_write_u64(g, pg + 0x2000, pg + 0x3000);
	gmem_write_u64(g, pg + 0x3000 + 8 * 8, pg + 0x4000);
	gmem_write(g, pg + 0x4000, "\x01", 1);
	expect_two(g, "kho-v2 radix");
	gmem_free(g);
}

int main(void)
{
	test_bitmap();
	test_radix();
	return done_testing();
}
