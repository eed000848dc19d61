// SPDX-License-Identifier: GPL-2.0-only
/*
 * chain.intact's evidence: every page the checks read through the physmem
 * is hashed the first time it is read.  At chaining time each page is read
 * again and must hash the same; the digest over all (page, hash) pairs is
 * printed, so a second khoprobe started by the chain can be seen to verify
 * the very same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "chain.h"

#define PAGE		4096ULL
#define HASH_PRIME	0x100000001b3ULL
#define HASH_SEED	0xcbf29ce484222325ULL

static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= HASH_PRIME;
	return h ^ (h >> 29);
}

/* 64-bit FNV-1a style hash over the page's 8-byte words. */
uint64_t chain_hash_page(const struct physmem *pm, uint64_t pa)
{
	static uint64_t buf[PAGE / 8];
	uint64_t h = mix(HASH_SEED, pa);

	if (pm->read(pm->ctx, pa, buf, PAGE, &(const char *){ NULL }))
		return mix(h, 0xdeadULL);	/* unreadable now: stable marker */
	for (size_t i = 0; i < PAGE / 8; i++)
		h = mix(h, buf[i]);
	return h;
}

static bool skipped(const struct chain_log *log, uint64_t pa)
{
	for (unsigned int i = 0; i < log->nskip; i++)
		if (pa >= log->skip[i][0] && pa < log->skip[i][1])
			return true;
	return false;
}

/* Index of the first logged page >= pa. */
static size_t lower_bound(const struct chain_log *log, uint64_t pa)
{
	size_t lo = 0, hi = log->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (log->page[mid].pa < pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void log_page(struct chain_log *log, uint64_t pa)
{
	size_t i;

	if (skipped(log, pa))
		return;
	i = lower_bound(log, pa);
	if (i < log->n && log->page[i].pa == pa)
		return;
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct chain_page *np;

		if (cap > CHAIN_LOG_MAX ||
		    !(np = realloc(log->page, cap * sizeof(*np)))) {
			log->overflow++;
			return;
		}
		log->page = np;
		log->cap = cap;
	}
	memmove(&log->page[i + 1], &log->page[i],
		(log->n - i) * sizeof(log->page[0]));
	log->page[i].pa = pa;
	log->page[i].hash = chain_hash_page(log->pm, pa);
	log->n++;
}

static void on_read(void *arg, uint64_t pa, size_t len)
{
	struct chain_log *log = arg;
	uint64_t first = pa & ~(PAGE - 1), last;

	if (!len)
		return;
	last = (pa + len - 1) & ~(PAGE - 1);
	for (uint64_t p = first; p <= last && p >= first; p += PAGE)
		log_page(log, p);
}

void chain_log_attach(struct chain_log *log, struct physmem *pm)
{
	static struct physmem raw;

	memset(log, 0, sizeof(*log));
	raw = *pm;
	raw.on_read = NULL;	/* hashing must not log itself */
	log->pm = &raw;
	pm->on_read = on_read;
	pm->log = log;
}

void chain_log_skip(struct chain_log *log, uint64_t start, uint64_t end)
{
	if (log->nskip < sizeof(log->skip) / sizeof(log->skip[0]) && end > start) {
		log->skip[log->nskip][0] = start & ~(PAGE - 1);
		log->skip[log->nskip][1] = end;
		log->nskip++;
	}
}

uint64_t chain_log_digest(const struct chain_log *log)
{
	uint64_t h = HASH_SEED;

	for (size_t i = 0; i < log->n; i++)
		h = mix(mix(h, log->page[i].pa), log->page[i].hash);
	return h;
}

size_t chain_log_verify(const struct chain_log *log, uint64_t *now,
			uint64_t *first_changed)
{
	uint64_t h = HASH_SEED;
	size_t changed = 0;

	for (size_t i = 0; i < log->n; i++) {
		uint64_t ph = chain_hash_page(log->pm, log->page[i].pa);

		if (ph != log->page[i].hash && !changed++ && first_changed)
			*first_changed = log->page[i].pa;
		h = mix(mix(h, log->page[i].pa), ph);
	}
	if (now)
		*now = h;
	return changed;
}
