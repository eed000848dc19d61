# SPDX-License-Identifier: GPL-2.0-only
#
# IOMMU layer: the VT-d walk benchmark (optimised, not sanitized).

BENCH_VTD := $(BUILD)/bench/bench_vtd

$(BENCH_VTD): $(call host_obj,tests/bench/bench_vtd.c $(PRODUCER_SRCS) $(CORE_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@

.PHONY: bench-vtd
bench-vtd: $(BENCH_VTD)
	@$(BENCH_VTD)

BENCH_TARGETS += bench-vtd
