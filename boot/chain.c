// SPDX-License-Identifier: GPL-2.0-only
/*
 * Start the next OS after the report, the way kexec would: a fresh zero
 * page from the next image's setup header, our e820, RSDP and setup_data
 * chain (the KHO node unchanged), the kernel, its initrd and zero page
 * placed inside scratch, and a jump to its 64-bit entry.  Nothing is
 * written before the final trampoline, which runs on its own page tables.
 */
#include <stdio.h>
#include <string.h>

#include "../arch/x86/chain_jump.h"
#include "../arch/x86/cpu.h"
#include "../arch/x86/entry.h"
#include "../lib/probe.h"
#include "bootparams.h"
#include "chain.h"
#include "machine.h"

#define PAGE		4096ULL
#define XLF_KERNEL_64	(1u << 0)
#define XLF_ABOVE_4G	(1u << 1)
#define XLF_5LEVEL	(1u << 5)
#define CHAIN_MAP_GIB	16		/* identity map for the jump */
#define BUSY_MAX	(8 + SETUP_DATA_MAX_NODES)

struct span {
	uint64_t start, end;
};

struct placer {
	struct span free[KHO_SCRATCH_MAX + MACHINE_MAX_MEM];
	unsigned int nfree;
	struct span busy[BUSY_MAX + 8];
	unsigned int nbusy;
};

/* Everything the trampoline needs lives in our image. */
static uint8_t next_zero_page[PAGE] __attribute__((aligned(4096)));
static char next_cmdline[CHAIN_CMDLINE_MAX];
static struct chain_copy copies[8];
static uint64_t jump_pml5[512] __attribute__((aligned(4096)));
static uint64_t jump_pml4[512] __attribute__((aligned(4096)));
static uint64_t jump_pdpt[512] __attribute__((aligned(4096)));
static uint64_t jump_pd[CHAIN_MAP_GIB][512] __attribute__((aligned(4096)));

int chain_policy_parse(const char *s)
{
	if (!strcmp(s, "pass"))
		return CHAIN_PASS;
	if (!strcmp(s, "always"))
		return CHAIN_ALWAYS;
	if (!strcmp(s, "never"))
		return CHAIN_NEVER;
	return -1;
}

const char *chain_policy_name(enum chain_policy p)
{
	return p == CHAIN_ALWAYS ? "always" : p == CHAIN_NEVER ? "never" : "pass";
}

void chain_prepare(struct chain_ctx *c, struct physmem *pm,
		   const struct machine *m)
{
	enum chain_policy policy = c->policy;

	memset(c, 0, sizeof(*c));
	c->policy = policy;
	chain_log_attach(&c->log, pm);
	/* The loader's own zero page and command line differ per loader. */
	if (m->boot_params_pa)
		chain_log_skip(&c->log, m->boot_params_pa, m->boot_params_pa + PAGE);
	if (m->cmdline_pa)
		chain_log_skip(&c->log, m->cmdline_pa,
			       m->cmdline_pa + strlen(m->cmdline) + 1);
	if (!m->initrd_size) {
		snprintf(c->next_why, sizeof(c->next_why),
			 "no initrd, so no next kernel (see docs/chain.md)");
		return;
	}
	c->next_ok = !chain_archive_parse(c->log.pm, m->initrd_pa,
					  m->initrd_size, &c->next,
					  c->next_why, sizeof(c->next_why));
}

void chain_check(struct chain_ctx *c, struct probe *p)
{
	uint64_t now = 0, first = 0;
	size_t changed;

	c->digest_entry = chain_log_digest(&c->log);
	if (!p->kho.present) {
		check_skip(&p->rep, CK_CHAIN_INTACT, "no KHO handover to pass on");
		return;
	}
	changed = chain_log_verify(&c->log, &now, &first);
	if (changed) {
		check_fail(&p->rep, CK_CHAIN_INTACT,
			   "page %#llx changed since the checks read it (%zu of %zu pages); digest at entry %016llx, now %016llx",
			   (unsigned long long)first, changed, c->log.n,
			   (unsigned long long)c->digest_entry,
			   (unsigned long long)now);
		return;
	}
	if (c->log.overflow)
		check_warn(&p->rep, CK_CHAIN_INTACT,
			   "%zu pages read beyond the log's %u-page capacity are not covered",
			   c->log.overflow, CHAIN_LOG_MAX);
	check_pass(&p->rep, CK_CHAIN_INTACT,
		   "digest %016llx over the %zu pages the checks read (KHO FDT, memory map, preserved blocks) is the same now as at entry",
		   (unsigned long long)c->digest_entry, c->log.n);
}

/* ---- placement inside scratch ---- */

