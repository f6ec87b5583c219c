#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-log.sh LOG... : fail if a kernel log shows a splat.
set -uo pipefail
pattern='WARNING:|BUG:|Oops|Call Trace|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|KASAN|UBSAN|kmemleak: [1-9]'
found=$(grep -hE "$pattern" "$@" | grep -v 'IOASID-VM-' | sort -u)
if [ -n "$found" ]; then
	echo "check-log: the kernel log is not clean:" >&2
	echo "$found" | head -20 >&2
	exit 1
fi
exit 0
