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

# The old-kernel stand-in: bare metal, PVH ELF at 1 MiB.
STANDIN		:= $(E2E)/standin.elf
STANDIN_SRCS	:= $(sort $(wildcard tests/standin/*.c))
STANDIN_OBJS	:= $(patsubst tests/standin/%,$(E2E)/standin/%.o,\
		   tests/standin/entry.S $(STANDIN_SRCS))
STANDIN_CFLAGS	:= -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-pic \
		   -fno-stack-protector -mno-red-zone -mgeneral-regs-only \
		   -fno-builtin -mcmodel=small -fno-asynchronous-unwind-tables

$(E2E)/standin/%.c.o: tests/standin/%.c tests/standin/*.h
	@mkdir -p $(dir $@)
	$(CC) $(STANDIN_CFLAGS) -c $< -o $@

$(E2E)/standin/%.S.o: tests/standin/%.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(STANDIN): $(STANDIN_OBJS) tests/standin/standin.ld
	ld -nostdlib -static -no-pie -z max-page-size=4096 --no-warn-rwx-segments \
		-T tests/standin/standin.ld $(STANDIN_OBJS) -o $@

CHECK_PREREQS += $(STANDIN)


# make bench: khoprobe's entry to verdict next to Debian's Linux boot to
# init, from one QEMU run of the whole path (tests/e2e/bench.sh).
BENCH_TARGETS += bench-e2e
.PHONY: bench-e2e
bench-e2e: $(E2E_KERNEL) $(E2E_INIT) $(STANDIN) $(BUILD)/khoprobe.bzImage \
	   $(BUILD)/mkhandover
	@sh tests/e2e/bench.sh
