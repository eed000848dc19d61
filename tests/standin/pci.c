// SPDX-License-Identifier: GPL-2.0-only
/* PCI configuration (0xcf8 mechanism) and QEMU's edu device as its driver
 * would leave it: memory decoding and bus mastering on. */
#include "standin.h"

#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_BUF		0x40000

static uint32_t cfg_addr(unsigned int bdf, unsigned int off)
{
	return 0x80000000u | bdf << 8 | (off & 0xfc);
}

uint32_t pci_read32(unsigned int bdf, unsigned int off)
{
	outl(0xcf8, cfg_addr(bdf, off));
	return inl(0xcfc);
}

void pci_write32(unsigned int bdf, unsigned int off, uint32_t v)
{
	outl(0xcf8, cfg_addr(bdf, off));
	outl(0xcfc, v);
}

uint64_t edu_enable(unsigned int bdf)
{
	uint32_t id = pci_read32(bdf, 0);

	if (id != 0x11e81234)
		die("no edu device at %x (id %x); pin it with -device edu,addr=02.0",
		    bdf, id);
	pci_write32(bdf, 4, (pci_read32(bdf, 4) & 0xffff) | 0x6);
	return pci_read32(bdf, 0x10) & ~0xfULL;
}

/* One RAM -> device transfer through the IOMMU; 0 when it completed. */
int edu_dma_read(uint64_t bar, uint64_t iova, uint32_t len)
{
	uint64_t t0 = rdtsc();

	mmio_write64(bar + EDU_DMA_SRC, iova);
	mmio_write64(bar + EDU_DMA_DST, EDU_BUF);
	mmio_write64(bar + EDU_DMA_CNT, len);
	mmio_write32(bar + EDU_DMA_CMD, 1);
	while (mmio_read32(bar + EDU_DMA_CMD) & 1)
		if (!within(t0, SPIN_LIMIT))
			return -1;
	return 0;
}

void edu_dma_write_start(uint64_t bar, uint64_t iova, uint32_t len)
{
	mmio_write64(bar + EDU_DMA_SRC, EDU_BUF);
	mmio_write64(bar + EDU_DMA_DST, iova);
	mmio_write64(bar + EDU_DMA_CNT, len);
	mmio_write32(bar + EDU_DMA_CMD, 3);	/* start, device -> RAM */
}
