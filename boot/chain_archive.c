// SPDX-License-Identifier: GPL-2.0-only
/*
 * The next OS travels in khoprobe's initrd as a newc ("070701") cpio
 * archive: khoprobe/next-kernel (bzImage), khoprobe/next-initrd (optional),
 * khoprobe/next-cmdline (optional text).  Read through the physmem, bounded
 * by the archive's size; files are referenced in place, not copied.
 */
#include <stdio.h>
#include <string.h>

#include "chain.h"

#define NEWC_HDR	110
#define NEWC_MAX_FILES	256

static uint64_t hex_field(const char *h, int idx, bool *bad)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = h[6 + idx * 8 + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint64_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint64_t)(c - 'A' + 10);
		else
			*bad = true;
	}
	return v;
}

static const char *strip_dot(const char *name)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	return name;
}

static int take_file(const struct physmem *pm, const char *name, uint64_t pa,
		     uint64_t size, struct chain_next *next)
{
	name = strip_dot(name);
	if (!strcmp(name, CHAIN_ARCHIVE_KERNEL)) {
		next->kernel_pa = pa;
		next->kernel_size = size;
		next->has_kernel = true;
	} else if (!strcmp(name, CHAIN_ARCHIVE_INITRD)) {
		next->initrd_pa = size ? pa : 0;
		next->initrd_size = size;
	} else if (!strcmp(name, CHAIN_ARCHIVE_CMDLINE)) {
		size_t n = size < CHAIN_CMDLINE_MAX - 1 ? size : CHAIN_CMDLINE_MAX - 1;

		if (phys_read(pm, pa, next->cmdline, n, NULL))
			return -1;
		next->cmdline[n] = 0;
		while (n && (next->cmdline[n - 1] == '\n' ||
			     next->cmdline[n - 1] == '\r'))
			next->cmdline[--n] = 0;
	}
	return 0;
}

int chain_archive_parse(const struct physmem *pm, uint64_t pa, uint64_t size,
			struct chain_next *next, char *err, size_t errlen)
{
	uint64_t off = 0;

	memset(next, 0, sizeof(*next));
	for (int files = 0; files < NEWC_MAX_FILES; files++) {
		char hdr[NEWC_HDR], name[128];
		uint64_t fsize, nsize, data;
		bool bad = false;

		if (off + NEWC_HDR > size) {
			snprintf(err, errlen, "initrd %#llx: archive ends inside a header at +%#llx",
				 (unsigned long long)pa, (unsigned long long)off);
			return -1;
		}
		if (phys_read(pm, pa + off, hdr, NEWC_HDR, NULL)) {
			snprintf(err, errlen, "initrd %#llx: +%#llx is not readable memory",
				 (unsigned long long)pa, (unsigned long long)off);
			return -1;
		}
		if (memcmp(hdr, "070701", 6) && memcmp(hdr, "070702", 6)) {
			snprintf(err, errlen, "initrd %#llx: no newc cpio header at +%#llx",
				 (unsigned long long)pa, (unsigned long long)off);
			return -1;
		}
		fsize = hex_field(hdr, 6, &bad);
		nsize = hex_field(hdr, 11, &bad);
		if (bad || nsize == 0 || nsize > sizeof(name)) {
			snprintf(err, errlen, "initrd %#llx: bad cpio header at +%#llx",
				 (unsigned long long)pa, (unsigned long long)off);
			return -1;
		}
		data = (off + NEWC_HDR + nsize + 3) & ~3ULL;
		if (data > size || fsize > size - data ||
		    phys_read(pm, pa + off + NEWC_HDR, name, nsize, NULL)) {
			snprintf(err, errlen, "initrd %#llx: cpio entry at +%#llx runs past the archive",
				 (unsigned long long)pa, (unsigned long long)off);
			return -1;
		}
		name[nsize - 1] = 0;
		if (!strcmp(name, "TRAILER!!!"))
			break;
		if (take_file(pm, name, pa + data, fsize, next)) {
			snprintf(err, errlen, "initrd %#llx: cannot read %s",
				 (unsigned long long)pa, name);
			return -1;
		}
		off = (data + fsize + 3) & ~3ULL;
	}
	if (!next->has_kernel) {
		snprintf(err, errlen, "initrd %#llx holds no %s",
			 (unsigned long long)pa, CHAIN_ARCHIVE_KERNEL);
		return -1;
	}
	return 0;
}
