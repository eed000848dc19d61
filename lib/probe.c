// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <string.h>

#include "probe.h"
#include "../iommu/dma_live.h"
#include "../iommu/restore.h"

void probe_init(struct probe *p, const struct physmem *pm,
		const struct platform *plat)
{
	memset(p, 0, sizeof(*p));
	p->pm = pm;
	p->plat = plat;
	report_init(&p->rep);
}

void probe_run(struct probe *p)
{
	if (p->start == PROBE_FROM_BOOT_PARAMS)
		kho_run_from_boot_params(p, p->start_pa);
	else
		kho_run_from_kho_data(p, p->start_pa);
	if (p->after_kho)
		p->after_kho(p);
	luo_run(p);
	iommu_run(p);
	iommu_hw_run(p);
	dma_live_run(p);
	if (!p->plat) {
		check_skip(&p->rep, CK_KHO_SELF_IN_SCRATCH,
			   "payload only (offline)");
		check_skip(&p->rep, CK_DMA_LIVE, "payload only (offline)");
		check_skip(&p->rep, CK_CHAIN_INTACT, "payload only (offline)");
	}
	/* Last: it needs every other check's verdict. */
	vtd_restore_run(p);
}

void probe_release(struct probe *p)
{
	vtd_restore_release(p);
	iommu_release(&p->iommu);
	kho_release(&p->kho);
}

void probe_json_handover(struct json *j, void *arg)
{
	const struct probe *p = arg;

	kho_json(j, p);
	luo_json(j, p);
	iommu_json(j, p);
}

void probe_summary(struct out *o, const struct probe *p)
{
	kho_summary(o, p);
	luo_summary(o, p);
	iommu_summary(o, p);
	vtd_restore_summary(o, p);
}

void explain(struct probe *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->explain)
		return;
	va_start(ap, fmt);
	out_vprintf(p->explain, fmt, ap);
	va_end(ap);
	out_puts(p->explain, "\n");
}

static void dot_quoted(struct out *o, const char *s)
{
	out_puts(o, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			out_puts(o, "\\");
		out_write(o, s, 1);
	}
	out_puts(o, "\"");
}

void dot_node(struct probe *p, const char *id, const char *label)
{
	if (!p->dot)
		return;
	out_puts(p->dot, "  ");
	dot_quoted(p->dot, id);
	out_puts(p->dot, " [label=");
	dot_quoted(p->dot, label);
	out_puts(p->dot, "];\n");
}

void dot_edge(struct probe *p, const char *from, const char *to,
	      const char *label)
{
	if (!p->dot)
		return;
	out_puts(p->dot, "  ");
	dot_quoted(p->dot, from);
	out_puts(p->dot, " -> ");
	dot_quoted(p->dot, to);
	if (label) {
		out_puts(p->dot, " [label=");
		dot_quoted(p->dot, label);
		out_puts(p->dot, "]");
	}
	out_puts(p->dot, ";\n");
}
