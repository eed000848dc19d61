// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's edu device as dma.live drives it: PCI config space and BAR0
 * registers through the platform hooks, one DMA at a time, bounded waits.
 * edu traps (QEMU 7.2): a transfer must be 1..4095 bytes inside its 4 KiB
 * buffer, and it only reaches memory with COMMAND.MEM and BME set.
 */
#include "../lib/platform.h"
#include "dma_live.h"

#define PCI_COMMAND	0x04
#define PCI_BAR0	0x10
#define CMD_MEM		(1u << 1)
#define CMD_BME		(1u << 2)

#define EDU_ID		0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_START	1u
#define EDU_CMD_TO_RAM	2u
#define EDU_DEV_BUF	0x40000u

/* A DMA takes about 100 ms of virtual time; allow 3 s. */
#define EDU_WAIT_S	3
#define EDU_DEFAULT_HZ	4000000000ull

bool edu_present(const struct platform *plat, unsigned int bdf)
{
	return plat->pci_read32(bdf, 0) == EDU_PCI_ID;
}

int edu_open(struct edu *e, const struct platform *plat, unsigned int bdf,
	     const char **why)
{
	uint32_t bar;

	e->plat = plat;
	e->bdf = bdf;
	e->saved_command = plat->pci_read32(bdf, PCI_COMMAND) & 0xffff;
	bar = plat->pci_read32(bdf, PCI_BAR0);
	if (bar & 1 || (bar & ~0xfu) == 0) {
		*why = "edu BAR0 is not an assigned memory BAR";
		return -1;
	}
	e->bar = bar & ~0xfull;
	plat->pci_write32(bdf, PCI_COMMAND,
			  e->saved_command | CMD_MEM | CMD_BME);
	if ((plat->mmio_read32(e->bar + EDU_ID) & 0xff) != 0xed) {
		*why = "edu BAR0 does not answer with the edu ID";
		edu_close(e);
		return -1;
	}
	return 0;
}

void edu_close(struct edu *e)
{
	e->plat->pci_write32(e->bdf, PCI_COMMAND, e->saved_command);
}

static int wait_idle(struct edu *e)
{
	const struct platform *plat = e->plat;
	uint64_t hz = plat->tsc_hz ? plat->tsc_hz : EDU_DEFAULT_HZ;
	uint64_t t0 = plat->tsc();

	while (plat->mmio_read32(e->bar + EDU_DMA_CMD) & EDU_CMD_START)
		if (plat->tsc() - t0 > EDU_WAIT_S * hz)
			return -1;
	return 0;
}

int edu_dma(struct edu *e, bool to_ram, uint64_t iova, uint32_t off,
	    uint32_t len, const char **why)
{
	const struct platform *plat = e->plat;

	if (!len || off + len > EDU_BUF_SIZE) {
		*why = "transfer outside edu's buffer";
		return -1;
	}
	if (wait_idle(e)) {
		*why = "edu DMA engine stays busy";
		return -1;
	}
	plat->mmio_write64(e->bar + EDU_DMA_SRC, to_ram ? EDU_DEV_BUF + off : iova);
	plat->mmio_write64(e->bar + EDU_DMA_DST, to_ram ? iova : EDU_DEV_BUF + off);
	plat->mmio_write64(e->bar + EDU_DMA_CNT, len);
	plat->mmio_write32(e->bar + EDU_DMA_CMD,
			   EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0));
	if (wait_idle(e)) {
		*why = "edu DMA did not complete within 3 s";
		return -1;
	}
	return 0;
}
