#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: every benchmark, in one run, into build/bench/:
#   kernel.jsonl   the in-kernel rows (UML, tools/ioasid-bench/run.sh)
#   vm.jsonl       the guest rows (QEMU, tests/bench/)
#   results.json, results.md, depth.png, lookup.png (tools/ioasid-bench/report.py)
# Figures are printed beside their goals; none fails the run.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

b=$build/bench
mkdir -p "$b"

make -s -C "$top" kernel-x86
make -s -C "$top/tools/ioasidctl"
gcc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -I"$top/include/uapi" \
	-o "$b/dev-bench" "$top/tools/ioasid-bench/dev-bench.c" \
	"$top/tools/ioasidctl/ioasid_dev.c" -lpthread

"$top/tools/ioasid-bench/run.sh"

VM_OUT=$b/vm "$top/scripts/run-vm.sh" "$bzimage_x86" tests/bench
sed -n 's/^# BENCH //p' "$b/vm/bats.tap" > "$b/vm.jsonl"
cat "$out_x86/include/config/kernel.release" > "$b/kernel-version"

python3 "$top/tools/ioasid-bench/report.py" "$b"
echo "  BENCH   $b/results.md (copy it, results.json and the PNGs to docs/bench/ to publish)"
