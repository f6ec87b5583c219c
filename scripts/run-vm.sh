#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh BZIMAGE SUITE [CMDLINE...]
#
# Boot BZIMAGE under QEMU (TCG, q35, VT-d in scalable mode, 2 vCPUs) with
# the host root read-only over virtio-9p, run the Bats files of SUITE (a
# comma-separated list of files or directories of this repository) inside
# it, and write the results to VM_OUT (default build/KERNEL/vm/SUITE's base name),
# a directory the guest mounts read-write over a second 9p share:
#
#   console.log   the kernel console
#   kselftest.tap with VM_KSELFTEST=1, the TAP of the kselftests of
#                 tools/testing/selftests/ioasid, run first (by the guest)
#   bats.tap      the suite's TAP (written by the guest)
#   rc            the suite's exit status (written by the guest)
#   dmesg.log     the whole kernel log at the end (written by the guest)
#   kmemleak.log  kmemleak's reports after boot and after the suite, on a
#                 kernel with kmemleak (written by the guest)
#   result.tap    everything above as TAP: the kselftests, the Bats cases; with VM_KUNIT=1
#                 the KUnit cases the kernel ran at boot, parsed by kunit.py;
#                 kmemleak empty; the kernel log free of splats
#
# VM_ROOT (default /) is the directory the guest gets as its root (a
# package test's overlay root, scripts/deb-vm-test.sh); VM_KVER the release
# the guest's tests expect uname -r to print, when BZIMAGE is not in a
# kernel build directory.
#
# Exits 0 when result.tap has no failure.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

kernel=$1 suite=$2; shift 2
out=${VM_OUT:-$build/vm/$(basename "${suite%%,*}")}
iommu=${VM_IOMMU:-intel-iommu,intremap=off,x-scalable-mode=on}
timeout=${VM_TIMEOUT:-1800}
name=${VM_NAME:-$(basename "$out")}
rm -rf "$out"
mkdir -p "$out"

cmdline="console=ttyS0 loglevel=4 panic=-1 oops=panic
	root=/dev/root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro
	intel_iommu=on,sm_on iommu.strict=1
	init=${VM_INIT:-$top/tests/vm/init.sh} IOASID_TOP=$top IOASID_SUITE=$suite KERNEL=$kernel_series
	${VM_KSELFTEST:+IOASID_KSELFTEST=1}
	IOASID_KVER=${VM_KVER:-$(cat "$(dirname "$kernel")/../../../include/config/kernel.release" 2>/dev/null || echo unknown)}
	$*"

echo "  VM      $kernel: $suite (results: $out/)"
start=$(date +%s)
rc=0
timeout --foreground "$timeout" qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu max -smp 2 -m 2G \
	-device "$iommu" \
	-kernel "$kernel" -append "$(echo $cmdline)" \
	-fsdev local,id=root,path="${VM_ROOT:-/}",security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
	-fsdev local,id=out,path="$out",security_model=none \
	-device virtio-9p-pci,fsdev=out,mount_tag=ioasid-out \
	-display none -no-reboot -monitor none \
	-serial file:"$out/console.log" || rc=$?
sed -i 's/\r$//' "$out/console.log"

{
	if [ $rc -ne 0 ]; then
		tap_line 1 "$name: QEMU exited with $rc (124: timed out after ${timeout}s)"
	fi
	# The cases that ran count, finished or not
	[ -f "$out/bats.tap" ] && grep -E '^(not )?ok |^#' "$out/bats.tap"
	if [ -f "$out/rc" ]; then
		if [ "$(cat "$out/rc")" -ne 0 ] && ! grep -q '^not ok ' "$out/bats.tap"; then
			tap_line 1 "$name: bats exited with $(cat "$out/rc") and no failing case"
		fi
	else
		tap_line 1 "$name: the guest did not finish the suite"
	fi

	if [ -n "${VM_KSELFTEST:-}" ]; then
		kselftest_tap "$out/kselftest.tap"
		ran=$(kselftest_tap "$out/kselftest.tap" | grep -c '^ok ')
		declared=$(kselftest_cases)
		tap_line $((ran != declared)) \
			"$name: all $declared kselftests declared passed ($ran)"
	fi

	if [ -n "${VM_KUNIT:-}" ]; then
		(cd "$linux" && python3 tools/testing/kunit/kunit.py parse \
			--json="$out/kunit.json" "$out/dmesg.log") > "$out/kunit.log" 2>&1
		if [ -s "$out/kunit.json" ]; then
			kunit_tap "$out/kunit.json"
			ran=$(kunit_tap "$out/kunit.json" | grep -c ' - kunit: ')
		fi
		declared=$(kunit_cases)
		tap_line $((${ran:-0} != declared)) \
			"$name: the kernel ran at boot all $declared KUnit cases declared (ran ${ran:-0})"
	fi

	if [ -n "${VM_KMEMLEAK:-}" ]; then
		if [ -f "$out/kmemleak.log" ]; then
			leaks=$(grep -c '^unreferenced object' "$out/kmemleak.log")
			tap_line $((leaks != 0)) "$name: kmemleak: $leaks unreferenced objects after boot and the suite"
		else
			tap_line 1 "$name: kmemleak: no report from the guest"
		fi
	fi

	splats=$(splat_check "$out/console.log" "$out/dmesg.log")
	tap_line $? "$name: the kernel log has no splat"
	[ -n "$splats" ] && echo "$splats" | sed 's/^/# /'
} > "$out/result.tap"

read -r passed failed < <(tap_count "$out/result.tap")
echo "1..$((passed + failed))" >> "$out/result.tap"
# The suite's own output (a demo narrates in it), then the harness's
# failures
[ -f "$out/bats.tap" ] && cat "$out/bats.tap"
grep '^not ok - ' "$out/result.tap" | head -40
echo "  VM      $name: $passed passed, $failed failed in $(elapsed $(($(date +%s) - start)))"
if [ "$failed" -ne 0 ] && [ ! -f "$out/rc" ]; then
	tail -30 "$out/console.log" >&2
fi
[ "$failed" -eq 0 ]