static void add_busy(struct placer *pl, uint64_t start, uint64_t len)
{
	if (len && pl->nbusy < sizeof(pl->busy) / sizeof(pl->busy[0]))
		pl->busy[pl->nbusy++] = (struct span){ start & ~(PAGE - 1),
						       start + len };
}

static bool overlaps_busy(const struct placer *pl, uint64_t a, uint64_t len)
{
	for (unsigned int i = 0; i < pl->nbusy; i++)
		if (a < pl->busy[i].end && pl->busy[i].start < a + len)
			return true;
	return false;
}

/* Lowest @align-aligned [a, a + len) inside a free span, touching nothing busy. */
static uint64_t place(struct placer *pl, uint64_t len, uint64_t align)
{
	for (unsigned int i = 0; i < pl->nfree; i++) {
		uint64_t a = (pl->free[i].start + align - 1) & ~(align - 1);

		while (a >= pl->free[i].start && a + len <= pl->free[i].end) {
			if (!overlaps_busy(pl, a, len)) {
				add_busy(pl, a, len);
				return a;
			}
			a += align;
		}
	}
	return 0;
}

static void placer_init(struct placer *pl, const struct probe *p,
			const struct machine *m)
{
	uint64_t node = m->setup_data_pa;

	memset(pl, 0, sizeof(*pl));
	if (p->kho.present && p->kho.scratch_ok) {
		for (unsigned int i = 0; i < p->kho.nscratch; i++)
			pl->free[pl->nfree++] = (struct span){
				p->kho.scratch[i].addr,
				p->kho.scratch[i].addr + p->kho.scratch[i].size };
	} else {
		/* No handover: any RAM above 1 MiB is the next kernel's. */
		for (size_t i = 0; i < m->nmem; i++)
			if (m->mem[i].type == E820_RAM && m->mem[i].end > 0x100000)
				pl->free[pl->nfree++] = (struct span){
					m->mem[i].start < 0x100000 ? 0x100000 :
					m->mem[i].start, m->mem[i].end };
	}
	add_busy(pl, boot_layout.image_start,
		 boot_layout.image_end - boot_layout.image_start);
	add_busy(pl, boot_layout.heap_ext_lo,
		 boot_layout.heap_ext_hi - boot_layout.heap_ext_lo);
	add_busy(pl, m->boot_params_pa, PAGE);
	add_busy(pl, m->cmdline_pa, MACHINE_CMDLINE_MAX);
	add_busy(pl, m->initrd_pa, m->initrd_size);
	add_busy(pl, p->kho.fdt_pa, p->kho.fdt_size);
	add_busy(pl, p->kho.scratch_pa, p->kho.scratch_size);
	for (int n = 0; node && n < SETUP_DATA_MAX_NODES; n++) {
		uint8_t hdr[SETUP_DATA_HDR];

		if (p->pm->read(p->pm->ctx, node, hdr, sizeof(hdr),
				&(const char *){ NULL }))
			break;
		add_busy(pl, node, SETUP_DATA_HDR + get_le32(hdr + 12));
		node = get_le64(hdr);
	}
}

/* ---- the next image ---- */

struct next_hdr {
	uint8_t file[0x280];	/* sector 0 and the setup header */
	unsigned int setup_sects;
	uint64_t pm_offset, pm_size, memsz, align;
	uint32_t cmdline_size;
	uint16_t xloadflags;
};

static int read_next_hdr(const struct chain_ctx *c, struct next_hdr *h,
			 char *why, size_t n)
{
	const struct physmem *pm = c->log.pm;

	if (c->next.kernel_size < sizeof(h->file) ||
	    pm->read(pm->ctx, c->next.kernel_pa, h->file, sizeof(h->file),
		     &(const char *){ NULL })) {
		snprintf(why, n, "next kernel too short or unreadable");
		return -1;
	}
	h->setup_sects = h->file[0x1f1] ? h->file[0x1f1] : 4;
	h->pm_offset = (uint64_t)(h->setup_sects + 1) * 512;
	h->xloadflags = get_le16(h->file + 0x236);
	h->cmdline_size = get_le32(h->file + 0x238);
	h->align = get_le32(h->file + 0x230);
	h->memsz = (get_le32(h->file + 0x260) + PAGE - 1) & ~(PAGE - 1);
	if (memcmp(h->file + 0x202, "HdrS", 4) || get_le16(h->file + 0x1fe) != 0xaa55 ||
	    get_le16(h->file + 0x206) < 0x020c) {
		snprintf(why, n, "next kernel is not a bzImage of boot protocol 2.12+");
		return -1;
	}
	if (!(h->xloadflags & XLF_KERNEL_64)) {
		snprintf(why, n, "next kernel has no 64-bit entry (xloadflags %#x)",
			 h->xloadflags);
		return -1;
	}
	if ((read_cr4() & CR4_LA57) && !(h->xloadflags & XLF_5LEVEL)) {
		snprintf(why, n, "5-level paging is on and the next kernel cannot take it");
		return -1;
	}
	if (c->next.kernel_size <= h->pm_offset ||
	    h->memsz < c->next.kernel_size - h->pm_offset) {
		snprintf(why, n, "next kernel's init_size is smaller than its image");
		return -1;
	}
	if (h->align < PAGE || (h->align & (h->align - 1)))
		h->align = 2ULL << 20;
	h->pm_size = c->next.kernel_size - h->pm_offset;
	return 0;
}

