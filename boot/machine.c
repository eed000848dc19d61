// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building the normalized machine view from what the loader handed over.
 * These run before our page tables exist, on the loader's identity map, so
 * they read the handover directly; everything is copied into struct
 * machine at once because PVH puts its start info in low memory we do
 * not own.
 */
#include <inttypes.h>
#include <string.h>

#include "../arch/x86/entry.h"
#include "../lib/physmem.h"
#include "bootparams.h"
#include "livemem.h"
#include "machine.h"

struct machine machine;
struct boot_layout boot_layout;

const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return "ram";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "acpi";
	case E820_NVS:
		return "acpi-nvs";
	case E820_UNUSABLE:
		return "unusable";
	case E820_PMEM:
		return "pmem";
	default:
		return "other";
	}
}

void machine_add_mem(struct machine *m, uint64_t start, uint64_t size,
		     uint32_t type)
{
	struct mem_range *last = m->nmem ? &m->mem[m->nmem - 1] : NULL;
	uint64_t end = start + size;

	if (!size || end < start)
		return;
	if (last && last->type == type && last->end == start) {
		last->end = end;
		return;
	}
	if (m->nmem == MACHINE_MAX_MEM) {
		m->mem_dropped++;
		return;
	}
	m->mem[m->nmem++] = (struct mem_range){ start, end, type };
}

void machine_sort_mem(struct machine *m)
{
	/* Insertion sort: at most MACHINE_MAX_MEM entries, usually sorted. */
	for (size_t i = 1; i < m->nmem; i++) {
		struct mem_range r = m->mem[i];
		size_t j = i;

		for (; j > 0 && m->mem[j - 1].start > r.start; j--)
			m->mem[j] = m->mem[j - 1];
		m->mem[j] = r;
	}
	for (size_t i = 0, k = 0; i < m->nmem; i++) {
		struct mem_range *last = k ? &m->mem[k - 1] : NULL;

		if (last && last->type == m->mem[i].type &&
		    m->mem[i].start <= last->end) {
			if (m->mem[i].end > last->end)
				last->end = m->mem[i].end;
		} else {
			m->mem[k++] = m->mem[i];
		}
		if (i + 1 == m->nmem)
			m->nmem = k;
	}
}

/* End of the RAM range holding @pa, or 0: bounds raw reads. */
static uint64_t mapped_end(const struct machine *m, uint64_t pa)
{
	for (size_t i = 0; i < m->nmem; i++)
		if (m->mem[i].type == E820_RAM && m->mem[i].start <= pa &&
		    pa < m->mem[i].end)
			return m->mem[i].end;
	return 0;
}

/*
 * The command line is read before our page tables exist, so only where
 * the memory map says there is RAM (the loader maps all of it).
 */
static void copy_cmdline(struct machine *m, uint64_t pa)
{
	const char *s = (const char *)pa;
	uint64_t end = mapped_end(m, pa);
	size_t i;

	m->cmdline_pa = pa;
	if (!pa)
		return;
	if (!end) {
		m->cmdline_cut = true;
		return;
	}
	for (i = 0; i + 1 < sizeof(m->cmdline) && pa + i < end && s[i]; i++)
		m->cmdline[i] = s[i];
	m->cmdline[i] = 0;
	m->cmdline_cut = pa + i < end ? s[i] != 0 : true;
}

/*
 * Beyond 128 ranges, kexec-tools puts the rest of the e820 map in
 * SETUP_E820_EXT setup_data nodes (20-byte entries).  Read only nodes that
 * lie inside the map we have so far.
 */
static void add_e820_ext(struct machine *m, uint64_t pa)
{
	for (int n = 0; pa && n < SETUP_DATA_MAX_NODES; n++) {
		const uint8_t *node = (const uint8_t *)pa;
		uint64_t end = mapped_end(m, pa);
		uint32_t type, len;

		if (!end || end - pa < SETUP_DATA_HDR)
			return;
		type = get_le32(node + 8);
		len = get_le32(node + 12);
		if (type == SETUP_E820_EXT &&
		    end - pa - SETUP_DATA_HDR >= len) {
			for (uint32_t off = 0; off + E820_ENTRY_SIZE <= len;
			     off += E820_ENTRY_SIZE) {
				const uint8_t *e = node + SETUP_DATA_HDR + off;

				machine_add_mem(m, get_le64(e), get_le64(e + 8),
						get_le32(e + 16));
			}
			m->mem_source = "boot_params e820 + SETUP_E820_EXT";
		}
		pa = get_le64(node);
	}
}

