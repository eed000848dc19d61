/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A set of non-zero u64 values (page addresses already visited), so that
 * walks over pointer chains and trees stop at cycles and sharing in O(1)
 * per step.
 */
#ifndef KHOPROBE_U64SET_H
#define KHOPROBE_U64SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64set {
	uint64_t *slot;
	size_t cap, n;
};

void u64set_init(struct u64set *s);
void u64set_free(struct u64set *s);
/* 1 when added, 0 when already present, -1 when out of memory. */
int u64set_add(struct u64set *s, uint64_t v);
bool u64set_has(const struct u64set *s, uint64_t v);

#endif
