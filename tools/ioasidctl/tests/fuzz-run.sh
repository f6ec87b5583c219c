#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run ioasidctl's libFuzzer targets for SECONDS each, one TAP line apiece.
# usage: fuzz-run.sh BUILD_DIR SECONDS TARGET...
# The working corpus, crashes and logs live in BUILD_DIR, never in the
# repo: BUILD_DIR/{corpus,crashes,log}/<target>. Exit 1 if any crashed.
set -u
out=$1 secs=$2
shift 2
src=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "1..$#"
n=0 failed=0
for t; do
	n=$((n + 1))
	corpus=$out/corpus/$t crashes=$out/crashes/$t log=$out/log/$t.log
	rm -rf "$crashes"
	mkdir -p "$corpus" "$crashes" "$out/log" "$out/tmp"
	cp "$src/fuzz-corpus/$t"/* "$corpus"/	# seeds, over what earlier runs found
	opts=()
	case $t in
	find_mount | resolve | unescape_octal) opts+=(-max_len=8192) ;;	# past PATH_MAX
	*) opts+=(-max_len=512) ;;
	esac
	TMPDIR=$out/tmp "$out/fuzz-$t" -max_total_time="$secs" -timeout=10 \
		-print_final_stats=1 -dict="$src/fuzz.dict" \
		-artifact_prefix="$crashes/" "${opts[@]}" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
	if [ $rc -eq 0 ] && [ -z "$crash" ] && [ -n "$runs" ]; then
		echo "ok $n fuzz $t: $runs inputs, ${corp:-?} in corpus, ${cov:-?} coverage"
		continue
	fi
	failed=1
	echo "not ok $n fuzz $t: exit $rc after ${runs:-?} inputs: ${crash:-no crash file, see $log}"
	grep -E 'property broken|ERROR: |SUMMARY: |runtime error' "$log" | head -n 5 | sed 's/^/# /'
	echo "# log: $log"
	[ -n "$crash" ] && echo "# reproduce: $out/fuzz-$t $crash"
done
exit $failed
