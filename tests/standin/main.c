// SPDX-License-Identifier: GPL-2.0-only
/*
 * The old kernel, played by a bare-metal program.  QEMU boots it as a PVH
 * ELF; the produced handover, khoprobe's bzImage and an optional initrd are
 * already in guest RAM (-device loader).  It then does what a live-update
 * kernel does before kexec: leaves the IOMMU translating through the
 * preserved tables with the device attached, builds the next kernel's zero
 * page, places the kernel in scratch and enters it at +0x200 the way
 * purgatory does.
 *
 * Command line (PVH), then " -- " and the next kernel's command line:
 *   image=PA,SIZE     bzImage source (outside scratch, like kexec's buffers)
 *   load=PA           where the kernel goes (inside a scratch area)
 *   zp=PA             where the zero page and command line go (scratch)
 *   initrd=PA,SIZE    optional initrd source ...
 *   initrd_dst=PA     ... and its place in scratch
 *   desc=PA           the scenario descriptor (default E2E_DESC_PA)
 *   wait=1            stop before the jump until a byte arrives on COM1
 */
#include "e2e_desc.h"
#include "standin.h"

#define HVM_START_MAGIC	0x336ec578
#define E820_MAX	128
#define PAGE		4096ULL

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

struct params {
	uint64_t image, image_size, load, zp, initrd, initrd_size, initrd_dst;
	uint64_t desc;
	int wait;
	const char *next_cmdline;
};

/* The jump's page tables (identity map of RAM only, as kexec builds). */
static uint64_t jump_pml5[512] __attribute__((aligned(4096)));
static uint64_t jump_pml4[512] __attribute__((aligned(4096)));
static uint64_t jump_pdpt[512] __attribute__((aligned(4096)));
static uint64_t jump_pd[8][512] __attribute__((aligned(4096)));
/* Purgatory's tiny stack lives in the old kernel's memory too. */
static uint8_t purgatory_stack[4096] __attribute__((aligned(16)));

static uint64_t parse_num(const char **sp)
{
	const char *s = *sp;
	uint64_t v = 0;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		v = v * base + d;
	}
	*sp = s;
	return v;
}

static int key_is(const char *s, const char *key, const char **val)
{
	size_t n = strlen(key);

	for (size_t i = 0; i < n; i++)
		if (s[i] != key[i])
			return 0;
	if (s[n] != '=')
		return 0;
	*val = s + n + 1;
	return 1;
}

static void parse_params(const char *s, struct params *p)
{
	memset(p, 0, sizeof(*p));
	p->desc = E2E_DESC_PA;
	p->next_cmdline = "";
	while (s && *s) {
		const char *v;

		while (*s == ' ')
			s++;
		if (s[0] == '-' && s[1] == '-' && (s[2] == ' ' || !s[2])) {
			p->next_cmdline = s[2] ? s + 3 : s + 2;
			return;
		}
		if (key_is(s, "image", &v)) {
			p->image = parse_num(&v);
			if (*v == ',') {
				v++;
				p->image_size = parse_num(&v);
			}
		} else if (key_is(s, "initrd", &v)) {
			p->initrd = parse_num(&v);
			if (*v == ',') {
				v++;
				p->initrd_size = parse_num(&v);
			}
		} else if (key_is(s, "initrd_dst", &v)) {
			p->initrd_dst = parse_num(&v);
		} else if (key_is(s, "load", &v)) {
			p->load = parse_num(&v);
		} else if (key_is(s, "zp", &v)) {
			p->zp = parse_num(&v);
		} else if (key_is(s, "desc", &v)) {
			p->desc = parse_num(&v);
		} else if (key_is(s, "wait", &v)) {
			p->wait = (int)parse_num(&v);
		} else {
			v = s;
		}
		s = v;
		while (*s && *s != ' ')
			s++;
	}
}

static const struct e2e_desc *find_desc(uint64_t pa)
{
	const struct e2e_desc *d = phys(pa);

	if (d->magic != E2E_DESC_MAGIC)
		return NULL;
	if (d->version != E2E_DESC_VERSION)
		die("descriptor at %lx has version %u", pa, d->version);
	return d;
}

/* E2E_ROOT_COPY: the root table the unit is left translating through. */
static uint8_t root_copy[4096] __attribute__((aligned(4096)));

static void break_mapping(const struct e2e_desc *d, uint64_t bar);

