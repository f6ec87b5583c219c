#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh BZIMAGE SUITE [CMDLINE...]
#
# Boot BZIMAGE under QEMU (TCG, q35, VT-d in scalable mode, 2 vCPUs) with
# the host root read-only over virtio-9p, run the Bats files of SUITE (a
# directory of this repo) inside it, and exit with the suite's status.
#
#   build/vm/console.log  the kernel console
#   build/vm/tests.log    what the suite printed (TAP), then the full dmesg
#   build/vm/kmemleak.log with VM_KMEMLEAK=1: kmemleak's report, which must
#                         be empty
#
# The run fails if the guest's log has a WARNING, BUG, Oops, lockdep,
# KASAN or Call Trace line.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=$1 suite=$2; shift 2
out=${VM_OUT:-$top/build/vm/$(basename "$suite")}
iommu=${VM_IOMMU:-intel-iommu,intremap=off,x-scalable-mode=on}
timeout=${VM_TIMEOUT:-900}
mkdir -p "$out"
: > "$out/console.log"
: > "$out/tests.log"

cmdline="console=ttyS0 loglevel=4 panic=-1 oops=panic
	root=/dev/root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro
	intel_iommu=on,sm_on iommu.strict=1
	init=${VM_INIT:-$top/tests/vm/init.sh} IOASID_TOP=$top IOASID_SUITE=$suite
	IOASID_KVER=$(cat "$(dirname "$kernel")/../../../include/config/kernel.release" 2>/dev/null || echo unknown)
	$*"

echo "  VM      $kernel: $suite (log: $out/)"
rc=0
timeout --foreground "$timeout" qemu-system-x86_64 \
	-machine q35 -accel tcg -cpu max -smp 2 -m 2G \
	-device "$iommu" \
	-kernel "$kernel" -append "$(echo $cmdline)" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
	-display none -no-reboot -monitor none \
	-serial file:"$out/console.log" -serial file:"$out/tests.log" || rc=$?
if [ $rc -ne 0 ]; then
	echo "run-vm: qemu exited with $rc (124: timed out after ${timeout}s)" >&2
	tail -30 "$out/console.log" >&2
	exit 1
fi

# Serial lines end in CR LF
sed -i 's/\r$//' "$out/tests.log" "$out/console.log"

# The suite's output, without the kmemleak report and dmesg that follow it
sed -n -e '/^IOASID-VM-KMEMLEAK-BEGIN$/,/^IOASID-VM-KMEMLEAK-END$/d' \
	-e '/^IOASID-VM-DMESG-BEGIN$/q;p' "$out/tests.log" | grep -v '^IOASID-VM-RC=' || true

# A kernel with kmemleak (make vm-test-debug) must report no leak
if [ -n "${VM_KMEMLEAK:-}" ]; then
	if ! grep -q '^IOASID-VM-KMEMLEAK-END$' "$out/tests.log"; then
		echo "run-vm: no kmemleak report from the guest" >&2
		exit 1
	fi
	sed -n '/^IOASID-VM-KMEMLEAK-BEGIN$/,/^IOASID-VM-KMEMLEAK-END$/p' \
		"$out/tests.log" | sed '1d;$d' > "$out/kmemleak.log"
	leaks=$(grep -c '^unreferenced object' "$out/kmemleak.log" || true)
	echo "  KMEMLEAK $leaks unreferenced objects after boot and the suite"
	if [ "$leaks" -ne 0 ]; then
		head -40 "$out/kmemleak.log" >&2
		exit 1
	fi
fi

status=$(sed -n 's/^IOASID-VM-RC=\([0-9]*\)$/\1/p' "$out/tests.log" | tail -1)
if [ -z "$status" ]; then
	echo "run-vm: the guest did not finish the suite" >&2
	tail -30 "$out/console.log" >&2
	exit 1
fi

if ! "$top/scripts/check-log.sh" "$out/console.log" "$out/tests.log"; then
	exit 1
fi
exit "$status"
