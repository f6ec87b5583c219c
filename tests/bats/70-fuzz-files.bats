#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Random and adversarial writes to the ioasids.* files: only the
# documented results, and the limit changes only on a valid write.

load helpers

setup() {
	T=$(cg_mkpath bats-fuzz/t)
}

teardown() {
	cg_rmtree $CG/bats-fuzz
}

@test "ioasids.max: 3000 random and adversarial writes, each EINVAL, E2BIG or the value" {
	echo 9 > $T/ioasids.max
	run python3 "$IOASID_TOP/tests/bats/fuzz-ioasids-max.py" $T/ioasids.max 3000 20261125
	assert_success
	assert_output --regexp '^3000 writes: [0-9]+ accepted, [0-9]+ refused as documented$'
	echo "# $output" >&3
	# Neither the count nor the events moved
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(cat $T/ioasids.events)" "max 0"
}

@test "read-only ioasids files refuse every write and keep their values" {
	local f v
	for f in $T/ioasids.current $T/ioasids.peak $T/ioasids.events \
		 $T/ioasids.events.local $T/ioasids.stat $CG/ioasids.capacity \
		 $CG/ioasids.current $CG/ioasids.stat; do
		before=$(cat $f)
		for v in 0 max -1 "$(head -c 5000 /dev/zero | tr '\0' 1)" "max 0"; do
			run cg_write $f "$v"
			refute_output ''
		done
		assert_equal "$(cat $f)" "$before"
	done
}
