# SPDX-License-Identifier: GPL-2.0-only
#
# The payload: one position-independent core (boot/, arch/x86/, the
# checking core, newlib, Debian's libfdt) linked three ways:
#
#   build/khoprobe.bzImage  Linux boot protocol 2.12 image (kexec, QEMU -kernel)
#   build/khoprobe.elf      PVH ELF linked at 0x0100_0000 (QEMU -kernel)
#   build/khoprobe.efi      gnu-efi UEFI application
#
# newlib is built once from Debian's newlib-source into build/newlib.

PL		:= $(BUILD)/payload
NEWLIB		:= $(BUILD)/newlib
NEWLIB_STAMP	:= $(NEWLIB)/lib/libc.a
LIBFDT_A	:= /usr/lib/x86_64-linux-gnu/libfdt.a
GCC_INC		:= $(shell $(CC) -print-file-name=include)
EFI_INC		:= /usr/include/efi

PL_CFLAGS := -std=gnu11 -g $(WARN) -fno-strict-aliasing \
	-ffreestanding -fpie -fvisibility=hidden -mno-red-zone \
	-fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-common \
	-nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) \
	-I$(PL)/include
# gnu-efi's headers and calling convention, for boot/efi.c only.
PL_EFI_CFLAGS := $(filter-out -fvisibility=hidden,$(PL_CFLAGS)) \
	-I$(EFI_INC) -I$(EFI_INC)/x86_64 -I$(EFI_INC)/protocol \
	-fshort-wchar -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI \
	-Wno-unused-parameter -Wno-sign-compare

