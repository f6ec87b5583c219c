#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything CI runs, in order: KUnit on UML, then the Bats suites in the
# patched x86_64 kernel booted under QEMU, then KUnit and Bats again on the
# debug build of that kernel, then W=1, sparse and checkpatch over the
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

step "ioasidctl unit tests (cmocka, ASan, UBSan) and the uapi header"
out=$(make -s -C tools/ioasidctl test 2>&1)
echo "$out" | tail -20
p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' <<< "$out")
f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' <<< "$out")
if [ -z "$p$f" ]; then
	echo "check: the ioasidctl unit tests did not run" >&2
	failed=$((failed + 1))
fi
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
for lang in c c++; do
	if echo '#include <linux/ioasid.h>
int main(void) { struct ioasid_alloc_req r; r.argsz = sizeof(r); return (int)r.argsz - (int)sizeof(r) + (int)(IOASID_ALLOC & 0); }' |
		$([ $lang = c ] && echo gcc || echo g++) -Wall -Wextra -Werror -pedantic \
			-I include/uapi -x $lang -o /dev/null -; then
		echo "  UAPI    linux/ioasid.h compiles standalone as $lang"
		passed=$((passed + 1))
	else
		echo "check: linux/ioasid.h does not compile standalone as $lang" >&2
		failed=$((failed + 1))
	fi
done

step "libFuzzer on ioasidctl's parsers (ASan, UBSan), a bounded run"
out=$(make -s -C tools/ioasidctl fuzz 2>&1)
echo "$out" | grep -E '^(not )?ok |^#' | head -40
p=$(grep -c '^ok [0-9]* fuzz ' <<< "$out")
f=$(grep -c '^not ok [0-9]* fuzz ' <<< "$out")
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
	echo "check: the fuzzers did not run" >&2
	f=1
fi
passed=$((passed + p))
failed=$((failed + f))

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
	rm -rf "$build/vm"
	make -s vm-test
	rc=$?
	tap() {
		for suite in vtd-pasid bats systemd systemd-stock; do
			[ -f "$build/vm/$suite/tests.log" ] &&
				sed '/^IOASID-VM-DMESG-BEGIN$/,$d' "$build/vm/$suite/tests.log"
		done
	}
	p=$(tap | grep -c '^ok ')
	f=$(tap | grep -c '^not ok ')
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

step "the debug kernel (lockdep, KASAN, kmemleak, UBSAN, fault injection): KUnit at boot, then Bats"
if make -s kernel-x86-debug; then
	rm -rf "$build/vm-debug"
	make -s vm-test-debug
	rc=$?
	p=0 f=0
	for suite in bats vtd-pasid; do
		log=$build/vm-debug/$suite/tests.log
		[ -f "$log" ] || continue
		# The Bats TAP, then the KUnit cases the kernel ran at boot
		tap=$(sed -e '/^IOASID-VM-KMEMLEAK-BEGIN$/,$d' "$log")
		p=$((p + $(grep -c '^ok ' <<< "$tap")))
		f=$((f + $(grep -c '^not ok ' <<< "$tap")))
		kunit=$(sed -n '/^IOASID-VM-DMESG-BEGIN$/,$s/^\[[ 0-9.]*\]     //p' "$log")
		p=$((p + $(grep -cE '^ok [0-9]+ ' <<< "$kunit")))
		f=$((f + $(grep -cE '^not ok [0-9]+ ' <<< "$kunit")))
		# kmemleak, after boot and the suite
		if [ -f "$build/vm-debug/$suite/kmemleak.log" ] &&
			! grep -q . "$build/vm-debug/$suite/kmemleak.log"; then
			echo "ok - kmemleak: nothing after $suite"
			p=$((p + 1))
		else
			echo "not ok - kmemleak: a report after $suite (or none)"
			f=$((f + 1))
		fi
	done
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "check: the debug VM run failed (exit $rc) with no failing test" >&2
		failed=$((failed + 1))
	fi
else
	echo "check: the debug kernel does not build" >&2
	failed=$((failed + 1))
fi

step "W=1 and sparse over the kernel files the project adds or edits"
for t in w1 sparse; do
	if make -s $t; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done

step "checkpatch --strict"
if make -s checkpatch; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

step "done in $(( $(date +%s) - started ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
