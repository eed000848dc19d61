// SPDX-License-Identifier: GPL-2.0-only
/*
 * khodump: decode and check a KHO/LUO/IOMMU handover in an ELF core dump.
 * See spec/interfaces.md for the command line, outputs and exit codes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump.h"

static void file_write(void *ctx, const char *buf, size_t len)
{
	fwrite(buf, 1, len, ctx);
}

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "khodump: %s\n", msg);
	fprintf(stderr,
		"usage: khodump [--json] [--dot FILE] [--explain] --boot-params ADDR CORE\n"
		"       khodump [--json] [--dot FILE] [--explain] --kho ADDR CORE\n");
	return KHODUMP_UNUSABLE;
}

/* Decimal or 0x-prefixed hex, whole string, no sign. */
static int parse_addr(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!s[2])
			return -1;
		*v = strtoull(s + 2, &end, 16);
	} else {
		*v = strtoull(s, &end, 10);
	}
	return (errno || *end) ? -1 : 0;
}

static int map_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*len = (size_t)st.st_size;
	*buf = *len ? mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			   fd, 0) : NULL;
	close(fd);
	return (*len && *buf == MAP_FAILED) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "dot", required_argument, NULL, 'd' },
		{ "explain", no_argument, NULL, 'e' },
		{ "boot-params", required_argument, NULL, 'b' },
		{ "kho", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct khodump_opts o = { 0 };
	struct out out_report = { file_write, stdout };
	struct out out_explain, out_dot;
	const char *dot_path = NULL, *why = NULL;
	bool explain = false, have_start = false;
	FILE *dot = NULL;
	uint8_t *buf;
	size_t len;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'd':
			dot_path = optarg;
			break;
		case 'e':
			explain = true;
			break;
		case 'b':
		case 'k':
			if (have_start)
				return usage("give one of --boot-params and --kho");
			if (parse_addr(optarg, &o.start_pa))
				return usage("bad address (decimal or 0x-hex)");
			o.start = c == 'b' ? PROBE_FROM_BOOT_PARAMS :
					     PROBE_FROM_KHO_DATA;
			have_start = true;
			break;
		case 'h':
			usage(NULL);
			return 0;
		default:
			return usage(NULL);
		}
	}
	if (!have_start)
		return usage("--boot-params ADDR or --kho ADDR is required");
	if (optind != argc - 1)
		return usage("exactly one CORE file");
	if (map_file(argv[optind], &buf, &len)) {
		fprintf(stderr, "khodump: %s: %s\n", argv[optind],
			errno ? strerror(errno) : "not a regular file");
		return KHODUMP_UNUSABLE;
	}
	if (dot_path) {
		dot = fopen(dot_path, "w");
		if (!dot) {
			fprintf(stderr, "khodump: %s: %s\n", dot_path, strerror(errno));
			return KHODUMP_UNUSABLE;
		}
		out_dot = (struct out){ file_write, dot };
		o.dot = &out_dot;
	}
	if (explain) {
		/* With --json, stdout holds only the JSON object. */
		out_explain = (struct out){ file_write, o.json ? stderr : stdout };
		o.explain = &out_explain;
	}
	o.report = &out_report;
	ret = khodump_core(buf, len, &o, &why);
	if (ret == KHODUMP_UNUSABLE)
		fprintf(stderr, "khodump: %s: %s\n", argv[optind], why);
	if (dot && fclose(dot)) {
		fprintf(stderr, "khodump: %s: write failed\n", dot_path);
		ret = KHODUMP_UNUSABLE;
	}
	if (len)
		munmap(buf, len);
	return ret;
}