/* Leave the preserved device and its IOMMU as the preserving kernel did. */
static void leave_iommu(const struct e2e_desc *d)
{
	struct vtd_setup s = {
		.reg_base = d->reg_base,
		.root_table = d->root_table,
		.scalable = !!(d->flags & E2E_SCALABLE),
		.qi = !!(d->flags & E2E_QI),
		.translate = !(d->flags & E2E_TE_OFF),
	};
	uint64_t bar = edu_enable(d->edu_bdf);

	con_printf("STANDIN: edu %x: BAR0 %lx, memory and bus mastering on\n",
		   d->edu_bdf, bar);
	if (d->flags & E2E_ROOT_COPY) {
		/* Same translation, but RTADDR is not the preserved root. */
		memcpy(root_copy, phys(d->root_table), sizeof(root_copy));
		s.root_table = (uint64_t)(uintptr_t)root_copy;
	}
	vtd_program(&s);
	if (d->flags & E2E_QI_STUCK)
		vtd_jam_queue(d->reg_base);
	if (!(d->flags & (E2E_BREAK_STALE | E2E_BREAK_INVAL)))
		return;
	break_mapping(d, bar);
}

/* A device write that is still in flight when khoprobe starts. */
static void late_dma(const struct e2e_desc *d)
{
	uint64_t bar = pci_read32(d->edu_bdf, 0x10) & ~0xfULL;

	if (edu_dma_read(bar, d->dma_iova, 8))
		die("edu DMA at IOVA %lx did not complete", d->dma_iova);
	edu_dma_write_start(bar, d->late_iova, 8);
	con_printf("STANDIN: edu write to IOVA %lx started, lands after the jump\n",
		   d->late_iova);
}

static void break_mapping(const struct e2e_desc *d, uint64_t bar)
{
	/* Load the IOTLB with the mapping about to be broken. */
	if (edu_dma_read(bar, d->break_iova, 8))
		die("edu DMA at IOVA %lx did not complete", d->break_iova);
	*(volatile uint64_t *)phys(d->break_pte) = d->break_val;
	if (d->flags & E2E_BREAK_INVAL)
		vtd_flush_iotlb(d->reg_base);
	con_printf("STANDIN: broke IOVA %lx: PTE %lx = %lx, %s\n", d->break_iova,
		   d->break_pte, d->break_val,
		   d->flags & E2E_BREAK_INVAL ? "IOTLB invalidated" :
		   "IOTLB left stale");
}

static unsigned int build_e820(const struct hvm_start_info *si, uint8_t *zp)
{
	const struct hvm_memmap_entry *m = phys(si->memmap_paddr);
	unsigned int n = 0;

	for (uint32_t i = 0; i < si->memmap_entries && n < E820_MAX; i++, n++) {
		uint8_t *e = zp + 0x2d0 + 20 * n;

		memcpy(e, &m[i].addr, 8);
		memcpy(e + 8, &m[i].size, 8);
		memcpy(e + 16, &m[i].type, 4);
	}
	zp[0x1e8] = (uint8_t)n;
	return n;
}

/* Zero page as kexec_file builds it: setup header from the image, rest ours. */
static void build_zero_page(const struct params *p, const struct hvm_start_info *si,
			    const struct e2e_desc *d)
{
	const uint8_t *img = phys(p->image);
	uint8_t *zp = phys(p->zp);
	char *cmd = phys(p->zp + PAGE);
	size_t hdr_end = 0x202 + img[0x201];
	size_t cmdlen = strlen(p->next_cmdline);
	uint64_t v;

	memset(zp, 0, PAGE);
	memcpy(zp + 0x1f1, img + 0x1f1, hdr_end - 0x1f1);
	zp[0x210] = 0xd0;			/* type_of_loader: kexec */
	zp[0x211] = 0;				/* loadflags, as kexec leaves them */
	memcpy(cmd, p->next_cmdline, cmdlen + 1);
	v = p->zp + PAGE;
	*(uint32_t *)(zp + 0x228) = (uint32_t)v;
	*(uint32_t *)(zp + 0x0c8) = (uint32_t)(v >> 32);
	if (p->initrd_size) {
		v = p->initrd_dst;
		*(uint32_t *)(zp + 0x218) = (uint32_t)v;
		*(uint32_t *)(zp + 0x0c0) = (uint32_t)(v >> 32);
		*(uint32_t *)(zp + 0x21c) = (uint32_t)p->initrd_size;
		*(uint32_t *)(zp + 0x0c4) = (uint32_t)(p->initrd_size >> 32);
	}
	*(uint64_t *)(zp + 0x070) = si->rsdp_paddr;
	*(uint64_t *)(zp + 0x250) = d ? d->kho_node : 0;
	con_printf("STANDIN: zero page %lx: %u e820 entries, setup_data %lx, cmdline \"%s\"\n",
		   p->zp, build_e820(si, zp), d ? d->kho_node : 0,
		   p->next_cmdline);
}

