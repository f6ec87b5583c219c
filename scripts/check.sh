#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything CI runs, in order: KUnit on UML, then the Bats suites in the
# patched x86_64 kernel booted under QEMU, then checkpatch over the
# project's kernel files. Ends with "N passed, N failed" over all of them.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=$top/build
mkdir -p "$build"
passed=0 failed=0
started=$(date +%s)

step() { echo; echo "==== $* ($(( $(date +%s) - started ))s)"; }

step "dependencies"
if ! make -s deps; then
	echo "check: cannot install the dependencies" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

step "KUnit on UML"
make -s kunit
line=$(grep -a 'Testing complete\. Ran' "$build/kunit.log" | tail -1)
if [ -n "$line" ]; then
	p=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<< "$line")
	f=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<< "$line")
	c=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<< "$line")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0} + ${c:-0}))
else
	echo "check: KUnit did not run" >&2
	failed=$((failed + 1))
fi
if ! "$top/scripts/check-log.sh" "$build/out-kunit/test.log" 2>/dev/null; then
	echo "check: the KUnit kernel log is not clean" >&2
	failed=$((failed + 1))
fi

step "x86_64 kernel and Bats in QEMU"
if make -s kernel-x86; then
	make -s vm-test
	rc=$?
	p=$(grep -c '^ok ' "$build/vm/tests.log")
	f=$(grep -c '^not ok ' "$build/vm/tests.log")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "check: the VM run failed (exit $rc) with no failing test" >&2
		failed=$((failed + 1))
	fi
else
	echo "check: the x86_64 kernel does not build" >&2
	failed=$((failed + 1))
fi

step "checkpatch --strict"
if make -s checkpatch; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

step "done in $(( $(date +%s) - started ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