void machine_from_boot_params(struct machine *m, uint64_t bp_pa)
{
	const uint8_t *bp = (const uint8_t *)bp_pa;
	unsigned int n = bp[BP_E820_ENTRIES];

	m->boot_params_pa = bp_pa;
	m->mem_source = "boot_params e820";
	if (n > BP_E820_MAX)
		n = BP_E820_MAX;
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *e = bp + BP_E820_TABLE + i * E820_ENTRY_SIZE;

		machine_add_mem(m, get_le64(e), get_le64(e + 8),
				get_le32(e + 16));
	}
	add_e820_ext(m, get_le64(bp + BP_SETUP_DATA));
	machine_sort_mem(m);
	copy_cmdline(m, get_le32(bp + BP_CMD_LINE_PTR) |
			(uint64_t)get_le32(bp + BP_EXT_CMD_LINE_PTR) << 32);
	m->initrd_pa = get_le32(bp + BP_RAMDISK_IMAGE) |
		       (uint64_t)get_le32(bp + BP_EXT_RAMDISK_IMAGE) << 32;
	m->initrd_size = get_le32(bp + BP_RAMDISK_SIZE) |
			 (uint64_t)get_le32(bp + BP_EXT_RAMDISK_SIZE) << 32;
	m->setup_data_pa = get_le64(bp + BP_SETUP_DATA);
	m->loader_type = bp[BP_TYPE_OF_LOADER];
	m->rsdp_pa = get_le64(bp + BP_ACPI_RSDP);
	if (m->rsdp_pa)
		m->rsdp_source = "boot_params acpi_rsdp_addr";
	if (get_le32(bp + BP_EFI_INFO) == EFI_LOADER_SIG64)
		m->efi_systab_pa = get_le32(bp + BP_EFI_SYSTAB_LO) |
				   (uint64_t)get_le32(bp + BP_EFI_SYSTAB_HI) << 32;
}

void machine_from_pvh(struct machine *m, uint64_t si_pa)
{
	const uint8_t *si = (const uint8_t *)si_pa;
	const uint8_t *map;
	uint32_t n;

	m->start_info_pa = si_pa;
	m->mem_source = "pvh start info";
	if (!si_pa || get_le32(si) != PVH_MAGIC) {
		m->mem_source = "none (bad pvh start info magic)";
		return;
	}
	map = (const uint8_t *)get_le64(si + PVH_MEMMAP);
	n = get_le32(si + PVH_MEMMAP_ENTRIES);
	for (uint32_t i = 0; map && i < n && i < 4 * MACHINE_MAX_MEM; i++) {
		const uint8_t *e = map + i * PVH_MEMMAP_ENTRY_SIZE;

		machine_add_mem(m, get_le64(e), get_le64(e + 8),
				get_le32(e + 16));
	}
	machine_sort_mem(m);
	copy_cmdline(m, get_le64(si + PVH_CMDLINE));
	m->rsdp_pa = get_le64(si + PVH_RSDP);
	if (m->rsdp_pa)
		m->rsdp_source = "pvh start info";
	if (get_le32(si + PVH_NR_MODULES)) {
		const uint8_t *mod = (const uint8_t *)get_le64(si + PVH_MODLIST);

		if (mod) {
			m->initrd_pa = get_le64(mod);
			m->initrd_size = get_le64(mod + 8);
		}
	}
}

