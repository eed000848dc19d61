/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Chaining: after its report khoprobe starts the next OS, which it takes
 * from its own initrd (see docs/chain.md for the archive format), and
 * chain.intact proves the handover it passes on is what it was given.
 */
#ifndef KHOPROBE_BOOT_CHAIN_H
#define KHOPROBE_BOOT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/physmem.h"

struct probe;
struct machine;
struct out;

enum chain_policy {
	CHAIN_PASS = 0,		/* default: chain when the verdict is pass */
	CHAIN_ALWAYS,
	CHAIN_NEVER,
};

/* Parse "always" | "pass" | "never"; -1 when unknown. */
int chain_policy_parse(const char *s);
const char *chain_policy_name(enum chain_policy p);

/* ---- the next OS, from khoprobe's initrd (a newc cpio archive) ---- */

#define CHAIN_ARCHIVE_KERNEL	"khoprobe/next-kernel"
#define CHAIN_ARCHIVE_INITRD	"khoprobe/next-initrd"
#define CHAIN_ARCHIVE_CMDLINE	"khoprobe/next-cmdline"
#define CHAIN_CMDLINE_MAX	2048

struct chain_next {
	uint64_t kernel_pa, kernel_size;	/* the bzImage file */
	uint64_t initrd_pa, initrd_size;	/* 0 when none */
	char cmdline[CHAIN_CMDLINE_MAX];
	bool has_kernel;
};

/*
 * Find the next kernel, initrd and command line in the archive at
 * [pa, pa + size).  0, or -1 with *why set (static or in @err).
 */
int chain_archive_parse(const struct physmem *pm, uint64_t pa, uint64_t size,
			struct chain_next *next, char *err, size_t errlen);

/* ---- chain.intact: what the checks read, hashed at first read ---- */

#define CHAIN_LOG_MAX	8192	/* pages */

struct chain_page {
	uint64_t pa;		/* page address */
	uint64_t hash;		/* content when first read */
};

struct chain_log {
	const struct physmem *pm;	/* reads without logging */
	struct chain_page *page;	/* sorted by pa */
	size_t n, cap;
	size_t overflow;		/* pages not logged: log full */
	uint64_t skip[4][2];		/* [start, end): never logged */
	unsigned int nskip;
};

/*
 * Start logging every page @pm reads from now on; @pm->on_read is set.
 * The loader's zero page and command line (which differ per loader by
 * design) are skipped through chain_log_skip().
 */
void chain_log_attach(struct chain_log *log, struct physmem *pm);
void chain_log_skip(struct chain_log *log, uint64_t start, uint64_t end);
/* Digest over (page, hash at first read) of every logged page. */
uint64_t chain_log_digest(const struct chain_log *log);
/*
 * Re-read every logged page; returns the number that changed since first
 * read (0 = intact) and the digest of the pages as they are now.
 */
size_t chain_log_verify(const struct chain_log *log, uint64_t *now,
			uint64_t *first_changed);
uint64_t chain_hash_page(const struct physmem *pm, uint64_t pa);

/* ---- the whole step ---- */

struct chain_ctx {
	enum chain_policy policy;
	struct chain_log log;
	uint64_t digest_entry;
	bool next_ok;
	struct chain_next next;
	char next_why[160];
};

/* Before probe_run(): log reads, find the next OS in the initrd. */
void chain_prepare(struct chain_ctx *c, struct physmem *pm,
		   const struct machine *m);
/* After the checks, before the report: decide chain.intact. */
void chain_check(struct chain_ctx *c, struct probe *p);
/*
 * After the report: chain when the policy says so (does not return then).
 * Returns when not chaining; *why says why.
 */
void chain_start(struct chain_ctx *c, struct probe *p, const struct machine *m,
		 struct out *o);

#endif
