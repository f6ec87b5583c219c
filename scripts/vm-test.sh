#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-test.sh x86|debug [BOOT...]
#
# The boots of one kernel of the kernel line KERNEL, each a
# scripts/run-vm.sh run whose result.tap is copied to
# build/results/KERNEL-vm-KIND-BOOT.tap, VM_JOBS of them at a time (a TCG
# guest keeps about one core busy). With no BOOT, those of the line: all of
# them on 6.1, which runs the longest suites, and on 6.12 smoke, vtd-pasid,
# amd-iommu, systemd and deb (its debug kernel is not built by make check):
#
# x86 (build/vm/BOOT):
#   vtd-pasid      tests/bats/vtd-pasid/ on VT-d with PASIDs (the capacity
#                  comes from the PASID width, which QEMU makes 1 bit)
#   amd-iommu      tests/bats/amd-iommu/ on QEMU's AMD IOMMU, whose PASID
#                  width bounds the capacity too
#   bats           the kselftests and tests/bats/ on VT-d without PASIDs,
#                  for the whole 20-bit space
#   smoke          the kselftests and the Bats files of the kernel's files,
#                  its log, /dev/ioasid, ioasids.stat and fdinfo, ioasidctl
#                  (ps and top too), the OCI runtimes, and
#                  shorter runs of the /dev/ioasid fuzzer and the stress
#                  run ($smoke_bats)
#   systemd        tests/bats/systemd/ under the patched systemd as PID 1
#   systemd-stock  tests/bats/systemd-stock/ under Debian's systemd
#   deb            the packages of make deb (build/deb/) installed by dpkg
#                  into an overlay root, the installed kernel booted on it:
#                  tests/bats/deb/ and 00-boot.bats, on 6.1 also the
#                  cgroup files and ioasidctl ones, with the packaged
#                  ioasidctl (scripts/deb-vm-test.sh)
#   deb-systemd    the same with the ioasid-systemd package, its systemd as
#                  PID 1: tests/bats/deb-systemd/ and the IOASIDMax= and
#                  cgtop files of tests/bats/systemd/ (6.1 only)
# debug (build/vm-debug/BOOT; KASAN, lockdep and kmemleak under TCG make a
# test about 10x slower), each boot ending with kmemleak:
#   bats           the KUnit suites at boot, the kselftests, then the Bats
#                  files on the kernel's charging and /dev/ioasid paths and
#                  tests/bats/debug/; with DEBUG_SUITE=full every Bats file
#                  (about 40 min, before a release)
#   stress         the /dev/ioasid fuzzer and the stress run
#   vtd-pasid      tests/bats/vtd-pasid/
#
# Each boot's own output goes to its directory's run.log, printed when it
# ends. Exits non-zero if any boot failed.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

kind=${1:-}
shift
case $kind in
x86)	kernel=$bzimage_x86 dir=$build/vm
	boots=(bats vtd-pasid amd-iommu systemd systemd-stock deb deb-systemd)
	[ "$kernel_series" = 6.1 ] || boots=(smoke vtd-pasid amd-iommu systemd deb) ;;
debug)	kernel=$bzimage_dbg dir=$build/vm-debug
	boots=(bats stress vtd-pasid) ;;
*)	echo "usage: vm-test.sh x86|debug [BOOT...]" >&2; exit 2 ;;
esac
[ $# -gt 0 ] && boots=("$@")
jobs_max=${VM_JOBS:-1}

pasid_iommu=intel-iommu,intremap=off,x-scalable-mode=on,x-pasid-mode=on
smoke_bats=tests/bats/00-boot.bats,tests/bats/10-cgroup-files.bats,tests/bats/20-cgroup-log.bats,tests/bats/30-dev-ioasid.bats,tests/bats/35-stat-fdinfo.bats,tests/bats/40-ioasidctl.bats,tests/bats/45-ioasidctl-ps-top.bats,tests/bats/60-oci.bats,tests/bats/75-fuzz-dev.bats,tests/bats/80-stress.bats
debug_bats=tests/bats/20-cgroup-log.bats,tests/bats/30-dev-ioasid.bats,tests/bats/debug
debug_stress=tests/bats/75-fuzz-dev.bats,tests/bats/80-stress.bats
if [ "${DEBUG_SUITE:-ci}" = full ]; then
	debug_bats=tests/bats,tests/bats/debug
	boots=("${boots[@]/stress}")
fi

# boot NAME: one boot of the kernel
boot() {
	export VM_OUT=$dir/$1 VM_NAME=$kernel_series-$kind-$1
	case $kind/$1 in
	x86/vtd-pasid)
		VM_IOMMU=$pasid_iommu scripts/run-vm.sh "$kernel" tests/bats/vtd-pasid ;;
	x86/amd-iommu)
		VM_IOMMU=amd-iommu scripts/run-vm.sh "$kernel" tests/bats/amd-iommu ;;
	x86/bats)
		VM_KSELFTEST=1 scripts/run-vm.sh "$kernel" tests/bats ;;
	x86/smoke)
		VM_KSELFTEST=1 scripts/run-vm.sh "$kernel" "$smoke_bats" \
			IOASID_FUZZ_CALLS=20000 IOASID_STRESS_SECONDS=5 ;;
	x86/systemd)
		VM_INIT=$top/tests/vm/init-systemd.sh scripts/run-vm.sh "$kernel" \
			tests/bats/systemd IOASID_SYSTEMD="$systemd_out/systemd" ;;
	x86/systemd-stock)
		VM_INIT=$top/tests/vm/init-systemd.sh scripts/run-vm.sh "$kernel" \
			tests/bats/systemd-stock IOASID_SYSTEMD=/lib/systemd/systemd ;;
	x86/deb)
		scripts/deb-vm-test.sh ;;
	x86/deb-systemd)
		scripts/deb-vm-test.sh systemd ;;
	debug/bats)
		VM_KUNIT=1 VM_KSELFTEST=1 VM_KMEMLEAK=1 VM_TIMEOUT=4800 scripts/run-vm.sh \
			"$kernel" "$debug_bats" log_buf_len=16M ;;
	debug/stress)
		VM_KMEMLEAK=1 VM_TIMEOUT=4800 scripts/run-vm.sh "$kernel" \
			"$debug_stress" log_buf_len=16M kunit.filter_glob=none \
			IOASID_FUZZ_CALLS="${DBG_FUZZ_CALLS:-50000}" ;;
	debug/vtd-pasid)
		VM_IOMMU=$pasid_iommu VM_KMEMLEAK=1 VM_TIMEOUT=4800 scripts/run-vm.sh \
			"$kernel" tests/bats/vtd-pasid log_buf_len=16M kunit.filter_glob=none ;;
	*)	echo "vm-test: no boot $1 of the $kind kernel" >&2; return 2 ;;
	esac
}

mkdir -p "$results" "$dir"
rc=0
running=0
for b in "${boots[@]}"; do
	[ -n "$b" ] || continue
	if [ "$running" -ge "$jobs_max" ]; then
		wait -n || rc=1
		running=$((running - 1))
	fi
	(
		mkdir -p "$dir/$b"
		boot "$b" > "$dir/$b.log" 2>&1
		brc=$?
		cp "$dir/$b/result.tap" "$results/$kernel_series-vm-$kind-$b.tap" 2>/dev/null || brc=1
		cat "$dir/$b.log"
		exit $brc
	) &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done
exit $rc
