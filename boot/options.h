/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-style command line options, khoprobe.NAME=VALUE.  The table in
 * options.c is the one place to add an option; tokens without the
 * "khoprobe." prefix belong to someone else and are left alone.
 */
#ifndef KHOPROBE_BOOT_OPTIONS_H
#define KHOPROBE_BOOT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/out.h"

enum selftest {
	SELFTEST_NONE,
	SELFTEST_FAULT,		/* write to a page mapped read-only (#PF) */
	SELFTEST_UD,		/* invalid opcode (#UD) */
	SELFTEST_STACK,		/* run off the stack into the guard page */
	SELFTEST_PRESERVED,	/* write to preserved memory once read-only */
	SELFTEST_TRIPLE,	/* fault with no IDT: a triple fault, for harnesses */
};

/* What the UEFI build shows on the firmware console after the run. */
enum conout_mode {
	CONOUT_FULL,		/* everything printed, then the summary */
	CONOUT_SUMMARY,		/* the verdict and the failed checks */
	CONOUT_OFF,		/* only the banner before the run */
};

struct options {
	uint16_t console_port;	/* 0: no serial console */
	uint64_t boot_params;	/* khoprobe.boot_params=ADDR, 0 if unset */
	uint64_t kho;		/* khoprobe.kho=ADDR, 0 if unset */
	enum selftest selftest;
	bool exit_debug;	/* write isa-debug-exit */
	bool exit_reboot;	/* reset after the verdict */
	int chain;		/* enum chain_policy (boot/chain.h) */
	char dma_canary[64];	/* "SEG:BB:DD.F@IOVA+LEN", "" if unset */
	bool restore_hw;	/* khoprobe.restore=hw: rehearse the takeover */
	enum conout_mode conout; /* khoprobe.conout=, UEFI build only */
};

extern struct options opt;

#define OPT_MAX_PROBLEMS	8
#define OPT_PROBLEM_LEN		128

/* Parse @cmdline into opt (defaults first).  Safe to call again. */
void options_parse(const char *cmdline);
/* "option: ..." lines for unknown or malformed options; count returned. */
unsigned int options_report(struct out *o);
/* One line per known option, for the documentation and --help style use. */
void options_help(struct out *o);

#endif
