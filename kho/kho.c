// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until the KHO layer lands: every check skips. */
#include "../lib/probe.h"

static void kho_skip_all(struct probe *p)
{
	for (int id = CK_BOOT_PARAMS; id <= CK_KHO_SUBTREES; id++)
		check_skip(&p->rep, (enum check_id)id, "not implemented");
}

void kho_run_from_boot_params(struct probe *p, uint64_t pa)
{
	(void)pa;
	kho_skip_all(p);
}

void kho_run_from_kho_data(struct probe *p, uint64_t pa)
{
	(void)pa;
	kho_skip_all(p);
}

void kho_release(struct kho_state *k)
{
	pset_free(&k->preserved);
}

void kho_json(struct json *j, const struct probe *p)
{
	(void)j;
	(void)p;
}

void kho_summary(struct out *o, const struct probe *p)
{
	(void)o;
	(void)p;
}
