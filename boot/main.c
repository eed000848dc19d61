// SPDX-License-Identifier: GPL-2.0-only
/*
 * boot_main(): the one C entry of every boot path.  Collects the machine
 * view, brings up the console, builds our page tables, then runs the whole
 * probe and prints the human report, KTAP and the KHOPROBE-JSON line, and
 * ends with the verdict on isa-debug-exit.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "../arch/x86/cpu.h"
#include "../arch/x86/entry.h"
#include "../arch/x86/exceptions.h"
#include "../arch/x86/exit.h"
#include "../arch/x86/paging.h"
#include "../arch/x86/serial.h"
#include "../lib/probe.h"
#include "../lib/report.h"
#include "bootparams.h"
#include "chain.h"
#include "console.h"
#include "heapext.h"
#include "layout.h"
#include "livemem.h"
#include "machine.h"
#include "options.h"
#include "selftest.h"

static struct probe probe;
static struct physmem live_pm;
static struct platform live_plat;
static unsigned int paging_failures;
static struct chain_ctx chain;
void (*boot_report_done)(struct probe *p);
/* The restore rehearsal's own queue and status pages (in our image). */
static uint8_t restore_work[2 * 4096] __attribute__((aligned(4096)));

static const char *entry_name(unsigned int kind)
{
	switch (kind) {
	case BOOT_PVH:
		return "pvh";
	case BOOT_LINUX32:
		return "linux 32-bit protocol";
	case BOOT_LINUX64:
		return "linux 64-bit entry (kexec)";
	default:
		return "uefi";
	}
}

static void map_or_count(uint64_t pa, uint64_t len, uint64_t attr)
{
	if (paging_map(pa, len, attr))
		paging_failures++;
}

/*
 * Identity map: the first MiB, every memory-map range (RAM, ACPI, NVS and
 * persistent memory write-back, anything else uncached) and our own
 * footprint; the page below the stack stays unmapped as a guard.
 */
static void setup_paging(const struct machine *m, const struct boot_layout *l)
{
	paging_begin(l->pool_lo, l->pool_hi - l->pool_lo);
	map_or_count(0, 0xa0000, MAP_WB);
	map_or_count(0xa0000, 0x60000, MAP_UC);
	for (size_t i = 0; i < m->nmem; i++) {
		const struct mem_range *r = &m->mem[i];
		bool wb = r->type == E820_RAM || r->type == E820_ACPI ||
			  r->type == E820_NVS || r->type == E820_PMEM;

		map_or_count(r->start, r->end - r->start, wb ? MAP_WB : MAP_UC);
	}
	map_or_count(l->image_start, l->code_end - l->image_start, MAP_WB);
	map_or_count(l->stack_lo, l->stack_hi - l->stack_lo, MAP_WB);
	map_or_count(l->heap_lo, l->heap_hi - l->heap_lo, MAP_WB);
	map_or_count(l->pool_lo, l->pool_hi - l->pool_lo, MAP_WB);
	if (l->early_pt_hi)
		map_or_count(l->early_pt_lo, l->early_pt_hi - l->early_pt_lo,
			     MAP_WB);
	if (paging_unmap(l->stack_lo - PAGE_SIZE, PAGE_SIZE))
		paging_failures++;
	paging_activate();
}

static void print_footprint(struct out *o, const struct platform *p)
{
	uint64_t lo = ~0ull, hi = 0, total = 0;

	for (size_t i = 0; i < p->nfootprint; i++) {
		const struct phys_range *r = &p->footprint[i];

		out_printf(o, "footprint: %-17s [0x%" PRIx64 "-0x%" PRIx64 ") %" PRIu64 " KiB\n",
			   r->what, r->start, r->end, (r->end - r->start) >> 10);
		total += r->end - r->start;
		lo = r->start < lo ? r->start : lo;
		hi = r->end > hi ? r->end : hi;
	}
	out_printf(o, "footprint: total %" PRIu64 " KiB within [0x%" PRIx64 "-0x%" PRIx64 ")\n",
		   total >> 10, lo, hi);
}

static void print_paging(struct out *o)
{
	struct paging_stats s;

	paging_get_stats(&s);
	out_printf(o, "paging: %u-level identity map, %s pages, %u-bit physical, %" PRIu64 " of %" PRIu64 " table pages used%s\n",
		   s.levels, s.gbpages ? "1 GiB" : "2 MiB", s.phys_bits,
		   s.pool_used / PAGE_SIZE, s.pool_size / PAGE_SIZE,
		   paging_failures ? " (pool exhausted: some ranges unmapped)" : "");
	if (s.extra_tables)
		out_printf(o, "paging: %" PRIu64 " more table pages from the heap's scratch extension\n",
			   s.extra_tables);
}