PL_BOOT_SRCS	:= $(filter-out boot/efi.c,$(sort $(wildcard boot/*.c))) \
		   $(filter-out arch/x86/layout.c,$(sort $(wildcard arch/x86/*.c)))
PL_COMMON_OBJS	:= $(patsubst %.c,$(PL)/obj/%.o,$(PL_BOOT_SRCS) $(CORE_SRCS)) \
		   $(PL)/obj/arch/x86/cpu.o
# Entry code and layout of the bzImage/PVH builds (EFI has its own).
PL_BZ_HEAD	:= $(PL)/obj/arch/x86/head.o $(PL)/obj/arch/x86/layout.o
PL_PVH_HEAD	:= $(PL)/obj/arch/x86/head-pvh.o $(PL)/obj/arch/x86/layout.o
PL_LIBS		:= $(LIBFDT_A) $(NEWLIB)/lib/libc.a
PL_LDFLAGS	:= -nostdlib -z max-page-size=4096 -z noseparate-code \
		   -z noexecstack --no-warn-rwx-segments

PL_HEADERS := $(PL)/include/libfdt.h $(PL)/include/libfdt_env.h \
	      $(PL)/include/fdt.h

$(NEWLIB_STAMP):
	sh scripts/build-newlib.sh $(NEWLIB)

# libfdt's three headers, copied so the payload never sees glibc's.
$(PL)/include/%.h: /usr/include/%.h
	@mkdir -p $(dir $@)
	cp $< $@

# The checking core is optimised as on the host (-O2: among other things
# GCC then gives local byte arrays the alignment libfdt insists on); the
# payload's own code is built for size, to keep the bzImage under 256 KiB.
PL_OPT = $(if $(filter boot/% arch/%,$<),-Os,-O2)

$(PL)/obj/%.o: %.c $(NEWLIB_STAMP) $(PL_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(PL_CFLAGS) $(PL_OPT) -MMD -MP -c $< -o $@

$(PL)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -D__ASSEMBLER__ -Iarch/x86 -MMD -MP -c $< -o $@

$(PL)/obj/arch/x86/head-pvh.o: arch/x86/head.S
	@mkdir -p $(dir $@)
	$(CC) -D__ASSEMBLER__ -DPVH_BUILD -Iarch/x86 -MMD -MP -c $< -o $@

$(PL)/obj/boot/efi.o: boot/efi.c $(NEWLIB_STAMP) $(PL_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(PL_EFI_CFLAGS) -Os -MMD -MP -c $< -o $@

$(PL)/bz.ld: linker.ld
	@mkdir -p $(dir $@)
	cpp -P -undef -DLINK_BASE=0 $< -o $@

$(PL)/pvh.ld: linker.ld
	@mkdir -p $(dir $@)
	cpp -P -undef -DLINK_BASE=0x1000000 -DPVH $< -o $@

# Only R_X86_64_RELATIVE may remain: that is all head.S applies.
define check_relocs
	@if readelf -rW $(1) | awk 'NR>3 && $$3 ~ /^R_X86_64_/ && $$3 != "R_X86_64_RELATIVE"' | grep .; then \
		echo "$(1): relocation types head.S cannot apply" >&2; rm -f $(1); exit 1; fi
endef

# The bzImage core: a PIE linked at 0 that relocates itself.
$(PL)/core-bz.elf: $(PL_BZ_HEAD) $(PL_COMMON_OBJS) $(PL)/bz.ld $(NEWLIB_STAMP)
	ld $(PL_LDFLAGS) -pie --no-dynamic-linker -Bsymbolic -T $(PL)/bz.ld \
		-o $@ $(PL_BZ_HEAD) $(PL_COMMON_OBJS) $(PL_LIBS)
	$(call check_relocs,$@)

$(PL)/core-bz.bin: $(PL)/core-bz.elf
	objcopy -O binary $< $@

# Real-mode sectors: boot sector, setup header, 16-bit stub.  Sizes of the
# protected-mode part come from the linked core.
$(PL)/setup.bin: arch/x86/setup.S arch/x86/setup.ld $(PL)/core-bz.bin
	$(CC) -D__ASSEMBLER__ -Iarch/x86 -c arch/x86/setup.S -o $(PL)/setup.o
	ld -T arch/x86/setup.ld \
		--defsym PM_FILE_SIZE=$$(stat -c %s $(PL)/core-bz.bin) \
		--defsym PM_INIT_SIZE=0x$$(nm $(PL)/core-bz.elf | awk '$$3 == "_image_end" { print $$1 }') \
		-o $(PL)/setup.elf $(PL)/setup.o
	objcopy -O binary $(PL)/setup.elf $@

$(BUILD)/khoprobe.bzImage: $(PL)/setup.bin $(PL)/core-bz.bin
	cat $^ > $@

$(BUILD)/khoprobe.elf: $(PL_PVH_HEAD) $(PL_COMMON_OBJS) $(PL)/pvh.ld $(NEWLIB_STAMP)
	ld $(PL_LDFLAGS) -static -T $(PL)/pvh.ld -o $@ \
		$(PL_PVH_HEAD) $(PL_COMMON_OBJS) $(PL_LIBS)
	$(call check_relocs,$@)

# UEFI: gnu-efi's crt0 relocates us and calls efi_main (boot/efi.c).
PL_EFI_OBJS	:= $(PL)/obj/boot/efi.o $(PL)/obj/arch/x86/efi_world.o

$(PL)/khoprobe-efi.so: $(PL_EFI_OBJS) $(PL_COMMON_OBJS) $(NEWLIB_STAMP)
	ld -nostdlib -znocombreloc -z noexecstack -T /usr/lib/elf_x86_64_efi.lds \
		-shared -Bsymbolic -L/usr/lib /usr/lib/crt0-efi-x86_64.o \
		$(PL_EFI_OBJS) $(PL_COMMON_OBJS) $(PL_LIBS) \
		-lefi -lgnuefi -o $@
	$(call check_relocs,$@)

$(BUILD)/khoprobe.efi: $(PL)/khoprobe-efi.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j '.rel.*' -j '.rela.*' -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

ALL_TARGETS += $(BUILD)/khoprobe.bzImage $(BUILD)/khoprobe.elf $(BUILD)/khoprobe.efi

# demo-run (make demo) is in mk/e2e.mk: the whole live-update story (the
# stand-in old kernel with VT-d and DMA live -> khoprobe -> Debian's Linux).

# Figures: image sizes, footprint and boot-to-verdict wall time under TCG.
BENCH_TARGETS += bench-payload
.PHONY: bench-payload
bench-payload: $(BUILD)/khoprobe.bzImage $(BUILD)/khoprobe.elf $(BUILD)/khoprobe.efi
	@echo "bench payload.bzimage-size: $$(stat -c %s $(BUILD)/khoprobe.bzImage) bytes"
	@echo "bench payload.efi-size: $$(stat -c %s $(BUILD)/khoprobe.efi) bytes"
	@echo "bench payload.init-size: $$(od -An -tu4 -j 0x260 -N4 $(BUILD)/khoprobe.bzImage | tr -d ' ') bytes"
	@for img in elf bzImage efi; do \
		efi=; [ $$img = efi ] && efi=--efi; \
		s=$$(date +%s%N); \
		sh tests/lib/qemu.sh $$efi --log $(BUILD)/bench-$$img.log $(BUILD)/khoprobe.$$img 2>/dev/null; \
		e=$$(date +%s%N); \
		echo "bench payload.boot-$$img: $$(( (e - s) / 1000000 )) ms"; \
	done
	@echo "bench payload.footprint: $$(sed -n 's/^footprint: total \([0-9]*\) KiB.*/\1/p' $(BUILD)/bench-elf.log) KiB"