static void put32(uint8_t *zp, unsigned int off, uint64_t lo_off_val)
{
	zp[off] = (uint8_t)lo_off_val;
	zp[off + 1] = (uint8_t)(lo_off_val >> 8);
	zp[off + 2] = (uint8_t)(lo_off_val >> 16);
	zp[off + 3] = (uint8_t)(lo_off_val >> 24);
}

static void build_zero_page(const struct chain_ctx *c, const struct probe *p,
			    const struct machine *m, const struct next_hdr *h,
			    uint64_t initrd, uint64_t cmdline)
{
	uint8_t *zp = next_zero_page;
	size_t hdr_end = 0x202 + h->file[0x201];
	unsigned int n = 0;

	memset(zp, 0, PAGE);
	if (hdr_end > sizeof(h->file))
		hdr_end = sizeof(h->file);
	memcpy(zp + BP_HDR, h->file + BP_HDR, hdr_end - BP_HDR);
	zp[BP_TYPE_OF_LOADER] = 0xd0;	/* as kexec */
	zp[0x211] &= (uint8_t)~0xa0;	/* no CAN_USE_HEAP, no QUIET */
	put32(zp, BP_CMD_LINE_PTR, cmdline);
	put32(zp, BP_EXT_CMD_LINE_PTR, cmdline >> 32);
	if (c->next.initrd_size) {
		put32(zp, BP_RAMDISK_IMAGE, initrd);
		put32(zp, BP_EXT_RAMDISK_IMAGE, initrd >> 32);
		put32(zp, BP_RAMDISK_SIZE, c->next.initrd_size);
		put32(zp, BP_EXT_RAMDISK_SIZE, c->next.initrd_size >> 32);
	}
	memcpy(zp + BP_ACPI_RSDP, &m->rsdp_pa, 8);
	memcpy(zp + BP_SETUP_DATA, &m->setup_data_pa, 8);
	/* e820: the table we were given, else our normalized map. */
	if (p->kho.ne820) {
		for (; n < p->kho.ne820 && n < BP_E820_MAX; n++)
			bp_put_e820(zp, n, p->kho.e820[n].addr,
				    p->kho.e820[n].size, p->kho.e820[n].type);
	} else {
		for (; n < m->nmem && n < BP_E820_MAX; n++)
			bp_put_e820(zp, n, m->mem[n].start,
				    m->mem[n].end - m->mem[n].start,
				    m->mem[n].type);
	}
	zp[BP_E820_ENTRIES] = (uint8_t)n;
	zp[BP_SENTINEL] = 0;
}

/* Identity map of [0, top) with 2 MiB pages, writable, for the trampoline. */
static int build_jump_map(uint64_t top, uint64_t *cr3)
{
	unsigned int gib = (unsigned int)((top + (1ULL << 30) - 1) >> 30);

	if (gib > CHAIN_MAP_GIB)
		return -1;
	memset(jump_pml5, 0, sizeof(jump_pml5));
	memset(jump_pml4, 0, sizeof(jump_pml4));
	memset(jump_pdpt, 0, sizeof(jump_pdpt));
	for (unsigned int g = 0; g < gib; g++) {
		jump_pdpt[g] = (uint64_t)(uintptr_t)jump_pd[g] | 3;
		for (unsigned int i = 0; i < 512; i++)
			jump_pd[g][i] = ((uint64_t)g << 30 | (uint64_t)i << 21) | 0x83;
	}
	jump_pml4[0] = (uint64_t)(uintptr_t)jump_pdpt | 3;
	jump_pml5[0] = (uint64_t)(uintptr_t)jump_pml4 | 3;
	*cr3 = (uint64_t)(uintptr_t)((read_cr4() & CR4_LA57) ? jump_pml5 : jump_pml4);
	return 0;
}

