/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One run of the checks: where memory comes from, what was found, and the
 * results.  The payload and khodump each fill in the inputs and call
 * probe_run(); nothing below cares which of them it is.
 */
#ifndef KHOPROBE_PROBE_H
#define KHOPROBE_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "checks.h"
#include "json.h"
#include "out.h"
#include "physmem.h"
#include "platform.h"
#include "../kho/kho.h"
#include "../kho/luo.h"
#include "../iommu/iommu.h"

enum probe_start {
	PROBE_FROM_BOOT_PARAMS,	/* start_pa is the zero page */
	PROBE_FROM_KHO_DATA,	/* start_pa is the 32-byte kho_data */
};

struct probe {
	/* inputs */
	const struct physmem *pm;
	const struct platform *plat;	/* NULL offline */
	enum probe_start start;
	uint64_t start_pa;
	struct out *explain;		/* --explain narration, or NULL */
	struct out *dot;		/* --dot Graphviz body, or NULL */
	/*
	 * Called once the KHO layer has decoded the preserved set, before any
	 * check reads preserved memory: the payload maps it read-only here.
	 */
	void (*after_kho)(struct probe *p);
	/*
	 * dma.live's write permission: "SEG:BB:DD.F@IOVA+LEN" from
	 * khoprobe.dma_canary, or NULL (then dma.live only reads).
	 */
	const char *dma_canary;
	/* khoprobe.restore=hw: rehearse the takeover (vtd.restore). */
	bool restore_hw;
	/* results */
	struct report rep;
	struct kho_state kho;
	struct luo_state luo;
	struct iommu_state iommu;
	struct restore_log *restore;	/* vtd.restore's steps, or NULL */
};

void probe_init(struct probe *p, const struct physmem *pm,
		const struct platform *plat);
/* Runs every layer in order; results land in p->rep and the states. */
void probe_run(struct probe *p);
void probe_release(struct probe *p);

/* The "handover" JSON member: what every layer decoded. */
void probe_json_handover(struct json *j, void *probe);
/* The human summary printed after the check lines. */
void probe_summary(struct out *o, const struct probe *p);

/* Teaching output: no-ops unless enabled. */
void explain(struct probe *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dot_node(struct probe *p, const char *id, const char *label);
void dot_edge(struct probe *p, const char *from, const char *to,
	      const char *label);

#endif
