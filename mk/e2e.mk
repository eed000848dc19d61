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

$(E2E)/standin/%.c.o: tests/standin/%.c tests/standin/*.h arch/x86/cpu.h
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

# make demo: the whole story in one QEMU run (tests/e2e/demo.sh).  With
# DEMO_SCENARIO=NAME instead: that catalogue scenario placed in guest RAM
# and the PVH payload pointed at it (no IOMMU, no stand-in), its report
# shown; it succeeds when the payload reached a verdict (status 1 or 3).
DEMO_DIR	:= $(BUILD)/demo
DEMO_SCENARIO	?=

demo-run: $(E2E_KERNEL) $(E2E_INIT) $(STANDIN) $(BUILD)/khoprobe.bzImage \
	  $(BUILD)/khoprobe.elf $(BUILD)/mkhandover
ifeq ($(DEMO_SCENARIO),)
	@sh tests/e2e/demo.sh
else
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@$(BUILD)/mkhandover $(DEMO_SCENARIO) --segments $(DEMO_DIR)/seg > $(DEMO_DIR)/seg.txt
	@bp=$$(sed -n 's/^boot_params=//p' $(DEMO_DIR)/seg.txt); \
	echo "demo: scenario $(DEMO_SCENARIO), zero page at $$bp, booting build/khoprobe.elf in QEMU"; \
	sh tests/lib/qemu.sh --show --log $(DEMO_DIR)/serial.log \
		--append "khoprobe.boot_params=$$bp" $(BUILD)/khoprobe.elf -- \
		$$(grep '^-device' $(DEMO_DIR)/seg.txt); rc=$$?; \
	echo "demo: QEMU status $$rc (1 pass, 3 fail, 5 exception); serial log in $(DEMO_DIR)/serial.log"; \
	[ $$rc -eq 1 ] || [ $$rc -eq 3 ]
endif
