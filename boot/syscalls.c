// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system calls newlib needs (x86_64-elf newlib uses the unprefixed
 * names, except _exit).  Output goes to the console, the heap is a fixed
 * region of our own footprint, everything else fails politely.
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

static uint64_t heap_brk;

uint64_t heap_used(void)
{
	return heap_brk ? heap_brk - boot_layout.heap_lo : 0;
}

void *sbrk(ptrdiff_t incr)
{
	uint64_t old;

	if (!heap_brk)
		heap_brk = boot_layout.heap_lo;
	old = heap_brk;
	if ((incr > 0 && (uint64_t)incr > boot_layout.heap_hi - old) ||
	    (incr < 0 && (uint64_t)-incr > old - boot_layout.heap_lo)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_brk += incr;
	return (void *)old;
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