/* Copy the protected-mode part to @load and zero the rest of init_size. */
static uint64_t place_kernel(const struct params *p)
{
	const uint8_t *img = phys(p->image);
	unsigned int sects = img[0x1f1] ? img[0x1f1] : 4;
	uint64_t off = (uint64_t)(sects + 1) * 512;
	uint64_t init_size = *(const uint32_t *)(img + 0x260);
	uint64_t memsz = (init_size + PAGE - 1) & ~(PAGE - 1);

	if (*(const uint32_t *)(img + 0x202) != 0x53726448)	/* "HdrS" */
		die("image at %lx is not a bzImage", p->image);
	if (!(img[0x236] & 1))
		die("image has no 64-bit entry (xloadflags %x)", img[0x236]);
	if (p->image_size <= off || memsz < p->image_size - off)
		die("image size %lu does not fit its init_size %lu",
		    p->image_size, init_size);
	memcpy(phys(p->load), img + off, p->image_size - off);
	memset(phys(p->load + p->image_size - off), 0,
	       memsz - (p->image_size - off));
	con_printf("STANDIN: kernel %lu bytes at %lx (init_size %lx)\n",
		   p->image_size - off, p->load, init_size);
	return p->load + 0x200;
}

/*
 * Identity map of every usable-RAM range (2 MiB pages), like kexec's.
 * Accessed and dirty bits are set up front so that the CPU, walking these
 * tables while khoprobe starts, has nothing to write back into them: the
 * no-write proof then sees no change outside khoprobe's footprint.
 */
static uint64_t build_jump_map(const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *m = phys(si->memmap_paddr);
	const uint64_t two_mb = 2ULL << 20, limit = 8ULL << 30;

	memset(jump_pml5, 0, sizeof(jump_pml5));
	memset(jump_pml4, 0, sizeof(jump_pml4));
	memset(jump_pdpt, 0, sizeof(jump_pdpt));
	memset(jump_pd, 0, sizeof(jump_pd));
	jump_pml4[0] = (uint64_t)(uintptr_t)jump_pdpt | 0x23;
	for (int i = 0; i < 8; i++)
		jump_pdpt[i] = (uint64_t)(uintptr_t)jump_pd[i] | 0x23;
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		uint64_t a, end;

		if (m[i].type != 1)
			continue;
		a = m[i].addr & ~(two_mb - 1);
		end = m[i].addr + m[i].size;
		for (; a < end && a < limit; a += two_mb)
			jump_pd[a >> 30][(a >> 21) & 511] = a | 0xe3;
	}
	jump_pml5[0] = (uint64_t)(uintptr_t)jump_pml4 | 0x23;
	if (read_cr4() & CR4_LA57)
		return (uint64_t)(uintptr_t)jump_pml5;
	return (uint64_t)(uintptr_t)jump_pml4;
}

void standin_main(uint32_t start_info)
{
	const struct hvm_start_info *si = phys(start_info);
	const struct e2e_desc *d;
	struct params p;
	uint64_t entry, cr3;

	if (si->magic != HVM_START_MAGIC)
		die("no PVH start info (magic %x)", si->magic);
	parse_params(si->cmdline_paddr ? phys(si->cmdline_paddr) : "", &p);
	con_printf("STANDIN: old-kernel stand-in up, tsc %lu\n", rdtsc());
	if (!p.image || !p.image_size || !p.load || !p.zp)
		die("need image=PA,SIZE load=PA zp=PA on the command line");
	d = find_desc(p.desc);
	if (d)
		leave_iommu(d);
	else
		con_printf("STANDIN: no scenario descriptor at %lx: no handover, IOMMU untouched\n",
			   p.desc);
	if (p.initrd_size) {
		memcpy(phys(p.initrd_dst), phys(p.initrd), p.initrd_size);
		con_printf("STANDIN: initrd %lu bytes at %lx\n", p.initrd_size,
			   p.initrd_dst);
	}
	entry = place_kernel(&p);
	build_zero_page(&p, si, d);
	if (d && (d->flags & E2E_DMA_LATE))
		late_dma(d);
	cr3 = build_jump_map(si);
	con_printf("STANDIN: kexec jump to %lx, RSI %lx, CR4 %lx (%s-level paging), tsc %lu\n",
		   entry, p.zp, CR4_PAE | (read_cr4() & CR4_LA57),
		   read_cr4() & CR4_LA57 ? "5" : "4", rdtsc());
	/* With wait=1 the jump code itself announces the wait, once every
	 * write of ours is done. */
	standin_jump(entry, p.zp, cr3,
		     (uint64_t)(uintptr_t)(purgatory_stack + sizeof(purgatory_stack)),
		     p.wait, CR4_PAE | (read_cr4() & CR4_LA57));
}
