#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh [FILTER]
#
# Build UML with configs/kunit.config and run the project's KUnit suites
# (those matching FILTER, a kunit.py filter glob such as "cgroup-ioasids" or
# "ioasid.*spid*"). Writes build/kunit.log and, as TAP, one line per case
# plus one for a clean kernel log, build/results/KERNEL-kunit-uml.tap.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p "$results"
rm -f "$build/kunit.json"
(cd "$linux" && python3 tools/testing/kunit/kunit.py run \
	--build_dir="$out_uml" $(config_fragments kunit | sed 's/^/--kunitconfig=/') \
	--jobs="$jobs" --make_options CC="$kcc" --make_options HOSTCC="$kcc" \
	--json="$build/kunit.json" ${1:+"$1"}) 2>&1 | tee "$build/kunit.log"
rc=${PIPESTATUS[0]}

{
	if [ -s "$build/kunit.json" ]; then
		kunit_tap "$build/kunit.json"
	else
		tap_line 1 "kunit: kunit.py ran no test (exit $rc, see build/kunit.log)"
	fi
	splats=$(splat_check "$out_uml/test.log")
	tap_line $? "kunit: the UML kernel log has no splat"
	[ -n "$splats" ] && echo "$splats" | sed 's/^/# /'
} > "$results/$kernel_series-kunit-uml.tap"
read -r passed failed < <(tap_count "$results/$kernel_series-kunit-uml.tap")
echo "  KUNIT   $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
