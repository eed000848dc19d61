// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system calls newlib needs (x86_64-elf newlib uses the unprefixed
 * names, except _exit).  Output goes to the console, the heap is a fixed
 * region of our own footprint plus, with a KHO handover, free scratch
 * (boot/heapext.c), everything else fails politely.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../arch/x86/exit.h"
#include "../arch/x86/serial.h"
#include "console.h"
#include "machine.h"

#undef errno
extern int errno;

/*
 * Two regions: the fixed heap of our image, then (once heapext_setup()
 * found one) free KHO scratch.  newlib's small malloc takes every chunk
 * it cannot find on its free list from one sbrk() call and merges free
 * chunks only when their addresses touch, so a break that jumps to
 * another region is fine, as long as one call is never split: an
 * increment is served whole from the first region with room.  Increments
 * are kept 16-byte multiples, so malloc never asks for alignment padding
 * in a second call that could land in the other region.
 */
static uint64_t heap_brk, ext_brk;

uint64_t heap_used(void)
{
	return (heap_brk ? heap_brk - boot_layout.heap_lo : 0) +
	       (ext_brk ? ext_brk - boot_layout.heap_ext_lo : 0);
}

static void *grow(uint64_t *brk, uint64_t lo, uint64_t hi, ptrdiff_t incr)
{
	uint64_t old;

	if (!*brk)
		*brk = lo;
	old = *brk;
	if ((incr > 0 && (uint64_t)incr > hi - old) ||
	    (incr < 0 && (uint64_t)-incr > old - lo))
		return (void *)-1;
	*brk += incr;
	return (void *)old;
}

void *sbrk(ptrdiff_t incr)
{
	void *p;

	if (incr > 0)
		incr = (incr + 15) & ~(ptrdiff_t)15;
	if (ext_brk && incr <= 0)	/* the break now lives in scratch */
		p = grow(&ext_brk, boot_layout.heap_ext_lo,
			 boot_layout.heap_ext_hi, incr);
	else
		p = grow(&heap_brk, boot_layout.heap_lo, boot_layout.heap_hi,
			 incr);
	if (p == (void *)-1 && incr > 0 && boot_layout.heap_ext_hi)
		p = grow(&ext_brk, boot_layout.heap_ext_lo,
			 boot_layout.heap_ext_hi, incr);
	if (p == (void *)-1)
		errno = ENOMEM;
	return p;
}

int write(int fd, const void *buf, size_t len)
{
	console_write(buf, len);
	return (int)len;
}

int read(int fd, void *buf, size_t len)
{
	return 0;
}

int close(int fd)
{
	return -1;
}

int fstat(int fd, struct stat *st)
{
	st->st_mode = S_IFCHR;
	return 0;
}

int isatty(int fd)
{
	return 1;
}

int lseek(int fd, int off, int whence)
{
	return 0;
}

int getpid(void)
{
	return 1;
}

int kill(int pid, int sig)
{
	errno = EINVAL;
	return -1;
}

void _exit(int status)
{
	arch_exit(EXIT_BOOT_ERROR);
}

/* libfdt is built with the stack protector: a smashed stack ends here. */
void __stack_chk_fail(void)
{
	serial_puts("khoprobe: stack protector tripped\n");
	arch_exit(EXIT_EXCEPTION);
}
