#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: every benchmark, in one run, into build/6.1/bench/:
#   native.jsonl  the in-kernel rows, at boot in UML on the host CPU, in
#                 this project's 6.1 and in pristine 6.1
#                 (tools/ioasid-bench/native.sh)
#   vm.jsonl      the rows that need a userspace, in the QEMU (TCG) guest
#                 (tests/bench/)
#   results.json, results.md, depth.png, lookup.png (tools/ioasid-bench/report.py)
# Figures are printed beside their goals; none fails the run. The
# benchmark compares with 6.1's allocator, so it runs on the 6.1 line.
set -euo pipefail

export KERNEL=6.1
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

b=$build/bench
mkdir -p "$b"
t0=$(date +%s)

make -s -C "$top" kernel-x86
make -s -C "$top/tools/ioasidctl"
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$top/include/uapi" \
	-o "$b/dev-bench" "$top/tools/ioasid-bench/dev-bench.c" \
	"$top/tools/ioasidctl/ioasid_dev.c" -lpthread

"$top/tools/ioasid-bench/native.sh"

echo "  VM      the TCG rows (tests/bench/)"
VM_OUT=$b/vm "$top/scripts/run-vm.sh" "$bzimage_x86" tests/bench
sed -n 's/^# BENCH //p' "$b/vm/bats.tap" > "$b/vm.jsonl"
cat "$out_x86/include/config/kernel.release" > "$b/kernel-version"

python3 "$top/tools/ioasid-bench/report.py" "$b"
echo "  BENCH   $b/results.md in $(( $(date +%s) - t0 )) s (copy it, results.json and the PNGs to docs/bench/ to publish)"
