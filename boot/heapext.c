// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heap growth into free KHO scratch.  The fixed heap of our image is too
 * small for a preserved set of hundreds of thousands of runs, and the
 * image must stay small; scratch is where the next kernel's segments go
 * and the old kernel never preserves anything there, so what no segment,
 * no handover structure and none of our own memory uses is free.  The
 * handover is validated here with the rules of kho.scratch (page-aligned,
 * inside RAM, a bounded count, no overlaps); anything doubtful means no
 * extension.  We take from the top of the largest free gap, at most
 * HEAPEXT_MAX and at most half of it, and leave below it the room the
 * next kernel of the chain archive needs (its init_size, initrd and zero
 * page), so chaining still finds a place.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../arch/x86/entry.h"
#include "../arch/x86/paging.h"
#include "../lib/physmem.h"
#include "../kho/kho.h"
#include "bootparams.h"
#include "chain.h"
#include "heapext.h"
#include "livemem.h"

#define SETUP_KEXEC_KHO		10
#define KHO_DATA_SIZE		32
#define BUSY_MAX		(2 * SETUP_DATA_MAX_NODES + PLATFORM_MAX_FOOTPRINT + 16)

struct span {
	uint64_t start, end;
};

struct heapext {
	const struct machine *m;
	struct span area[KHO_SCRATCH_MAX];
	unsigned int narea;
	struct span busy[BUSY_MAX];
	unsigned int nbusy;
	uint64_t fdt_pa, fdt_size, scratch_pa, scratch_size;
	uint64_t chain_room;	/* bytes the next kernel needs in scratch */
	bool unsure;		/* a range in use may be missing from busy[] */
	const char *why;
};

/* Reads only usable RAM of the machine view, and only what is mapped. */
static int ram_read(const struct heapext *h, uint64_t pa, void *buf, size_t len)
{
	if (!machine_covers(h->m, pa, len, true))
		return -1;
	return live_read(pa, buf, len);
}

static void busy(struct heapext *h, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;

	if (!len)
		return;
	if (h->nbusy >= BUSY_MAX) {
		h->unsure = true;
		return;
	}
	/* whole pages; a hostile length reaching past the top ends there */
	if (end < start || end > ~0ULL - PAGE_SIZE)
		end = ~0ULL & ~(PAGE_SIZE - 1);
	else
		end = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	h->busy[h->nbusy++] = (struct span){ start & ~(PAGE_SIZE - 1), end };
}

/* Every node of the setup_data chain at @head is busy; returns kho_data. */
static uint64_t walk_setup_data(struct heapext *h, uint64_t head)
{
	uint64_t node = head, kho = 0;

	for (int n = 0; node && n < SETUP_DATA_MAX_NODES; n++) {
		uint8_t hdr[SETUP_DATA_HDR];
		uint32_t len;

		if (ram_read(h, node, hdr, sizeof(hdr)))
			break;
		len = (uint32_t)get_le32(hdr + 12);
		busy(h, node, SETUP_DATA_HDR + (uint64_t)len);
		if (get_le32(hdr + 8) == SETUP_KEXEC_KHO && len >= KHO_DATA_SIZE &&
		    !kho)
			kho = node + SETUP_DATA_HDR;
		node = get_le64(hdr);
	}
	if (node)	/* longer than we follow: its tail is unknown */
		h->unsure = true;
	return kho;
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* The scratch array, with kho.scratch's rules. 0, or -1 with h->why. */
static int read_scratch(struct heapext *h, uint64_t kho_pa)
{
	uint8_t d[KHO_DATA_SIZE], buf[16 * KHO_SCRATCH_MAX];
	uint64_t n;

	if (ram_read(h, kho_pa, d, sizeof(d)))
		return h->why = "kho_data is not readable RAM", -1;
	busy(h, kho_pa, KHO_DATA_SIZE);
	h->fdt_pa = get_le64(d);
	h->fdt_size = get_le64(d + 8);
	h->scratch_pa = get_le64(d + 16);
	h->scratch_size = get_le64(d + 24);
	n = h->scratch_size / 16;
	if (h->scratch_size % 16 || !n || n > KHO_SCRATCH_MAX)
		return h->why = "the scratch array size is not 16 x (1..64)", -1;
	if (ram_read(h, h->scratch_pa, buf, 16 * n))
		return h->why = "the scratch array is not readable RAM", -1;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t a = get_le64(buf + 16 * i), s = get_le64(buf + 16 * i + 8);

		if (!s || (a | s) & (PAGE_SIZE - 1) || a + s < a ||
		    !machine_covers(h->m, a, s, true))
			return h->why = "a scratch area is empty, unaligned or not RAM", -1;
		h->area[i] = (struct span){ a, a + s };
	}
	h->narea = (unsigned int)n;
	qsort(h->area, n, sizeof(h->area[0]), cmp_span);
	for (unsigned int i = 1; i < n; i++)
		if (h->area[i].start < h->area[i - 1].end)
			return h->why = "scratch areas overlap", -1;
	busy(h, h->scratch_pa, h->scratch_size);
	busy(h, h->fdt_pa, h->fdt_size ? h->fdt_size : PAGE_SIZE);
	return 0;
}

