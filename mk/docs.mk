# SPDX-License-Identifier: GPL-2.0-only
#
# Documentation: the handover diagram of docs/handover.md, rendered from a
# produced scenario by khodump --dot and Graphviz.
#
#   make docs-diagram   regenerate into $(BUILD)/docs (what tests/t/60 checks)
#   make docs-img       regenerate and refresh docs/img/handover.{dot,svg}

DOCS_OUT	:= $(BUILD)/docs

.PHONY: docs-diagram docs-img
docs-diagram: $(BUILD)/khodump $(BUILD)/mkhandover
	@BUILD=$(BUILD) sh scripts/docs-diagram.sh $(DOCS_OUT)

docs-img: docs-diagram
	cp $(DOCS_OUT)/handover.dot $(DOCS_OUT)/handover.svg docs/img/
