// SPDX-License-Identifier: GPL-2.0-only
/*
 * The payload's machine view (boot/machine.c), on the host: zero pages,
 * SETUP_E820_EXT nodes and PVH start info built in a buffer whose host
 * address plays the physical address (the payload reads the loader's
 * structures through an identity map, so the code is the same).
 */
#include <string.h>

#include "../../boot/machine.c"
#include "../tap.h"

/* No page tables on the host: everything in the test buffer is "mapped". */
static uint8_t ram[64 * 1024] __attribute__((aligned(4096)));

int live_read(uint64_t pa, void *buf, size_t len)
{
	uint64_t lo = (uint64_t)ram, hi = lo + sizeof(ram);

	if (pa < lo || pa + len > hi || pa + len < pa)
		return -1;
	memcpy(buf, ram + (pa - lo), len);
	return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void e820(uint8_t *bp, unsigned int i, uint64_t a, uint64_t s, uint32_t t)
{
	put64(bp + BP_E820_TABLE + i * 20, a);
	put64(bp + BP_E820_TABLE + i * 20 + 8, s);
	put32(bp + BP_E820_TABLE + i * 20 + 16, t);
}

#define PA(off)	((uint64_t)(ram + (off)))

/* Zero page at +0 with RAM = the buffer, a cmdline at +0x2000. */
static uint8_t *zero_page(void)
{
	uint8_t *bp = ram;

	memset(ram, 0, sizeof(ram));
	e820(bp, 0, 0x100000, 0x100000, E820_RESERVED);
	e820(bp, 1, PA(0), sizeof(ram), E820_RAM);
	bp[BP_E820_ENTRIES] = 2;
	strcpy((char *)ram + 0x2000, "khoprobe.console=ttyS1 quiet");
	put32(bp + BP_CMD_LINE_PTR, (uint32_t)PA(0x2000));
	put32(bp + BP_EXT_CMD_LINE_PTR, (uint32_t)(PA(0x2000) >> 32));
	put64(bp + BP_ACPI_RSDP, 0xf59e0);
	return bp;
}

static void test_boot_params(void)
{
	struct machine m = { 0 };
	uint8_t *bp = zero_page();
	uint8_t *node = ram + 0x1000;

	/* SETUP_E820_EXT with two more ranges, then a second, foreign node. */
	put64(bp + BP_SETUP_DATA, PA(0x1000));
	put64(node, PA(0x1800));
	put32(node + 8, SETUP_E820_EXT);
	put32(node + 12, 40);
	put64(node + 16, 0x200000000ull);
	put64(node + 24, 0x100000000ull);
	put32(node + 32, E820_RAM);
	put64(node + 36, 0x300000000ull);
	put64(node + 44, 0x1000);
	put32(node + 52, E820_NVS);
	put64(ram + 0x1800, 0);
	put32(ram + 0x1800 + 8, 10);
	put32(ram + 0x1800 + 12, 32);

	machine_from_boot_params(&m, PA(0));
	is_u64(m.nmem, 4, "two zero-page ranges plus two from SETUP_E820_EXT");
	is_u64(m.mem[0].start, 0x100000, "sorted: the reserved MiB first");
	ok(machine_covers(&m, 0x300000000ull, 0x1000, false) &&
	   !machine_covers(&m, 0x300000000ull, 0x1000, true),
	   "the extension's NVS range is in the map, not as RAM");
	is_str(m.mem_source, "boot_params e820 + SETUP_E820_EXT", "source names the extension");
	is_str(m.cmdline, "khoprobe.console=ttyS1 quiet", "command line through cmd_line_ptr");
	ok(!m.cmdline_cut, "command line not cut");
	is_u64(m.rsdp_pa, 0xf59e0, "acpi_rsdp_addr");
	is_u64(m.setup_data_pa, PA(0x1000), "setup_data head");
	ok(machine_covers(&m, 0x200000000ull, 0x100000000ull, true), "extension RAM is RAM");
	ok(!machine_covers(&m, 0x100000, 0x1000, false) == false, "reserved range is in the map");
	ok(!machine_covers(&m, 0x100000, 0x1000, true), "reserved range is not RAM");
}

static void test_hostile_boot_params(void)
{
	struct machine m = { 0 };
	uint8_t *bp = zero_page();
	uint8_t *node = ram + 0x1000;

	/* Command line outside RAM: not read at all. */
	put32(bp + BP_CMD_LINE_PTR, 0x1000);
	put32(bp + BP_EXT_CMD_LINE_PTR, 0x7f);
	/* A SETUP_E820_EXT node that points at itself, with a len too big. */
	put64(bp + BP_SETUP_DATA, PA(0x1000));
	put64(node, PA(0x1000));
	put32(node + 8, SETUP_E820_EXT);
	put32(node + 12, 20);
	put64(node + 16, 0x400000000ull);
	put64(node + 24, 0x1000);
	put32(node + 32, E820_RAM);
	bp[BP_E820_ENTRIES] = 200;	/* more than the table holds */
	machine_from_boot_params(&m, PA(0));
	ok(m.cmdline_cut && !m.cmdline[0], "command line outside RAM is not read");
	ok(m.nmem <= 130, "e820_entries clamped to 128 (%zu ranges)", m.nmem);
	ok(machine_covers(&m, 0x400000000ull, 0x1000, true),
	   "the looping node's range is there once the loop is cut");

	/* A command line that runs to the end of RAM without a NUL. */
	bp = zero_page();
	memset(ram + sizeof(ram) - 16, 'x', 16);
	put32(bp + BP_CMD_LINE_PTR, (uint32_t)PA(sizeof(ram) - 16));
	put32(bp + BP_EXT_CMD_LINE_PTR, (uint32_t)(PA(sizeof(ram) - 16) >> 32));
	memset(&m, 0, sizeof(m));
	machine_from_boot_params(&m, PA(0));
	is_u64(strlen(m.cmdline), 16, "unterminated command line stops at the end of RAM");
	ok(m.cmdline_cut, "and is marked cut");
}

static void test_pvh(void)
{
	struct machine m = { 0 };
	uint8_t *si = ram, *map = ram + 0x100, *mod = ram + 0x200;

	memset(ram, 0, sizeof(ram));
	put32(si, PVH_MAGIC);
	put32(si + 4, 1);
	put32(si + PVH_NR_MODULES, 1);
	put64(si + PVH_MODLIST, PA(0x200));
	put64(si + PVH_CMDLINE, PA(0x300));
	put64(si + PVH_RSDP, 0xf59e0);
	put64(si + PVH_MEMMAP, PA(0x100));
	put32(si + PVH_MEMMAP_ENTRIES, 3);
	put64(map, 0x100000);			/* unsorted on purpose */
	put64(map + 8, 0x3fee0000);
	put32(map + 16, E820_RAM);
	put64(map + 24, 0);
	put64(map + 32, 0x9fc00);
	put32(map + 40, E820_RAM);
	put64(map + 48, 0x9fc00);
	put64(map + 56, 0x400);
	put32(map + 64, E820_RESERVED);
	put64(mod, 0x1ffbf000);
	put64(mod + 8, 5000);
	strcpy((char *)ram + 0x300, "console=ttyS0");
	machine_from_pvh(&m, PA(0));
	is_u64(m.nmem, 3, "three memmap entries");
	is_u64(m.mem[0].start, 0, "sorted by start");
	is_u64(m.mem[1].type, E820_RESERVED, "reserved entry kept");
	is_str(m.cmdline, "", "PVH command line outside the test RAM map is not read");
	is_u64(m.initrd_pa, 0x1ffbf000, "initrd from the first module");
	is_u64(m.initrd_size, 5000, "initrd size");
	is_u64(m.rsdp_pa, 0xf59e0, "RSDP from the start info");

	memset(&m, 0, sizeof(m));
	put32(si, 0x12345678);
	machine_from_pvh(&m, PA(0));
	is_u64(m.nmem, 0, "bad magic: nothing taken");
}

static void test_merge(void)
{
	struct machine m = { 0 };

	machine_add_mem(&m, 0x200000, 0x100000, E820_RAM);
	machine_add_mem(&m, 0x0, 0x100000, E820_RAM);
	machine_add_mem(&m, 0x100000, 0x100000, E820_RAM);
	machine_add_mem(&m, 0x280000, 0x100000, E820_RAM);	/* overlaps */
	machine_add_mem(&m, 0x380000, 0x1000, E820_ACPI);
	machine_add_mem(&m, 0x500000, 0, E820_RAM);		/* empty */
	machine_sort_mem(&m);
	is_u64(m.nmem, 2, "touching and overlapping RAM merged, ACPI apart");
	is_u64(m.mem[0].end, 0x380000, "merged RAM end");
	ok(machine_covers(&m, 0x0, 0x380000, true), "covers across the merged ranges");
	ok(!machine_covers(&m, 0x37f000, 0x2000, true), "not into the ACPI range as RAM");
	ok(machine_covers(&m, 0x37f000, 0x2000, false), "but within the map");
	ok(!machine_covers(&m, ~0ull - 10, 100, false), "a wrapping range is never covered");
}

int main(void)
{
	test_boot_params();
	test_hostile_boot_params();
	test_pvh();
	test_merge();
	return done_testing();
}
