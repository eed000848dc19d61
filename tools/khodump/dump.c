// SPDX-License-Identifier: GPL-2.0-only
/* Runs the checks on an in-memory ELF core and renders the results. */
#include <stdlib.h>

#include "dump.h"
#include "elfmem.h"

#include "../../lib/report.h"

int khodump_core(const uint8_t *buf, size_t len,
		 const struct khodump_opts *o, const char **why)
{
	struct elfmem m;
	struct probe *p;
	bool pass;

	if (elfmem_open(&m, buf, len, why))
		return KHODUMP_UNUSABLE;
	p = malloc(sizeof(*p));
	if (!p) {
		elfmem_close(&m);
		*why = "out of memory";
		return KHODUMP_UNUSABLE;
	}
	probe_init(p, &m.pm, NULL);
	p->start = o->start;
	p->start_pa = o->start_pa;
	p->explain = o->explain;
	p->dot = o->dot;
	out_puts(o->dot, "digraph khoprobe {\n  rankdir=LR;\n"
		 "  node [shape=box, fontname=\"monospace\"];\n");
	probe_run(p);
	out_puts(o->dot, "}\n");
	if (o->json) {
		report_json(o->report, &p->rep, "khodump", probe_json_handover, p);
		out_puts(o->report, "\n");
	} else {
		report_human(o->report, &p->rep);
		probe_summary(o->report, p);
	}
	pass = report_verdict_pass(&p->rep);
	probe_release(p);
	free(p);
	elfmem_close(&m);
	return pass ? KHODUMP_OK : KHODUMP_FAIL;
}
