#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A structured fuzzer of the /dev/ioasid ioctls (tools/ioasidctl/tests/
# ioasid-fuzz.c): only documented results, and nothing leaked after.

load helpers

FUZZ=$kselftest/ioasid-fuzz
# Fewer on the debug kernel (make vm-test-debug), where KASAN slows each call
CALLS=${IOASID_FUZZ_CALLS:-200000}

teardown() {
	cg_teardown $CG/bats-fuzz-dev
}

@test "mutated ioctls (200,000, or IOASID_FUZZ_CALLS), in a cgroup capped at 8: documented errors only, no ID leaked" {
	T=$(cg_mkpath bats-fuzz-dev)/t
	mkdir $T
	echo 8 > $T/ioasids.max
	run sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3" 20261125' sh $T "$FUZZ" $CALLS
	assert_success
	assert_output --regexp "^$CALLS calls:"' [0-9]+ ok, .*EDQUOT [0-9]+'
	echo "# $output" >&3
	# Every ID the fuzzer took went back when its files closed
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(cat $CG/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
	[ "$(cat $T/ioasids.peak)" -le 8 ]
}