/* What the loader handed us and our own memory stay out of the heap. */
static void busy_machine(struct heapext *h, const struct platform *pl,
			 uint64_t bp_pa)
{
	const struct machine *m = h->m;

	for (size_t i = 0; i < pl->nfootprint; i++)
		busy(h, pl->footprint[i].start,
		     pl->footprint[i].end - pl->footprint[i].start);
	busy(h, boot_layout.image_start,
	     boot_layout.image_end - boot_layout.image_start);
	busy(h, bp_pa, BP_SIZE);
	busy(h, m->boot_params_pa, BP_SIZE);
	busy(h, m->start_info_pa, PAGE_SIZE);
	busy(h, m->cmdline_pa, MACHINE_CMDLINE_MAX);
	busy(h, m->initrd_pa, m->initrd_size);
	walk_setup_data(h, m->setup_data_pa);
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * What chaining will place in scratch: the next kernel's init_size at its
 * alignment, its initrd, its zero page and command line.  0 when the
 * initrd holds no next kernel (then there is nothing to chain).
 */
static uint64_t chain_room(const struct machine *m)
{
	static struct chain_next next;
	struct physmem pm;
	uint8_t hdr[0x264];
	uint64_t align, init;
	char err[80];

	if (!m->initrd_size)
		return 0;
	livemem_init(&pm, m);
	if (chain_archive_parse(&pm, m->initrd_pa, m->initrd_size, &next, err,
				sizeof(err)) || !next.has_kernel)
		return 0;
	if (next.kernel_size < sizeof(hdr) ||
	    phys_read(&pm, next.kernel_pa, hdr, sizeof(hdr), &(const char *){ NULL }))
		return 0;
	align = get_le32(hdr + 0x230);
	if (align < PAGE_SIZE || (align & (align - 1)) || align > HEAPEXT_ALIGN)
		align = HEAPEXT_ALIGN;
	init = get_le32(hdr + 0x260);
	if (init < next.kernel_size)
		init = next.kernel_size;
	return round_up(init, align) + align + round_up(next.initrd_size, PAGE_SIZE) +
	       PAGE_SIZE + round_up(CHAIN_CMDLINE_MAX, PAGE_SIZE);
}

/* The largest gap of the scratch areas that touches nothing busy. */
static struct span largest_gap(struct heapext *h)
{
	struct span best = { 0, 0 };

	qsort(h->busy, h->nbusy, sizeof(h->busy[0]), cmp_span);
	for (unsigned int i = 0; i < h->narea; i++) {
		uint64_t cur = h->area[i].start;

		for (unsigned int j = 0; j <= h->nbusy && cur < h->area[i].end; j++) {
			uint64_t stop = j < h->nbusy ? h->busy[j].start : h->area[i].end;

			if (stop > h->area[i].end)
				stop = h->area[i].end;
			if (stop > cur && stop - cur > best.end - best.start)
				best = (struct span){ cur, stop };
			if (j < h->nbusy && h->busy[j].end > cur)
				cur = h->busy[j].end;
		}
	}
	return best;
}

static uint64_t kho_data_from(struct heapext *h, uint64_t bp_pa)
{
	uint8_t sd[8];

	if (ram_read(h, bp_pa + BP_SETUP_DATA, sd, sizeof(sd)))
		return 0;
	return walk_setup_data(h, get_le64(sd));
}

static void taken(struct out *o, struct platform *pl, const struct heapext *h,
		  struct span gap, uint64_t lo, uint64_t hi)
{
	boot_layout.heap_ext_lo = lo;
	boot_layout.heap_ext_hi = hi;
	if (pl->nfootprint < PLATFORM_MAX_FOOTPRINT)
		pl->footprint[pl->nfootprint++] =
			(struct phys_range){ lo, hi, "heap (scratch)" };
	out_printf(o, "footprint: %-17s [0x%" PRIx64 "-0x%" PRIx64 ") %" PRIu64 " KiB\n",
		   "heap (scratch)", lo, hi, (hi - lo) >> 10);
	out_printf(o, "heap: took %" PRIu64 " MiB of free KHO scratch [0x%" PRIx64 "-0x%" PRIx64 ") from the top of the largest free gap [0x%" PRIx64 "-0x%" PRIx64 "), %" PRIu64 " MiB below left for the next kernel\n",
		   (hi - lo) >> 20, lo, hi, gap.start, gap.end,
		   h->chain_room >> 20);
}

void heapext_setup(struct out *o, const struct machine *m, struct platform *pl,
		   uint64_t bp_pa, uint64_t kho_pa)
{
	static struct heapext h;
	struct span gap;
	uint64_t take, hi, attr = 0;

	memset(&h, 0, sizeof(h));
	h.m = m;
	if (m->kind == BOOT_EFI)
		h.why = "the firmware owns free memory under UEFI";
	else if (!kho_pa && bp_pa)
		kho_pa = kho_data_from(&h, bp_pa);
	if (!h.why && !kho_pa)
		h.why = "no KHO handover";
	if (!h.why && !read_scratch(&h, kho_pa)) {
		busy_machine(&h, pl, bp_pa);
		if (pl->nfootprint >= PLATFORM_MAX_FOOTPRINT)
			h.why = "no footprint slot left";
		else if (h.unsure)
			h.why = "too many setup_data nodes to know what is in use";
	}
	if (!h.why) {
		gap = largest_gap(&h);
		h.chain_room = chain_room(m);
		take = (gap.end - gap.start) / 2;
		take = take < HEAPEXT_MAX ? take : HEAPEXT_MAX;
		if (gap.end - gap.start < h.chain_room + HEAPEXT_ALIGN)
			take = 0;
		else if (take > gap.end - gap.start - h.chain_room - HEAPEXT_ALIGN)
			take = gap.end - gap.start - h.chain_room - HEAPEXT_ALIGN;
		take &= ~(HEAPEXT_ALIGN - 1);
		hi = gap.end & ~(HEAPEXT_ALIGN - 1);
		if (!take || hi < gap.start + take + h.chain_room)
			h.why = h.chain_room ?
				"no free gap in scratch beyond the next kernel's room" :
				"no free gap of 4 MiB in scratch";
		else if (!paging_query(hi - take, take, &attr) || !(attr & PTE_RW))
			h.why = "the free gap is not mapped writable";
		else
			return taken(o, pl, &h, gap, hi - take, hi);
	}
	out_printf(o, "heap: fixed %" PRIu64 " KiB only, no scratch extension: %s\n",
		   (boot_layout.heap_hi - boot_layout.heap_lo) >> 10, h.why);
}