/* Is [a, b) clear of every footprint range? Otherwise where it collides. */
static const struct phys_range *footprint_hit(uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < live_plat.nfootprint; i++) {
		const struct phys_range *r = &live_plat.footprint[i];

		if (a < r->end && r->start < b)
			return r;
	}
	return NULL;
}

/* Map [a, b) read-only except where our own footprint lies. */
static int protect_range(uint64_t a, uint64_t b, int depth)
{
	const struct phys_range *r = footprint_hit(a, b);
	int err = 0;

	if (!r)
		return paging_map_ro(a, b - a) ? 1 : 0;
	if (depth > PLATFORM_MAX_FOOTPRINT)
		return 1;
	printf("paging: preserved [0x%" PRIx64 "-0x%" PRIx64 ") overlaps our %s: left writable\n",
	       a > r->start ? a : r->start, b < r->end ? b : r->end, r->what);
	if (a < r->start)
		err += protect_range(a, r->start, depth + 1);
	if (r->end < b)
		err += protect_range(r->end, b, depth + 1);
	return err;
}

/*
 * Splitting large pages around many scattered preserved ranges can need
 * more table pages than the fixed pool holds.  When the heap has grown
 * into free scratch, lend the page tables up to a quarter of it, so the
 * checks keep the rest; without the extension the pool stays the limit.
 */
static uint64_t tables_lent, tables_lendable;

static uint64_t table_from_heap(void)
{
	void *t;

	if (tables_lent >= tables_lendable)
		return 0;
	t = memalign(PAGE_SIZE, PAGE_SIZE);
	if (t)
		tables_lent++;
	return (uint64_t)t;
}

static void lend_heap_to_page_tables(void)
{
	uint64_t ext = boot_layout.heap_ext_hi - boot_layout.heap_ext_lo;

	if (!ext)
		return;
	tables_lendable = ext / 4 / PAGE_SIZE;
	paging_set_table_source(table_from_heap);
}

/* probe->after_kho: every preserved block becomes read-only. */
static void protect_preserved(struct probe *p)
{
	const struct pset *s = &p->kho.preserved;
	uint64_t bytes = 0;
	int err = 0;

	if (!p->kho.memory_map_ok) {
		printf("paging: no usable preserved-memory map, nothing mapped read-only\n");
		return;
	}
	lend_heap_to_page_tables();
	for (size_t i = 0; i < s->nrng; i++) {
		for (size_t k = 0; k < machine.nmem; k++) {
			const struct mem_range *m = &machine.mem[k];
			uint64_t a = s->rng[i].start > m->start ? s->rng[i].start : m->start;
			uint64_t b = s->rng[i].end < m->end ? s->rng[i].end : m->end;

			if (m->type != E820_RAM || a >= b)
				continue;
			err += protect_range(a, b, 0);
			bytes += b - a;
		}
	}
	printf("paging: %zu preserved ranges, %" PRIu64 " bytes of RAM mapped read-only%s\n",
	       s->nrng, bytes, err ? " (some failed: page-table pool exhausted)" : "");
	if (opt.selftest == SELFTEST_PRESERVED && s->nrng)
		selftest_write_preserved(s->rng[0].start);
}

static uint8_t synth_zero_page[BP_SIZE] __attribute__((aligned(4096)));

/* Without a zero page from the loader, check one built from our view. */
static uint64_t synthesize_boot_params(const struct machine *m)
{
	uint8_t *bp = synth_zero_page;
	size_t n = 0;

	memset(bp, 0, BP_SIZE);
	for (size_t i = 0; i < m->nmem && n < BP_E820_MAX; i++, n++)
		bp_put_e820(bp, n, m->mem[i].start,
			    m->mem[i].end - m->mem[i].start, m->mem[i].type);
	bp[BP_E820_ENTRIES] = (uint8_t)n;
	memcpy(bp + BP_ACPI_RSDP, &m->rsdp_pa, 8);
	return (uint64_t)bp;
}

