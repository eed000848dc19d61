// SPDX-License-Identifier: GPL-2.0-only
/*
 * Chaining's host-testable parts: the chain archive parser on good and
 * hostile archives, the chain.intact page log, and dma.live's canary
 * syntax.  The chain code is payload code (boot/), so its two portable
 * files are compiled in here.
 */
#include <stdlib.h>
#include <string.h>

#include "../../boot/chain_archive.c"
#include "../../boot/chain_digest.c"
#include "../../iommu/dma_live.h"
#include "../producer/gmem.h"
#include "../tap.h"

#define AR	0x1000000ULL

/* Append one newc entry at *off; returns the new offset. */
static uint64_t put_entry(struct gmem *g, uint64_t off, const char *name,
			  const void *data, size_t len)
{
	char hdr[111];
	size_t nlen = strlen(name) + 1;

	snprintf(hdr, sizeof(hdr),
		 "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		 1, 0100644, 0, 0, 1, 0, len, 0, 0, 0, 0, nlen, 0);
	gmem_write(g, AR + off, hdr, 110);
	gmem_write(g, AR + off + 110, name, nlen);
	off = (off + 110 + nlen + 3) & ~3ULL;
	if (len)
		gmem_write(g, AR + off, data, len);
	return (off + len + 3) & ~3ULL;
}

static struct gmem *new_mem(void)
{
	struct gmem *g = gmem_new();

	gmem_add_ram(g, 0, 0x4000000);
	return g;
}

static void test_archive(void)
{
	struct gmem *g = new_mem();
	struct physmem pm;
	struct chain_next n;
	char err[160];
	uint64_t end;
	static const char kernel[] = "pretend bzImage", initrd[] = "rd";

	gmem_physmem(g, &pm);
	end = put_entry(g, 0, "khoprobe", NULL, 0);
	end = put_entry(g, end, "./khoprobe/next-kernel", kernel, sizeof(kernel));
	end = put_entry(g, end, "khoprobe/next-initrd", initrd, sizeof(initrd));
	end = put_entry(g, end, "khoprobe/next-cmdline", "console=ttyS0 quiet\n", 20);
	end = put_entry(g, end, "TRAILER!!!", NULL, 0);
	ok(chain_archive_parse(&pm, AR, end, &n, err, sizeof(err)) == 0,
	   "a full archive parses");
	ok(n.has_kernel && n.kernel_size == sizeof(kernel), "kernel found");
	is_u64(n.initrd_size, sizeof(initrd), "initrd found");
	is_str(n.cmdline, "console=ttyS0 quiet", "command line, newline dropped");
	ok(chain_archive_parse(&pm, AR, end - 200, &n, err, sizeof(err)) == -1,
	   "a truncated archive is refused: %s", err);

	end = put_entry(g, 0, "khoprobe/next-cmdline", "x", 1);
	end = put_entry(g, end, "TRAILER!!!", NULL, 0);
	ok(chain_archive_parse(&pm, AR, end, &n, err, sizeof(err)) == -1 &&
	   strstr(err, "no khoprobe/next-kernel"), "no kernel: %s", err);

	gmem_write(g, AR + 6 + 6 * 8, "zzzzzzzz", 8);	/* filesize field */
	ok(chain_archive_parse(&pm, AR, end, &n, err, sizeof(err)) == -1 &&
	   strstr(err, "bad cpio header"), "bad hex in a header: %s", err);
	gmem_write(g, AR, "not a cpio archive at all", 25);
	ok(chain_archive_parse(&pm, AR, 0x1000, &n, err, sizeof(err)) == -1,
	   "not cpio: %s", err);

	/* A file size that runs far past the archive. */
	put_entry(g, 0, "khoprobe/next-kernel", kernel, sizeof(kernel));
	gmem_write(g, AR + 6 + 6 * 8, "7fffffff", 8);
	ok(chain_archive_parse(&pm, AR, 0x1000, &n, err, sizeof(err)) == -1,
	   "hostile file size: %s", err);
	ok(chain_archive_parse(&pm, 0x7f00000000ULL, 0x1000, &n, err,
			       sizeof(err)) == -1,
	   "archive outside RAM: %s", err);
	gmem_free(g);
}

static void test_log(void)
{
	struct gmem *g = new_mem();
	struct physmem pm;
	struct chain_log log;
	uint64_t d0, now, first = 0;
	uint8_t b[16];

	gmem_physmem(g, &pm);
	gmem_write_u64(g, 0x10000, 0x1111);
	gmem_write_u64(g, 0x20000, 0x2222);
	chain_log_attach(&log, &pm);
	chain_log_skip(&log, 0x30000, 0x31000);
	phys_read(&pm, 0x10000, b, 8, NULL);
	phys_read(&pm, 0x10ff8, b, 16, NULL);	/* spans two pages */
	phys_read(&pm, 0x20000, b, 8, NULL);
	phys_read(&pm, 0x30000, b, 8, NULL);	/* skipped */
	is_u64(log.n, 3, "three distinct pages logged, the skipped one not");
	d0 = chain_log_digest(&log);
	is_u64(chain_log_verify(&log, &now, &first), 0, "nothing changed");
	is_u64(now, d0, "digest now equals the digest at first read");
	gmem_write_u64(g, 0x30000, 0x3333);
	is_u64(chain_log_verify(&log, &now, NULL), 0,
	       "a change in a skipped page is not counted");
	gmem_write_u64(g, 0x20ff0, 0x4444);
	is_u64(chain_log_verify(&log, &now, &first), 1, "one page changed");
	is_u64(first, 0x20000, "and it is named");
	ok(now != d0, "the digest moved");
	free(log.page);
	gmem_free(g);
}

static void test_canary(void)
{
	struct dma_canary c;

	ok(dma_canary_parse("0000:00:02.0@0x102000+0x400", &c) == 0, "canary parses");
	is_u64(c.devid, 0x10, "devid 00:02.0");
	is_u64(c.iova, 0x102000, "IOVA");
	is_u64(c.len, 0x400, "length");
	ok(dma_canary_parse("0000:00:02.0@0x102000", &c) == -1, "missing length");
	ok(dma_canary_parse("0000:00:20.0@0x1000+1", &c) == -1, "device > 31");
	ok(dma_canary_parse("0000:00:02.0@0x1000+0", &c) == -1, "zero length");
	ok(dma_canary_parse("garbage", &c) == -1, "garbage");
}

int main(void)
{
	test_archive();
	test_log();
	test_canary();
	return done_testing();
}
