# SPDX-License-Identifier: GPL-2.0-only
#
# KHO/LUO layer: the handover producer CLI, the scenario test's tools, the
# khodump fuzzer and the KHO decode benchmark.

MKHANDOVER_SRCS := tests/producer/cli/mkhandover.c tools/khodump/elfmem.c
ALL_TARGETS += $(BUILD)/mkhandover
CHECK_PREREQS += $(BUILD)/mkhandover $(BUILD)/asan/khodump

$(BUILD)/mkhandover: $(call host_obj,$(MKHANDOVER_SRCS) $(PRODUCER_SRCS) $(CORE_SRCS))
	$(CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@

# libFuzzer target for khodump's input path (clang), seeded with every
# catalogue scenario's core plus a 9-byte start trailer (--boot-params of the
# scenario).  `make fuzz-kho FUZZ_SECONDS=600` runs it by hand; make check
# runs tests/t/22-fuzz-smoke.t (FUZZ_SMOKE_SECONDS, default 20).
FUZZ_DIR	:= $(BUILD)/fuzz
FUZZ_SECONDS	?= 600
FUZZ_CFLAGS	:= -std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter \
		   -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FUZZ_SRCS	:= tools/fuzz/fuzz_khodump.c tools/khodump/dump.c \
		   tools/khodump/elfmem.c $(CORE_SRCS)
FUZZ_OBJS	:= $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_SRCS))

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/fuzz_khodump: $(FUZZ_OBJS)
	$(CLANG) $(FUZZ_CFLAGS) $^ $(HOST_LIBS) -o $@

$(FUZZ_DIR)/seeds/.stamp: $(BUILD)/mkhandover
	@rm -rf $(FUZZ_DIR)/seeds && mkdir -p $(FUZZ_DIR)/seeds
	@for s in $$($(BUILD)/mkhandover --list | cut -f1); do \
		bp=$$($(BUILD)/mkhandover $$s -o $(FUZZ_DIR)/seeds/$$s | \
		      sed -n 's/^boot_params=0x//p'); \
		python3 -c 'import sys,struct; sys.stdout.buffer.write(struct.pack("<BQ", 4, int(sys.argv[1], 16)))' \
			$$bp >> $(FUZZ_DIR)/seeds/$$s || exit 1; \
	done
	@touch $@

CHECK_PREREQS += $(FUZZ_DIR)/fuzz_khodump $(FUZZ_DIR)/seeds/.stamp

.PHONY: fuzz-kho
fuzz-kho: $(FUZZ_DIR)/fuzz_khodump $(FUZZ_DIR)/seeds/.stamp
	@mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/fuzz_khodump -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -max_len=1048576 \
		-artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

# Benchmark: decode-and-check time versus a plain read of the map's bytes.
BENCH_KHO_SRCS := tests/bench/bench_kho.c tools/khodump/elfmem.c
BENCH_TARGETS += bench-kho

$(BUILD)/bench_kho: $(call host_obj,$(BENCH_KHO_SRCS) $(PRODUCER_SRCS) $(CORE_SRCS))
	$(CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@

.PHONY: bench-kho
bench-kho: $(BUILD)/bench_kho
	@$(BUILD)/bench_kho
