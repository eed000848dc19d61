# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end QEMU tests: Debian's Linux as the kexec loader, the old-kernel
# stand-in (tests/standin) that leaves live VT-d translation and hands over
# to khoprobe, chaining, the no-write proof, the demo and the e2e benchmark.

E2E		:= $(BUILD)/e2e
E2E_KERNEL	:= $(E2E)/kernel/vmlinuz
E2E_INIT	:= $(E2E)/init

# Debian's current bookworm kernel image, downloaded (not installed) once.
$(E2E_KERNEL): tests/e2e/fetch-kernel.sh
	sh tests/e2e/fetch-kernel.sh $(E2E)/kernel

# The initramfs /init: static, so the initramfs needs no libc for it.
$(E2E_INIT): tests/e2e/init.c
	@mkdir -p $(dir $@)
	$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

CHECK_PREREQS += $(E2E_KERNEL) $(E2E_INIT)
