#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A structured fuzzer of the /dev/ioasid ioctls (tools/ioasidctl/tests/
# ioasid-fuzz.c): only documented results, and nothing leaked after.

load helpers

FUZZ=$IOASID_TOP/build/ioasidctl-asan/ioasid-fuzz

teardown() {
	cg_teardown $CG/bats-fuzz-dev
}

@test "200,000 mutated ioctls, in a cgroup capped at 8: documented errors only, no ID leaked" {
	T=$(cg_mkpath bats-fuzz-dev)/t
	mkdir $T
	echo 8 > $T/ioasids.max
	run sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" 200000 20261125' sh $T "$FUZZ"
	assert_success
	assert_output --regexp '^200000 calls: [0-9]+ ok, .*EDQUOT [0-9]+'
	echo "# $output" >&3
	# Every ID the fuzzer took went back when its files closed
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(cat $CG/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
	[ "$(cat $T/ioasids.peak)" -le 8 ]
}
