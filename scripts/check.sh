#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: everything CI runs, for both kernel lines (KERNEL=6.1 or
# KERNEL=6.12: that line's stages and the rest only), in two lanes that
# keep both cores busy. Kernel builds use both cores; a QEMU TCG guest uses
# about one, so the VM boots and the host tests run beside the builds. A
# stage of a kernel line is named after it (6.1-..., 6.12-...):
#
#   builds: 6.1's kunit-uml, kernel-x86 and deb (its packages), the
#           ioasidctl package (ioasidctl-deb), ioasidctl-asan, 6.1's
#           selftests, systemd and its package (systemd-deb), crun, 6.12's
#           tree, kernel-x86, deb and
#           selftests, 6.1's kernel-debug and build-checks (W=1, sparse,
#           checkpatch, docs, the subsystem count), 6.12's kunit-uml and
#           build-checks (on its x86_64 kernel), then 6.1's vm-debug-bats,
#           the longest boot (the debug kernel's KUnit, kselftest and Bats
#           suites)
#   runs:   host-tests, fuzz, then 6.1's vm-x86 (every boot), 6.12's
#           vm-x86 (a smoke of the Bats suites, the kselftests, VT-d and
#           AMD-Vi capacity, systemd, the packages), then 6.1's vm-debug (the debug
#           kernel's stress boot), each once what it needs is built
#
# The debug kernel's VT-d PASID boot (make vm-test-debug) is left out: the
# same Bats file runs on both lines' x86_64 kernels.
#
# 6.1 runs the longest suites and the one debug kernel; 6.12 runs every
# suite but the stress run and the debug kernel's, in a shorter form.
# From cold, the guests share the cores with the builds.
#
# Each stage writes its output to build/results/logs/STAGE.log, its tests
# as TAP to build/results/*.tap and its time to build/results/times; the
# log shows each stage start and end. The end counts the TAP files of each
# kernel line and of the rest, then adds up every one into "N passed, N
# failed" and fails if anything failed.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$top" || exit 1
# The kernel lines to test: both, unless KERNEL names one
lines=${KERNEL:-$kernel_lines}
rm -rf "$results"
mkdir -p "$results/logs"
started=$(date +%s)

now() { elapsed $(($(date +%s) - started)); }

# stage NAME COMMAND...: run one stage, timed, its output in its log; a
# non-zero exit with no failing TAP line of its own counts as a failure
stage() {
	local name=$1 t0 rc secs log=$results/logs/$1.log
	shift
	# a stage of a kernel line KERNEL did not select is not run
	case $name in
	[0-9]*.[0-9]*-*)
		case " $lines " in
		*" ${name%%-*} "*) ;;
		*)	echo 0 > "$results/$name.rc"; return 0 ;;
		esac ;;
	esac
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

# kernel LINE COMMAND...: COMMAND for the kernel line LINE
kernel() {
	KERNEL=$1 "${@:2}"
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
	CMOCKA_MESSAGE_OUTPUT=TAP make -s -C tools/ioasidctl test | tee "$buildroot/unit-tests.log"
	{
		sed -n 's/^\(\(not \)\?ok\) [0-9]* - /\1 - ioasidctl: /p' "$buildroot/unit-tests.log"
		grep -q '^ok ' "$buildroot/unit-tests.log" || tap_line 1 "ioasidctl unit tests: none ran"
		for lang in c c++; do
			cc=gcc
			[ $lang = c++ ] && cc=g++
			printf '%s\n' '#include <linux/ioasid.h>' \
				'int main(void) { struct ioasid_alloc_req r; r.argsz = sizeof(r);' \
				'return (int)r.argsz - (int)sizeof(r) + (int)(IOASID_ALLOC & 0); }' |
				$cc -Wall -Wextra -Werror -pedantic -I include/uapi -x $lang -o /dev/null -
			tap_line $? "uapi: linux/ioasid.h compiles standalone as $lang"
		done
	} > "$results/host-tests.tap"
	! grep -q '^not ok' "$results/host-tests.tap"
}

fuzz() {
	make -s -C tools/ioasidctl fuzz | tee "$buildroot/fuzz.log"
	local rc=${PIPESTATUS[0]}
	grep -E '^(not )?ok ' "$buildroot/fuzz.log" > "$results/fuzz.tap"
	[ -s "$results/fuzz.tap" ] || tap_line 1 "fuzz: no target ran" >> "$results/fuzz.tap"
	return "$rc"
}

# build_checks LINE [OUTDIR]: W=1, sparse, checkpatch, the docs and the
# subsystem count for a kernel line
build_checks() {
	local line=$1 out=${2:-} t tap=$results/$1-build-checks.tap
	for t in w1 sparse; do
		KERNEL=$line scripts/build-checks.sh $t $out
		tap_line $? "$line: $t: the project's kernel objects build without a warning"
	done > "$tap"
	KERNEL=$line scripts/checkpatch.sh
	tap_line $? "$line: checkpatch --strict: the series and every project file" >> "$tap"
	KERNEL=$line scripts/docs-check.sh
	tap_line $? "$line: kernel-doc and docutils read the project's comments and pages without a warning" >> "$tap"
	KERNEL=$line scripts/check-subsys.sh
	tap_line $? "$line: cgroup.o builds with every controller, CGROUP_DEBUG and ioasids (at most 16 subsystems)" >> "$tap"
	! grep -q '^not ok' "$tap"
}

