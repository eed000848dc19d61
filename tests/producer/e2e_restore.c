// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end scenarios for the restore rehearsal (khoprobe.restore=hw,
 * vtd.restore; tests/t/70-restore.t).  The handovers are the same valid
 * e2e handover (edu 00:02.0 in a preserved domain); what differs is the
 * state the stand-in leaves the live unit in:
 *   - the good paths: legacy with queued invalidation on, scalable with it
 *     off (e2e-legacy and e2e-scalable-qi cover the other two);
 *   - takeover must be refused: translating through a copy of the root
 *     table (RTADDR is not the preserved root), and a queue stuck on a
 *     descriptor the unit rejected (FSTS.IQE, IQH never reaches IQT).
 * As memory images all are valid: khodump passes them.
 */
#include "../standin/e2e_desc.h"
#include "e2e_scen.h"
#include "handover.h"

E2E_SCENARIO(e2e_restore_legacy_qi, "e2e-restore-legacy-qi", E2E_QI,
	     "QEMU e2e: legacy mode with queued invalidation left on (vtd.restore takes the queue over)");
E2E_SCENARIO(e2e_restore_scalable, "e2e-restore-scalable", E2E_SCALABLE,
	     "QEMU e2e: scalable mode, queued invalidation off (vtd.restore sets one up and stops it again)");
E2E_SCENARIO(e2e_restore_root_copy, "e2e-restore-root-copy", E2E_ROOT_COPY,
	     "QEMU e2e: live, the unit translates through a copy of the preserved root table (vtd.restore refuses)");
E2E_SCENARIO(e2e_restore_qi_stuck, "e2e-restore-qi-stuck",
	     E2E_QI | E2E_QI_STUCK,
	     "QEMU e2e: live, the invalidation queue is stuck on a rejected descriptor (vtd.restore refuses)");
E2E_SCENARIO(e2e_restore_scalable_qi_stuck, "e2e-restore-scalable-qi-stuck",
	     E2E_SCALABLE | E2E_QI | E2E_QI_STUCK,
	     "QEMU e2e: live, scalable mode, 256-bit queue stuck on a rejected descriptor (vtd.restore refuses)");
