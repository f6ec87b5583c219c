#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-checks.sh w1|sparse OUTDIR
#
# Rebuild the objects of the files this project adds or changes with W=1
# (extra compiler warnings) or C=2 (sparse on every file, built or not), and
# fail if any of them warns.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mode=$1 out=$2
linux=$top/build/linux
# The .c files the project adds or edits (headers are covered by them)
objs="drivers/iommu/ioasid/ioasid.o drivers/iommu/ioasid/ioasid-user.o
	kernel/cgroup/ioasids.o drivers/iommu/iommu-sva-lib.o
	drivers/iommu/intel/iommu.o drivers/iommu/intel/svm.o"
case $mode in
w1)	flags="W=1" ;;
sparse)	flags="C=2" ;;
*)	echo "usage: build-checks.sh w1|sparse OUTDIR" >&2; exit 2 ;;
esac
log=$top/build/$mode.log
# Touch nothing in the tree: force the rebuild through the objects
for o in $objs; do rm -f "$out/$o"; done
make -C "$linux" O="$out" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)" $flags $objs > "$log" 2>&1
rc=$?
warnings=$(grep -E 'warning:|error:' "$log" | grep -v '^make' | sort -u)
if [ $rc -ne 0 ] || [ -n "$warnings" ]; then
	echo "build-checks: $mode: not clean (see $log)" >&2
	echo "$warnings" | head -30 >&2
	exit 1
fi
echo "  $mode    clean: $(echo $objs | wc -w) objects"
