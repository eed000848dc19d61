# SPDX-License-Identifier: GPL-2.0-only
#
# Debugging the payload: `make gdb` boots build/khoprobe.elf in QEMU halted
# at the first instruction, with a produced handover in guest RAM and the
# gdbstub on 127.0.0.1:$(GDB_PORT), and attaches gdb with
# scripts/khoprobe.gdb (symbols at the right address, helpers).
#
#   make gdb [GDB_SCENARIO=vtd-legacy-c] [GDB_PORT=1234]
#            [GDB_APPEND="khoprobe.chain=never"] [GDB_BATCH=cmds.gdb]

GDB_SCENARIO	?= vtd-scalable-ss-c
GDB_PORT	?= 1234

.PHONY: gdb debug
gdb debug: $(BUILD)/khoprobe.elf $(BUILD)/mkhandover
	@BUILD=$(BUILD) GDB_SCENARIO=$(GDB_SCENARIO) GDB_PORT=$(GDB_PORT) \
		sh scripts/docs-gdb.sh $(GDB_BATCH)
