# SPDX-License-Identifier: GPL-2.0-only
#
# KHO/LUO layer: the handover producer CLI, the scenario test's tools, the
# khodump fuzzer and the KHO decode benchmark.

MKHANDOVER_SRCS := tests/producer/cli/mkhandover.c tools/khodump/elfmem.c
ALL_TARGETS += $(BUILD)/mkhandover
CHECK_PREREQS += $(BUILD)/mkhandover $(BUILD)/asan/khodump

$(BUILD)/mkhandover: $(call host_obj,$(MKHANDOVER_SRCS) $(PRODUCER_SRCS) $(CORE_SRCS))
	$(CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@
