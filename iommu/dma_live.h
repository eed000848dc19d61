/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dma.live: make a preserved device DMA through the preserved tables and
 * show where the data lands.  Live hardware only (struct platform hooks);
 * the device khoprobe can drive is QEMU's edu (1234:11e8).
 */
#ifndef KHOPROBE_DMA_LIVE_H
#define KHOPROBE_DMA_LIVE_H

#include <stdbool.h>
#include <stdint.h>

struct probe;
struct platform;

/* dma.live; skips offline. */
void dma_live_run(struct probe *p);

/* "SEG:BB:DD.F@IOVA+LEN"; 0 or -1. */
struct dma_canary {
	uint32_t segment, devid;	/* devid = bus << 8 | devfn */
	uint64_t iova, len;
};
int dma_canary_parse(const char *s, struct dma_canary *c);

/* ---- dma_live_edu.c: the edu device, through the platform hooks ---- */

#define EDU_PCI_ID	0x11e81234u	/* device << 16 | vendor */
#define EDU_BUF_SIZE	4095u		/* usable by one transfer (QEMU 7.2) */

struct edu {
	const struct platform *plat;
	unsigned int bdf;
	uint64_t bar;
	uint32_t saved_command;
};

bool edu_present(const struct platform *plat, unsigned int bdf);
/* Memory decoding and bus mastering on (the old COMMAND is kept). */
int edu_open(struct edu *e, const struct platform *plat, unsigned int bdf,
	     const char **why);
void edu_close(struct edu *e);
/* One transfer of @len bytes between IOVA @iova and buffer offset @off. */
int edu_dma(struct edu *e, bool to_ram, uint64_t iova, uint32_t off,
	    uint32_t len, const char **why);

#endif
