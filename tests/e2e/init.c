// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the end-to-end initramfs, built static for Debian's kernel.
 *
 * The kernel command line picks what it does:
 *   e2e.mode=kexec-s   kexec -s (kexec_file_load) /payload.bz, then kexec -e
 *   e2e.mode=kexec-l   kexec -l -t bzImage64 /payload.bz, then kexec -e
 *   e2e.mode=marker    print a marker line and leave QEMU (isa-debug-exit)
 * /payload.cmdline (optional) is the payload's command line and
 * /payload.initrd (optional) its initrd.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEBUG_EXIT_PORT	0xf4
#define INIT_OK_CODE	0x31	/* QEMU exits with (0x31 << 1) | 1 = 99 */
#define INIT_FAIL_CODE	0x32	/* 101 */

static unsigned long long rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
}

static void leave_qemu(int code)
{
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0)
		outl(code, DEBUG_EXIT_PORT);
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = 0;

	buf[0] = 0;
	if (fd < 0)
		return;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = 0;
}

static const char *cmdline_value(const char *cmdline, const char *key,
				 char *val, size_t size)
{
	const char *s = strstr(cmdline, key);
	size_t n = 0;

	if (!s)
		return NULL;
	s += strlen(key);
	while (s[n] && s[n] != ' ' && n + 1 < size) {
		val[n] = s[n];
		n++;
	}
	val[n] = 0;
	return val;
}

static int run(char *const argv[])
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* TSC ticks per second, measured against CLOCK_MONOTONIC over 50 ms. */
static unsigned long long tsc_hz(void)
{
	struct timespec a, b, d = { 0, 50 * 1000 * 1000 };
	unsigned long long t0, t1, ns;

	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = rdtsc();
	nanosleep(&d, NULL);
	t1 = rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (b.tv_sec - a.tv_sec) * 1000000000ull + b.tv_nsec - a.tv_nsec;
	return ns ? (t1 - t0) * 1000000000ull / ns : 0;
}

static void marker(unsigned long long tsc_at_init)
{
	struct utsname u;
	struct timespec bt;

	uname(&u);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	printf("E2E-INIT: reached /init of Linux %s\n", u.release);
	printf("E2E-INIT: tsc=%llu tsc_hz=%llu boottime_ms=%llu\n",
	       tsc_at_init, tsc_hz(),
	       (unsigned long long)bt.tv_sec * 1000 + bt.tv_nsec / 1000000);
	fflush(stdout);
	leave_qemu(INIT_OK_CODE);
}

static void load_and_exec(int file_mode)
{
	static char append[4096], arg_append[4200];
	struct stat st;
	char *argv[10];
	int argc = 0, rc;

	read_file("/payload.cmdline", append, sizeof(append));
	snprintf(arg_append, sizeof(arg_append), "--append=%s", append);
	argv[argc++] = "/sbin/kexec";
	argv[argc++] = "-l";	/* load only; -e comes later */
	if (file_mode) {
		argv[argc++] = "-s";
	} else {
		argv[argc++] = "-t";
		argv[argc++] = "bzImage64";
	}
	argv[argc++] = arg_append;
	if (stat("/payload.initrd", &st) == 0)
		argv[argc++] = "--initrd=/payload.initrd";
	argv[argc++] = "/payload.bz";
	argv[argc] = NULL;

	printf("E2E-INIT: kexec %s /payload.bz append=\"%s\"\n",
	       file_mode ? "-s" : "-l -t bzImage64", append);
	fflush(stdout);
	rc = run(argv);
	if (rc != 0) {
		printf("E2E-INIT: kexec load failed (%d)\n", rc);
		fflush(stdout);
		leave_qemu(INIT_FAIL_CODE);
	}
	printf("E2E-INIT: loaded, kexec -e\n");
	fflush(stdout);
	char *exec_argv[] = { "/sbin/kexec", "-e", NULL };
	run(exec_argv);
	printf("E2E-INIT: kexec -e returned\n");
	fflush(stdout);
	leave_qemu(INIT_FAIL_CODE);
}

int main(void)
{
	unsigned long long t = rdtsc();
	static char cmdline[4096];
	char mode[32];

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	read_file("/proc/cmdline", cmdline, sizeof(cmdline));

	if (!cmdline_value(cmdline, "e2e.mode=", mode, sizeof(mode)))
		strcpy(mode, "marker");
	if (!strcmp(mode, "kexec-s"))
		load_and_exec(1);
	else if (!strcmp(mode, "kexec-l"))
		load_and_exec(0);
	marker(t);
	return 0;
}
