// SPDX-License-Identifier: GPL-2.0-only
/* Open-addressing hash set of non-zero u64 values. */
#include <stdlib.h>
#include <string.h>

#include "u64set.h"

void u64set_init(struct u64set *s)
{
	memset(s, 0, sizeof(*s));
}

void u64set_free(struct u64set *s)
{
	free(s->slot);
	u64set_init(s);
}

static size_t slot_of(uint64_t v, size_t cap)
{
	return (size_t)((v * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
}

static int grow(struct u64set *s)
{
	size_t cap = s->cap ? 2 * s->cap : 64;
	uint64_t *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		size_t k;

		if (!s->slot[i])
			continue;
		for (k = slot_of(s->slot[i], cap); slot[k]; k = (k + 1) & (cap - 1))
			;
		slot[k] = s->slot[i];
	}
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return 0;
}

bool u64set_has(const struct u64set *s, uint64_t v)
{
	if (!s->cap)
		return false;
	for (size_t k = slot_of(v, s->cap); s->slot[k]; k = (k + 1) & (s->cap - 1))
		if (s->slot[k] == v)
			return true;
	return false;
}

int u64set_add(struct u64set *s, uint64_t v)
{
	size_t k;

	if (u64set_has(s, v))
		return 0;
	if (2 * (s->n + 1) > s->cap && grow(s))
		return -1;
	for (k = slot_of(v, s->cap); s->slot[k]; k = (k + 1) & (s->cap - 1))
		;
	s->slot[k] = v;
	s->n++;
	return 1;
}
