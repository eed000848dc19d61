// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until the LUO layer lands: every check skips. */
#include "../lib/probe.h"

void luo_run(struct probe *p)
{
	for (int id = CK_LUO_PRESENT; id <= CK_MEMFD_FOLIOS; id++)
		check_skip(&p->rep, (enum check_id)id, "not implemented");
}

void luo_json(struct json *j, const struct probe *p)
{
	(void)j;
	(void)p;
}

void luo_summary(struct out *o, const struct probe *p)
{
	(void)o;
	(void)p;
}