# debs LINE|ioasidctl|systemd: make deb's packages of a kernel line (bindeb-pkg
# on its built x86_64 kernel), of ioasidctl or of the patched systemd, with
# lintian's check. The deb boots of vm-x86 install and boot them.
debs() {
	local tap=$results/$1-deb.tap
	case $1 in
	ioasidctl)
		scripts/build-deb.sh ioasidctl >&2
		tap_line $? "ioasidctl: dpkg-buildpackage builds the package; lintian finds no error or warning" ;;
	systemd)
		scripts/build-deb.sh systemd >&2
		tap_line $? "ioasid-systemd: dpkg-buildpackage repacks the patched systemd; lintian finds no error or warning" ;;
	*)	KERNEL=$1 scripts/build-deb.sh kernel >&2
		tap_line $? "$1: bindeb-pkg packages the built x86_64 kernel" ;;
	esac > "$tap"
	! grep -q '^not ok' "$tap"
}

# The 6.12 line builds no debug kernel: its build checks use its x86_64 one
out_612=$(KERNEL=6.12 bash -c '. scripts/lib.sh && echo "$out_x86"')

echo "[$(now)] make check: two lanes; stage logs in build/results/logs/"
if ! stage deps make -s deps; then
	echo "check: cannot install the dependencies" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
stage 6.1-tree kernel 6.1 make -s tree || { echo "0 passed, 1 failed"; exit 1; }

builds() {
	stage 6.1-kunit-uml kernel 6.1 scripts/kunit.sh
	stage 6.1-kernel-x86 kernel 6.1 make -s kernel-x86
	# before anything else uses the kernel's directory: bindeb-pkg relinks
	if after 6.1-kernel-x86; then
		stage 6.1-deb debs 6.1
	else
		skipped 6.1-deb "no 6.1 kernel"
	fi
	stage ioasidctl-deb debs ioasidctl
	stage ioasidctl-asan make -s tools
	stage 6.1-selftests kernel 6.1 make -s selftests
	stage systemd make -s systemd
	if after systemd; then
		stage systemd-deb debs systemd
	else
		skipped systemd-deb "systemd did not build"
	fi
	stage crun make -s crun
	stage 6.12-tree kernel 6.12 make -s tree
	stage 6.12-kernel-x86 kernel 6.12 make -s kernel-x86
	if after 6.12-kernel-x86; then
		stage 6.12-deb debs 6.12
	else
		skipped 6.12-deb "no 6.12 kernel"
	fi
	stage 6.12-selftests kernel 6.12 make -s selftests
	if stage 6.1-kernel-debug kernel 6.1 make -s kernel-x86-debug; then
		stage 6.1-build-checks build_checks 6.1
	else
		skipped 6.1-build-checks "no debug kernel"
	fi
	stage 6.12-kunit-uml kernel 6.12 scripts/kunit.sh
	if after 6.12-kernel-x86; then
		stage 6.12-build-checks build_checks 6.12 "$out_612"
	else
		skipped 6.12-build-checks "no 6.12 kernel"
	fi
	if after 6.1-kernel-debug ioasidctl-asan 6.1-selftests; then
		stage 6.1-vm-debug-bats kernel 6.1 scripts/vm-test.sh debug bats
	else
		skipped 6.1-vm-debug-bats "the debug kernel, ioasidctl or the selftests did not build"
	fi
}

runs() {
	stage host-tests host_tests
	stage fuzz fuzz
	if after 6.1-kernel-x86 ioasidctl-asan 6.1-selftests systemd crun; then
		stage 6.1-vm-x86 kernel 6.1 scripts/vm-test.sh x86
	else
		skipped 6.1-vm-x86 "the x86_64 kernel, ioasidctl, the selftests, systemd or crun did not build"
	fi
	if after 6.12-kernel-x86 6.12-selftests ioasidctl-asan systemd; then
		stage 6.12-vm-x86 kernel 6.12 scripts/vm-test.sh x86
	else
		skipped 6.12-vm-x86 "the 6.12 kernel, ioasidctl, the selftests or systemd did not build"
	fi
	if after 6.1-kernel-debug 6.1-selftests; then
		stage 6.1-vm-debug kernel 6.1 scripts/vm-test.sh debug stress
	else
		skipped 6.1-vm-debug "the debug kernel did not build"
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
echo
echo "==== results by kernel line (the rest: ioasidctl, fuzzers, docs, host)"
for line in $lines; do
	read -r passed failed < <(tap_count "$results/$line"-*.tap)
	printf '%-6s %4d passed, %d failed\n' "$line" "$passed" "$failed"
done
read -r passed failed < <(tap_count $(ls "$results"/*.tap | grep -v "/6\.[0-9]*-"))
printf '%-6s %4d passed, %d failed\n' rest "$passed" "$failed"
read -r passed failed < <(tap_count "$results"/*.tap)
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