static void choose_start(struct probe *p, const struct machine *m)
{
	if (opt.kho) {
		p->start = PROBE_FROM_KHO_DATA;
		p->start_pa = opt.kho;
		printf("probe: starting from KHO data 0x%" PRIx64 " (khoprobe.kho)\n",
		       opt.kho);
	} else if (opt.boot_params) {
		p->start = PROBE_FROM_BOOT_PARAMS;
		p->start_pa = opt.boot_params;
		printf("probe: starting from boot_params 0x%" PRIx64 " (khoprobe.boot_params)\n",
		       opt.boot_params);
	} else if (m->boot_params_pa) {
		p->start = PROBE_FROM_BOOT_PARAMS;
		p->start_pa = m->boot_params_pa;
		printf("probe: starting from boot_params 0x%" PRIx64 " (from the loader)\n",
		       m->boot_params_pa);
	} else {
		p->start = PROBE_FROM_BOOT_PARAMS;
		p->start_pa = synthesize_boot_params(m);
		printf("probe: no boot_params from the loader: checking one built from the %s memory map at 0x%" PRIx64 "\n",
		       m->entry, p->start_pa);
	}
}

static void collect(unsigned int kind, uint64_t info, struct machine *m)
{
	if (kind == BOOT_PVH)
		machine_from_pvh(m, info);
	else if (kind == BOOT_LINUX32 || kind == BOOT_LINUX64)
		machine_from_boot_params(m, info);
	m->kind = kind;
	m->entry = entry_name(kind);
}

extern uint64_t heap_used(void);

noreturn void boot_main(unsigned int kind, uint64_t info)
{
	struct machine *m = &machine;
	struct out *o = &console_out;
	uint64_t tsc_entry = rdtsc(), tsc_verdict;

	boot_layout_init(&boot_layout);
	exc_stack_lo = boot_layout.stack_lo;
	exc_stack_hi = boot_layout.stack_hi;
	cpu_init_tss();
	collect(kind, info, m);
	options_parse(m->cmdline);
	serial_init(opt.console_port);
	console_serial_enabled = true;
	exit_port = opt.exit_debug ? 0xf4 : 0;
	exit_action = opt.exit_reboot ? EXIT_REBOOT : EXIT_HALT;

	setup_paging(m, &boot_layout);
	machine_find_rsdp(m);
	livemem_init(&live_pm, m);
	platform_init(&live_plat, m, &boot_layout);

	printf("\nkhoprobe %s: KHO/LUO/IOMMU live-update handover checker\n",
	       KHOPROBE_VERSION);
	machine_print(o, m);
	print_paging(o);
	print_footprint(o, &live_plat);
	/* before the checks: the map decode may need more than the fixed heap */
	heapext_setup(o, m, &live_plat, opt.kho ? 0 : opt.boot_params ?
		      opt.boot_params : m->boot_params_pa, opt.kho);
	printf("cpu: cr0 0x%" PRIx64 " cr4 0x%" PRIx64 ", tsc %" PRIu64 " kHz\n",
	       read_cr0(), read_cr4(), live_plat.tsc_hz / 1000);
	options_report(o);
	if (opt.selftest != SELFTEST_NONE && opt.selftest != SELFTEST_PRESERVED)
		selftest_run(opt.selftest);

	probe_init(&probe, &live_pm, &live_plat);
	probe.after_kho = protect_preserved;
	probe.dma_canary = opt.dma_canary[0] ? opt.dma_canary : NULL;
	probe.restore_hw = opt.restore_hw;
	live_plat.work = (struct phys_range){ (uint64_t)restore_work,
		(uint64_t)restore_work + sizeof(restore_work), "restore queue" };
	choose_start(&probe, m);
	chain.policy = opt.chain;
	chain_prepare(&chain, &live_pm, m);
	probe_run(&probe);
	chain_check(&chain, &probe);
	tsc_verdict = rdtsc();

	out_puts(o, "\n");
	report_human(o, &probe.rep);
	probe_summary(o, &probe);
	printf("footprint: heap used %" PRIu64 " of %" PRIu64 " KiB\n",
	       heap_used() >> 10, (boot_layout.heap_hi - boot_layout.heap_lo +
				    boot_layout.heap_ext_hi - boot_layout.heap_ext_lo) >> 10);
	print_paging(o);
	report_ktap(o, &probe.rep);
	out_puts(o, "KHOPROBE-JSON: ");
	report_json(o, &probe.rep, "khoprobe", probe_json_handover, &probe);
	out_puts(o, "\n");
	printf("timing: entry to verdict %" PRIu64 " us (tsc %" PRIu64 " to %" PRIu64 ")\n",
	       live_plat.tsc_hz ? (tsc_verdict - tsc_entry) * 1000000 / live_plat.tsc_hz : 0,
	       tsc_entry, tsc_verdict);
	if (boot_report_done)
		boot_report_done(&probe);
	chain_start(&chain, &probe, m, o);
	console_flush();
	arch_exit(report_verdict_pass(&probe.rep) ? EXIT_PASS : EXIT_FAIL);
}
