# SPDX-License-Identifier: GPL-2.0-only
#
# khoprobe: a kexec target that verifies a KHO/LUO/IOMMU live-update
# handover, and khodump, the same checks on a memory dump.
#
#   make          the three payload images and khodump
#   make check    every test (installs Debian packages first, as root)
#   make demo     the QEMU demo of a full handover
#   make bench    every benchmark, one "bench NAME: VALUE UNIT" line each
#
# Layout: lib/ kho/ iommu/ are the checking core, built twice (host and
# freestanding); boot/ and arch/x86/ are payload only; tools/ is khodump;
# tests/ holds the producer, unit tests and the QEMU tests.

BUILD	?= build
# One spelling for the build tree: an absolute path inside this tree (tests
# pass $PWD/build) would name every object twice, and the dependency files
# written under one name would not rebuild objects under the other.
override BUILD := $(patsubst $(CURDIR)/%,%,$(BUILD))
ALL_TARGETS :=
CHECK_PREREQS :=
BENCH_TARGETS :=
CC	:= gcc
CLANG	:= clang

WARN	:= -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-truncation
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -fno-strict-aliasing
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer

CORE_SRCS	:= $(sort $(wildcard lib/*.c kho/*.c iommu/*.c))
PRODUCER_SRCS	:= $(sort $(wildcard tests/producer/*.c))
KHODUMP_SRCS	:= $(sort $(wildcard tools/khodump/*.c))
UNIT_SRCS	:= $(sort $(wildcard tests/unit/test_*.c))
HOST_LIBS	:= -lfdt -lelf

# Host objects: plain (khodump, benchmarks) and sanitized (tests).
host_obj = $(patsubst %.c,$(BUILD)/host/%.o,$(1))
asan_obj = $(patsubst %.c,$(BUILD)/asan/%.o,$(1))

$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

.PHONY: all check unit-tests demo demo-run bench deps clean
ALL_TARGETS += $(BUILD)/khodump

$(BUILD)/khodump: $(call host_obj,$(KHODUMP_SRCS) $(CORE_SRCS))
	$(CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@

$(BUILD)/asan/khodump: $(call asan_obj,$(KHODUMP_SRCS) $(CORE_SRCS))
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) $^ $(HOST_LIBS) -o $@

# Each tests/unit/test_X.c is one TAP program, linked with the core and the
# producer, sanitized; prove runs it through a generated .t wrapper.
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/asan/unit/%,$(UNIT_SRCS))
UNIT_TS := $(patsubst tests/unit/%.c,$(BUILD)/t/unit-%.t,$(UNIT_SRCS))
UNIT_DEPS := $(call asan_obj,$(filter-out tools/khodump/main.c,$(KHODUMP_SRCS)) $(CORE_SRCS) $(PRODUCER_SRCS))

$(BUILD)/asan/unit/%: $(BUILD)/asan/tests/unit/%.o $(UNIT_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) $^ $(HOST_LIBS) -o $@

$(BUILD)/t/unit-%.t: $(BUILD)/asan/unit/%
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec "%s"\n' "$(abspath $<)" > $@
	@chmod +x $@

unit-tests: $(UNIT_BINS) $(UNIT_TS)

deps:
	@sh scripts/install-deps.sh

# Each layer's build and test rules live in mk/NAME.mk, one owner each.
# A fragment may add to ALL_TARGETS (built by `make`), CHECK_PREREQS (built
# before the tests run), BENCH_TARGETS (phony, run by `make bench`) and
# define demo-run.
include $(sort $(wildcard mk/*.mk))

all: $(ALL_TARGETS)

.PHONY: check-prereqs
check-prereqs: $(CHECK_PREREQS)

# prove runs the unit tests and every tests/t/*.t script (shell TAP).
check: deps
	$(MAKE) all unit-tests check-prereqs
	prove -f $(BUILD)/t/*.t $(wildcard tests/t/*.t)

demo: deps
	$(MAKE) all
	$(MAKE) demo-run

bench: all
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