static uint64_t max_end(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static int plan(struct chain_ctx *c, const struct probe *p,
		const struct machine *m, struct next_hdr *h, size_t *ncopies,
		uint64_t *entry, uint64_t *zp_pa, uint64_t *cr3, char *why,
		size_t n)
{
	static struct placer pl;
	uint64_t kernel, initrd = 0, zp, top;
	size_t cl = strlen(c->next.cmdline) + 1;

	if (read_next_hdr(c, h, why, n))
		return -1;
	if (cl > h->cmdline_size + 1) {
		snprintf(why, n, "command line longer than the next kernel's %u bytes",
			 h->cmdline_size);
		return -1;
	}
	placer_init(&pl, p, m);
	kernel = place(&pl, h->memsz, h->align);
	if (c->next.initrd_size)
		initrd = place(&pl, c->next.initrd_size, PAGE);
	zp = place(&pl, PAGE + CHAIN_CMDLINE_MAX, PAGE);
	if (!kernel || !zp || (c->next.initrd_size && !initrd)) {
		snprintf(why, n, "no room in %s for a %#llx-byte kernel, its initrd and zero page",
			 p->kho.present ? "the scratch areas" : "free RAM",
			 (unsigned long long)h->memsz);
		return -1;
	}
	if ((kernel + h->memsz > (1ULL << 32) || initrd + c->next.initrd_size > (1ULL << 32)) &&
	    !(h->xloadflags & XLF_ABOVE_4G)) {
		snprintf(why, n, "next kernel cannot be loaded above 4 GiB");
		return -1;
	}
	memcpy(next_cmdline, c->next.cmdline, cl);
	build_zero_page(c, p, m, h, initrd, zp + PAGE);
	copies[0] = (struct chain_copy){ kernel, c->next.kernel_pa + h->pm_offset, h->pm_size };
	copies[1] = (struct chain_copy){ kernel + h->pm_size, 0, h->memsz - h->pm_size };
	copies[2] = (struct chain_copy){ zp, (uint64_t)(uintptr_t)next_zero_page, PAGE };
	copies[3] = (struct chain_copy){ zp + PAGE, (uint64_t)(uintptr_t)next_cmdline, cl };
	*ncopies = 4;
	if (c->next.initrd_size)
		copies[(*ncopies)++] = (struct chain_copy){ initrd, c->next.initrd_pa,
							    c->next.initrd_size };
	top = max_end(max_end(kernel + h->memsz, zp + 2 * PAGE),
		      max_end(initrd + c->next.initrd_size, boot_layout.image_end));
	top = max_end(top, max_end(c->next.kernel_pa + c->next.kernel_size,
				   m->setup_data_pa + PAGE));
	if (build_jump_map(top, cr3)) {
		snprintf(why, n, "addresses above %u GiB are not mapped for the jump",
			 CHAIN_MAP_GIB);
		return -1;
	}
	*entry = kernel + 0x200;
	*zp_pa = zp;
	return 0;
}

void chain_start(struct chain_ctx *c, struct probe *p, const struct machine *m,
		 struct out *o)
{
	static struct next_hdr h;
	char why[160];
	uint64_t entry, zp, cr3, now, first = 0;
	size_t ncopies;
	bool pass = report_verdict_pass(&p->rep);

	if (c->policy == CHAIN_NEVER) {
		out_printf(o, "chain: not chaining (khoprobe.chain=never)\n");
		return;
	}
	if (c->policy == CHAIN_PASS && !pass) {
		out_printf(o, "chain: not chaining: the verdict is fail (khoprobe.chain=pass)\n");
		return;
	}
	if (!c->next_ok) {
		out_printf(o, "chain: not chaining: %s\n", c->next_why);
		return;
	}
	if (chain_log_verify(&c->log, &now, &first)) {
		out_printf(o, "chain: refusing to chain: page %#llx of the handover changed (digest %016llx, at entry %016llx)\n",
			   (unsigned long long)first, (unsigned long long)now,
			   (unsigned long long)c->digest_entry);
		return;
	}
	if (plan(c, p, m, &h, &ncopies, &entry, &zp, &cr3, why, sizeof(why))) {
		out_printf(o, "chain: not chaining: %s\n", why);
		return;
	}
	out_printf(o, "chain: handover digest %016llx unchanged; next kernel %#llx bytes at %#llx (init_size %#llx), entry %#llx, zero page %#llx, initrd %#llx+%#llx, setup_data %#llx\n",
		   (unsigned long long)now, (unsigned long long)h.pm_size,
		   (unsigned long long)copies[0].dst, (unsigned long long)h.memsz,
		   (unsigned long long)entry, (unsigned long long)zp,
		   (unsigned long long)(c->next.initrd_size ? copies[4].dst : 0),
		   (unsigned long long)c->next.initrd_size,
		   (unsigned long long)m->setup_data_pa);
	out_printf(o, "chain: command line \"%s\"\n", c->next.cmdline);
	out_printf(o, "chain: jumping at tsc %llu\n", (unsigned long long)rdtsc());
	chain_jump(copies, ncopies, entry, zp, cr3,
		   CR4_PAE | (read_cr4() & CR4_LA57));
}
