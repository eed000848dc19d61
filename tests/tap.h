/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal TAP producer for host unit tests, read by prove(1).
 * ok(cond, fmt...) prints one test line; done_testing() prints the plan
 * and returns the exit status (non-zero when anything failed).
 */
#ifndef KHOPROBE_TAP_H
#define KHOPROBE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_run, tap_failed;

static inline int tap_ok(int cond, const char *file, int line,
			 const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_u64(got, want, ...)						\
	do {								\
		unsigned long long g_ = (got), w_ = (want);		\
		if (!ok(g_ == w_, __VA_ARGS__))				\
			printf("#   got 0x%llx, want 0x%llx\n", g_, w_); \
	} while (0)
#define is_str(got, want, ...)						\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		if (!ok(g_ && w_ && !strcmp(g_, w_), __VA_ARGS__))	\
			printf("#   got '%s', want '%s'\n",		\
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int done_testing(void)
{
	printf("1..%d\n", tap_run);
	return tap_failed ? 1 : 0;
}

#endif
