/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one way checking code reaches physical memory.
 *
 * The payload implements it over its identity map, bounded by the memory
 * map; khodump implements it over an ELF core; unit tests over a gmem.
 * Checking code never dereferences a physical address any other way.
 */
#ifndef KHOPROBE_PHYSMEM_H
#define KHOPROBE_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct physmem {
	/*
	 * Copy @len bytes at physical address @pa into @buf.  Returns 0, or
	 * -1 with *@why set to a short static reason ("not RAM", "not in
	 * dump", "wraps") when any byte of the range cannot be read.
	 */
	int (*read)(void *ctx, uint64_t pa, void *buf, size_t len,
		    const char **why);
	/* True when every byte of [pa, pa + len) is RAM. */
	bool (*is_ram)(void *ctx, uint64_t pa, uint64_t len);
	void *ctx;
	/* Optional: called for every successful read (chain.intact digest). */
	void (*on_read)(void *log, uint64_t pa, size_t len);
	void *log;
};

static inline int phys_read(const struct physmem *pm, uint64_t pa,
			    void *buf, size_t len, const char **why)
{
	const char *dummy;
	int ret;

	if (!why)
		why = &dummy;
	if (len && pa + len - 1 < pa) {
		*why = "range wraps the address space";
		return -1;
	}
	ret = pm->read(pm->ctx, pa, buf, len, why);
	if (!ret && pm->on_read)
		pm->on_read(pm->log, pa, len);
	return ret;
}

static inline bool phys_is_ram(const struct physmem *pm, uint64_t pa,
			       uint64_t len)
{
	if (len && pa + len - 1 < pa)
		return false;
	return pm->is_ram(pm->ctx, pa, len);
}

/* Little-endian loads from a byte buffer, alignment-free. */
static inline uint64_t get_le64(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

static inline uint32_t get_le32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static inline uint16_t get_le16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static inline int phys_read_u64(const struct physmem *pm, uint64_t pa,
				uint64_t *val, const char **why)
{
	uint8_t b[8];

	if (phys_read(pm, pa, b, 8, why))
		return -1;
	*val = get_le64(b);
	return 0;
}

#endif
