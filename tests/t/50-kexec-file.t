#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's Linux kexecs into khoprobe.bzImage with kexec -s, see tests/e2e/kexec-test.sh.
exec sh "$(dirname "$0")/../e2e/kexec-test.sh" s
