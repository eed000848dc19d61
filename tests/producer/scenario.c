// SPDX-License-Identifier: GPL-2.0-only
/* The scenario catalogue: whatever HB_SCENARIO() registered, by name. */
#include <stdlib.h>
#include <string.h>

#include "handover.h"
#include "handover_int.h"

extern const struct hb_scenario *const __start_khoprobe_scenarios[]
	__attribute__((weak));
extern const struct hb_scenario *const __stop_khoprobe_scenarios[]
	__attribute__((weak));

static int cmp_scenario(const void *a, const void *b)
{
	const struct hb_scenario *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

const struct hb_scenario *const *hb_scenarios(size_t *n)
{
	static const struct hb_scenario **sorted;
	static size_t count;

	if (!sorted) {
		const struct hb_scenario *const *p = __start_khoprobe_scenarios;

		count = p ? (size_t)(__stop_khoprobe_scenarios - p) : 0;
		sorted = calloc(count + 1, sizeof(*sorted));
		if (!sorted)
			hb_die("out of memory");
		for (size_t i = 0; i < count; i++)
			sorted[i] = p[i];
		qsort(sorted, count, sizeof(*sorted), cmp_scenario);
	}
	*n = count;
	return sorted;
}

const struct hb_scenario *hb_scenario_find(const char *name)
{
	size_t n;
	const struct hb_scenario *const *all = hb_scenarios(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

uint64_t hb_build_scenario(struct hb *h, const struct hb_scenario *s)
{
	hb_init(h, s->kho ? s->kho : HB_KHO_V3, s->luo);
	if (s->build)
		s->build(h);
	hb_finish(h);
	return h->out.boot_params;
}
