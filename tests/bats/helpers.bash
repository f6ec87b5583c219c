# SPDX-License-Identifier: GPL-2.0
# Shared by the Bats suites that run inside the test VM.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# A kernel log line that means something went wrong
SPLAT='WARNING:|BUG:|Oops|Call Trace|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|KASAN|UBSAN'

ioasid_debugfs() {
	awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/ioasid
}