static bool rsdp_valid(uint64_t pa)
{
	uint8_t b[36], sum = 0;
	unsigned int len = 20;

	if (live_read(pa, b, 20) || memcmp(b, "RSD PTR ", 8))
		return false;
	if (b[15] >= 2 && !live_read(pa, b, 36))
		len = 36;
	for (unsigned int i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

static uint64_t scan_rsdp(uint64_t start, uint64_t end)
{
	for (uint64_t pa = start; pa + 20 <= end; pa += 16)
		if (rsdp_valid(pa))
			return pa;
	return 0;
}

/* ACPI 2.0 then 1.0 table GUIDs, as stored (little-endian fields). */
static const uint8_t acpi20_guid[16] = {
	0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
	0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81,
};
static const uint8_t acpi10_guid[16] = {
	0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
	0x9a, 0x16, 0x00, 0x90, 0x27, 0x3c, 0xc1, 0x4d,
};

static uint64_t efi_find_table(uint64_t systab, const uint8_t guid[16])
{
	uint8_t b[24];
	uint64_t n, tables;

	if (live_read(systab + 0x68, b, 16))
		return 0;
	n = get_le64(b);
	tables = get_le64(b + 8);
	for (uint64_t i = 0; i < n && i < 256; i++) {
		if (live_read(tables + i * 24, b, 24))
			return 0;
		if (!memcmp(b, guid, 16))
			return get_le64(b + 16);
	}
	return 0;
}

void machine_find_rsdp(struct machine *m)
{
	uint8_t seg[2];
	uint64_t pa;

	if (m->rsdp_pa)
		return;
	if (m->efi_systab_pa) {
		pa = efi_find_table(m->efi_systab_pa, acpi20_guid);
		if (!pa)
			pa = efi_find_table(m->efi_systab_pa, acpi10_guid);
		if (pa && rsdp_valid(pa)) {
			m->rsdp_pa = pa;
			m->rsdp_source = "efi configuration table";
			return;
		}
	}
	if (!live_read(0x40e, seg, 2)) {
		uint64_t ebda = (uint64_t)get_le16(seg) << 4;

		if (ebda >= 0x80000 && ebda < 0xa0000)
			pa = scan_rsdp(ebda, ebda + 1024);
		else
			pa = 0;
		if (pa) {
			m->rsdp_pa = pa;
			m->rsdp_source = "ebda scan";
			return;
		}
	}
	pa = scan_rsdp(0xe0000, 0x100000);
	if (pa) {
		m->rsdp_pa = pa;
		m->rsdp_source = "bios area scan";
	}
}

bool machine_covers(const struct machine *m, uint64_t pa, uint64_t len,
		    bool ram_only)
{
	uint64_t end = pa + len;

	if (end < pa)
		return false;
	/* Sorted entries; adjacent ones of the right kind chain together. */
	for (size_t i = 0; i < m->nmem && pa < end; i++) {
		const struct mem_range *r = &m->mem[i];

		if (ram_only && r->type != E820_RAM)
			continue;
		if (r->start <= pa && pa < r->end)
			pa = r->end;
	}
	return pa >= end;
}

static void print_setup_data(struct out *o, const struct machine *m)
{
	uint64_t pa = m->setup_data_pa;
	int n = 0;

	if (!pa) {
		out_puts(o, "machine: setup_data none\n");
		return;
	}
	while (pa && n < SETUP_DATA_MAX_NODES) {
		uint8_t h[SETUP_DATA_HDR];

		if (live_read(pa, h, sizeof(h))) {
			out_printf(o, "machine: setup_data 0x%" PRIx64
				   " unreadable\n", pa);
			return;
		}
		out_printf(o, "machine: setup_data 0x%" PRIx64 " type %u len %u\n",
			   pa, get_le32(h + 8), get_le32(h + 12));
		pa = get_le64(h);
		n++;
	}
	if (pa)
		out_puts(o, "machine: setup_data chain longer than 64 nodes\n");
}

void machine_print(struct out *o, const struct machine *m)
{
	out_printf(o, "machine: entered via %s", m->entry);
	if (m->boot_params_pa)
		out_printf(o, ", boot_params 0x%" PRIx64 " (loader type 0x%02x)",
			   m->boot_params_pa, m->loader_type);
	if (m->start_info_pa)
		out_printf(o, ", pvh start info 0x%" PRIx64, m->start_info_pa);
	if (m->efi_systab_pa)
		out_printf(o, ", efi system table 0x%" PRIx64, m->efi_systab_pa);
	out_puts(o, "\n");
	out_printf(o, "machine: memory map from %s, %zu entries%s\n",
		   m->mem_source ? m->mem_source : "nowhere", m->nmem,
		   m->mem_dropped ? " (more dropped)" : "");
	for (size_t i = 0; i < m->nmem; i++)
		out_printf(o, "machine:   [0x%012" PRIx64 "-0x%012" PRIx64 ") %s\n",
			   m->mem[i].start, m->mem[i].end,
			   mem_type_name(m->mem[i].type));
	out_printf(o, "machine: command line \"%s\"%s\n", m->cmdline,
		   m->cmdline_cut ? " (cut: too long or outside the memory map)" : "");
	if (m->rsdp_pa)
		out_printf(o, "machine: rsdp 0x%" PRIx64 " (%s)\n", m->rsdp_pa,
			   m->rsdp_source);
	else
		out_puts(o, "machine: rsdp not found\n");
	if (m->initrd_size)
		out_printf(o, "machine: initrd [0x%" PRIx64 "-0x%" PRIx64 ")\n",
			   m->initrd_pa, m->initrd_pa + m->initrd_size);
	else
		out_puts(o, "machine: initrd none\n");
	print_setup_data(o, m);
}
