// SPDX-License-Identifier: GPL-2.0-only
/*
 * The option table.  To add an option: a field in struct options, a
 * parser (or a reused one) and one line in option_table[].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "options.h"

struct options opt;

static char problems[OPT_MAX_PROBLEMS][OPT_PROBLEM_LEN];
static unsigned int nproblems, nproblems_dropped;
static bool unknown_seen;

static void problem(const char *fmt, const char *a, const char *b)
{
	if (nproblems == OPT_MAX_PROBLEMS) {
		nproblems_dropped++;
		return;
	}
	snprintf(problems[nproblems++], OPT_PROBLEM_LEN, fmt, a, b);
}

static int parse_u64(const char *v, uint64_t *out)
{
	char *end;

	if (!*v)
		return -1;
	*out = strtoull(v, &end, 0);
	return *end ? -1 : 0;
}

static int set_console(const char *v)
{
	static const uint16_t com[4] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	uint64_t port;

	if (!strcmp(v, "none")) {
		opt.console_port = 0;
		return 0;
	}
	if (!strncmp(v, "ttyS", 4) && v[4] >= '0' && v[4] <= '3' && !v[5]) {
		opt.console_port = com[v[4] - '0'];
		return 0;
	}
	if (parse_u64(v, &port) || !port || port > 0xfff8)
		return -1;
	opt.console_port = (uint16_t)port;
	return 0;
}

static int set_boot_params(const char *v)
{
	return parse_u64(v, &opt.boot_params);
}

static int set_kho(const char *v)
{
	return parse_u64(v, &opt.kho);
}

static int set_selftest(const char *v)
{
	if (!strcmp(v, "fault"))
		opt.selftest = SELFTEST_FAULT;
	else if (!strcmp(v, "ud"))
		opt.selftest = SELFTEST_UD;
	else if (!strcmp(v, "stack"))
		opt.selftest = SELFTEST_STACK;
	else if (!strcmp(v, "preserved"))
		opt.selftest = SELFTEST_PRESERVED;
	else if (!strcmp(v, "triple"))
		opt.selftest = SELFTEST_TRIPLE;
	else
		return -1;
	return 0;
}

static int set_exit(const char *v)
{
	if (!strcmp(v, "halt")) {
		opt.exit_debug = false;
		opt.exit_reboot = false;
	} else if (!strcmp(v, "debug")) {
		opt.exit_debug = true;
		opt.exit_reboot = false;
	} else if (!strcmp(v, "reboot")) {
		opt.exit_debug = true;
		opt.exit_reboot = true;
	} else {
		return -1;
	}
	return 0;
}

static int set_chain(const char *v)
{
	int pol = chain_policy_parse(v);

	if (pol < 0)
		return -1;
	opt.chain = pol;
	return 0;
}

static int set_dma_canary(const char *v)
{
	if (strlen(v) >= sizeof(opt.dma_canary))
		return -1;
	strcpy(opt.dma_canary, v);
	return 0;
}

static int set_restore(const char *v)
{
	if (!strcmp(v, "hw"))
		opt.restore_hw = true;
	else if (!strcmp(v, "off"))
		opt.restore_hw = false;
	else
		return -1;
	return 0;
}

static int set_conout(const char *v)
{
	if (!strcmp(v, "full"))
		opt.conout = CONOUT_FULL;
	else if (!strcmp(v, "summary"))
		opt.conout = CONOUT_SUMMARY;
	else if (!strcmp(v, "off"))
		opt.conout = CONOUT_OFF;
	else
		return -1;
	return 0;
}

struct option_def {
	char name[16];
	int (*set)(const char *value);
	char help[96];
};

static const struct option_def option_table[] = {
	{ "console", set_console,
	  "ttyS0..ttyS3, an I/O port (0x2f8) or none; default ttyS0" },
	{ "boot_params", set_boot_params,
	  "ADDR: check the handover whose zero page is at ADDR" },
	{ "kho", set_kho,
	  "ADDR: check the handover whose 32-byte KHO setup_data is at ADDR" },
	{ "selftest", set_selftest,
	  "fault|ud|stack|preserved|triple: a deliberate CPU exception" },
	{ "exit", set_exit,
	  "debug (default: isa-debug-exit 0xf4, halt), halt, reboot" },
	{ "chain", set_chain,
	  "pass (default), always, never: start the next OS from the initrd" },
	{ "dma_canary", set_dma_canary,
	  "SEG:BB:DD.F@IOVA+LEN: dma.live may make that device write there" },
	{ "restore", set_restore,
	  "off (default) or hw: rehearse the next kernel's VT-d takeover (vtd.restore)" },
	{ "conout", set_conout,
	  "full (default), summary, off: what UEFI ConOut shows after the run" },
};

#define PREFIX "khoprobe."

static void defaults(void)
{
	memset(&opt, 0, sizeof(opt));
	opt.console_port = 0x3f8;
	opt.exit_debug = true;
	opt.chain = CHAIN_PASS;
	opt.conout = CONOUT_FULL;
	nproblems = nproblems_dropped = 0;
	unknown_seen = false;
}

static void apply(const char *tok)
{
	char name[64];
	const char *eq = strchr(tok, '=');
	const char *value = eq ? eq + 1 : "";
	size_t len = eq ? (size_t)(eq - tok) : strlen(tok);

	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, tok, len);
	name[len] = 0;
	for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++) {
		if (strcmp(option_table[i].name, name))
			continue;
		if (option_table[i].set(value))
			problem("bad value \"%s\" for " PREFIX "%s", value, name);
		return;
	}
	problem("unknown option " PREFIX "%s%s", name, eq ? "=..." : "");
	unknown_seen = true;
}

void options_parse(const char *cmdline)
{
	char tok[256];

	defaults();
	while (cmdline && *cmdline) {
		size_t n = 0;

		while (*cmdline == ' ' || *cmdline == '\t' || *cmdline == '\n')
			cmdline++;
		while (*cmdline && *cmdline != ' ' && *cmdline != '\t' &&
		       *cmdline != '\n') {
			if (n + 1 < sizeof(tok))
				tok[n++] = *cmdline;
			cmdline++;
		}
		tok[n] = 0;
		if (!strncmp(tok, PREFIX, strlen(PREFIX)))
			apply(tok + strlen(PREFIX));
	}
}

unsigned int options_report(struct out *o)
{
	for (unsigned int i = 0; i < nproblems; i++)
		out_printf(o, "option: %s\n", problems[i]);
	if (nproblems_dropped)
		out_printf(o, "option: %u more problems not shown\n",
			   nproblems_dropped);
	if (unknown_seen) {
		out_puts(o, "option: known options are\n");
		options_help(o);
	}
	return nproblems + nproblems_dropped;
}

void options_help(struct out *o)
{
	for (size_t i = 0; i < sizeof(option_table) / sizeof(option_table[0]); i++)
		out_printf(o, "option:   " PREFIX "%s=%s\n",
			   option_table[i].name, option_table[i].help);
}
