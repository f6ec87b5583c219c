#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything CI runs, in two lanes that keep both cores busy.
# Kernel builds use both cores; a QEMU TCG guest uses about one, so the VM
# boots and the host tests run beside the builds:
#
#   builds: kunit-uml, kernel-x86, ioasidctl-asan, selftests, systemd,
#           kernel-debug, build-checks (W=1, sparse, checkpatch), then
#           vm-debug-bats, the longest boot (the debug kernel's KUnit,
#           kselftest and Bats suites)
#   runs:   host-tests, fuzz, then vm-x86 once its kernel, ioasidctl and
#           systemd are built, then vm-debug (the debug kernel's other
#           boots) once the debug kernel is
#
# With the builds cached the lanes are two guests side by side from the
# third minute on; from cold, the guests share the cores with the builds.
#
# Each stage writes its output to build/results/logs/STAGE.log, its tests
# as TAP to build/results/*.tap and its time to build/results/times; the
# log shows each stage start and end. The end adds up every TAP file of
# the run into "N passed, N failed" and fails if anything failed.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$top" || exit 1
rm -rf "$results"
mkdir -p "$results/logs"
started=$(date +%s)

now() { elapsed $(($(date +%s) - started)); }

# stage NAME COMMAND...: run one stage, timed, its output in its log; a
# non-zero exit with no failing TAP line of its own counts as a failure
stage() {
	local name=$1 t0 rc secs log=$results/logs/$1.log
	shift
	echo "[$(now)] start  $name"
	t0=$(date +%s)
	"$@" > "$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	if [ $rc -ne 0 ] && ! grep -qs '^not ok' "$results/$name"*.tap; then
		tap_line 1 "$name: exited with $rc (build/results/logs/$name.log)" > "$results/$name.exit.tap"
	fi
	printf '%-16s %5ds  %s\n' "$name" "$secs" "$(elapsed "$secs")" >> "$results/times"
	if [ $rc -eq 0 ]; then
		echo "[$(now)] done   $name in $(elapsed "$secs")"
	else
		echo "[$(now)] FAILED $name in $(elapsed "$secs") (exit $rc); its log ends:"
		tail -25 "$log" | sed 's/^/    /'
	fi
	echo $rc > "$results/$name.rc"
	return $rc
}

# after STAGE...: wait until the stages have ended; false if one failed
after() {
	local s
	for s; do
		while [ ! -f "$results/$s.rc" ]; do sleep 5; done
		[ "$(cat "$results/$s.rc")" -eq 0 ] || return 1
	done
}

# skipped NAME BECAUSE: a stage that could not run counts as a failure
skipped() {
	tap_line 1 "$1: not run: $2" > "$results/$1.exit.tap"
	echo "[$(now)] SKIPPED $1: $2"
}

host_tests() {
	local lang cc
	CMOCKA_MESSAGE_OUTPUT=TAP make -s -C tools/ioasidctl test | tee "$build/unit-tests.log"
	{
		sed -n 's/^\(\(not \)\?ok\) [0-9]* - /\1 - ioasidctl: /p' "$build/unit-tests.log"
		grep -q '^ok ' "$build/unit-tests.log" || tap_line 1 "ioasidctl unit tests: none ran"
		for lang in c c++; do
			cc=gcc
			[ $lang = c++ ] && cc=g++
			printf '%s\n' '#include <linux/ioasid.h>' \
				'int main(void) { struct ioasid_alloc_req r; r.argsz = sizeof(r);' \
				'return (int)r.argsz - (int)sizeof(r) + (int)(IOASID_ALLOC & 0); }' |
				$cc -Wall -Wextra -Werror -pedantic -I include/uapi -x $lang -o /dev/null -
			tap_line $? "uapi: linux/ioasid.h compiles standalone as $lang"
		done
		scripts/docs-check.sh >&2
		tap_line $? "docs: kernel-doc and docutils read the project's comments and pages without a warning"
	} > "$results/host-tests.tap"
	! grep -q '^not ok' "$results/host-tests.tap"
}

fuzz() {
	make -s -C tools/ioasidctl fuzz | tee "$build/fuzz.log"
	local rc=${PIPESTATUS[0]}
	grep -E '^(not )?ok ' "$build/fuzz.log" > "$results/fuzz.tap"
	[ -s "$results/fuzz.tap" ] || tap_line 1 "fuzz: no target ran" >> "$results/fuzz.tap"
	return "$rc"
}

build_checks() {
	local t
	for t in w1 sparse; do
		scripts/build-checks.sh $t
		tap_line $? "$t: the project's kernel objects build without a warning"
	done > "$results/build-checks.tap"
	scripts/checkpatch.sh
	tap_line $? "checkpatch --strict: the series and every project file" >> "$results/build-checks.tap"
	! grep -q '^not ok' "$results/build-checks.tap"
}

echo "[$(now)] make check: two lanes; stage logs in build/results/logs/"
if ! stage deps make -s deps; then
	echo "check: cannot install the dependencies" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
stage tree make -s tree || { echo "0 passed, 1 failed"; exit 1; }

builds() {
	stage kunit-uml scripts/kunit.sh
	stage kernel-x86 make -s kernel-x86
	stage ioasidctl-asan make -s tools
	stage selftests make -s selftests
	stage systemd make -s systemd
	if stage kernel-debug make -s kernel-x86-debug; then
		stage build-checks build_checks
		if after ioasidctl-asan selftests; then
			stage vm-debug-bats scripts/vm-test.sh debug bats
		else
			skipped vm-debug-bats "ioasidctl or the selftests did not build"
		fi
	else
		skipped build-checks "no debug kernel"
		skipped vm-debug-bats "the debug kernel did not build"
	fi
}

runs() {
	stage host-tests host_tests
	stage fuzz fuzz
	if after kernel-x86 ioasidctl-asan selftests systemd; then
		stage vm-x86 scripts/vm-test.sh x86
	else
		skipped vm-x86 "the x86_64 kernel, ioasidctl, the selftests or systemd did not build"
	fi
	if after kernel-debug selftests; then
		stage vm-debug scripts/vm-test.sh debug stress vtd-pasid
	else
		skipped vm-debug "the debug kernel did not build"
	fi
}

builds &
builds_pid=$!
runs &
runs_pid=$!
wait $builds_pid $runs_pid

total=$(($(date +%s) - started))
printf '%-16s %5ds  %s\n' total "$total" "$(elapsed "$total")" >> "$results/times"
echo
echo "==== failures"
for f in "$results"/*.tap; do
	awk -v f="${f##*/}" '/^not ok/ { p = 1; print f ": " $0; next }
		p && /^#/ { print f ": " $0; next } { p = 0 }' "$f"
done | head -200
echo
echo "==== stage times (the lanes overlap)"
cat "$results/times"
read -r passed failed < <(tap_count "$results"/*.tap)
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
