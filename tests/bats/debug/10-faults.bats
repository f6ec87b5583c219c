#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Fault injection on the allocation, SPID, copy and charge paths of /dev/ioasid
# (Documentation/fault-injection/fault-injection.rst): the workload
# (tools/testing/selftests/ioasid/ioasid-faults.c) marks only itself with
# make-it-fail. Each failure must be a documented errno, every ID must come
# back, and the counters must stay exact. Needs the debug kernel.

load ../helpers

FAULTS=$kselftest/ioasid-faults
DBG=/sys/kernel/debug
CALLS=${IOASID_FAULT_CALLS:-5000}
TIMES=1000000

setup() {
	T=$(cg_mkpath bats-faults)/t
	mkdir -p $T
	echo 8 > $T/ioasids.max
	EVENTS0=$(awk '$1 == "max" { print $2 }' $T/ioasids.events)
}

teardown() {
	for f in failslab fail_page_alloc fail_usercopy fail_ioasids_charge; do
		echo 0 > $DBG/$f/probability
		echo -1 > $DBG/$f/times
	done
	cg_teardown $CG/bats-faults
}

# fault_arm NAME PERCENT: fail NAME's calls by the marked task, at random
fault_arm() {
	local d=$DBG/$1
	echo 1 > $d/interval
	echo $TIMES > $d/times
	echo 0 > $d/space
	echo 0 > $d/verbose
	echo Y > $d/task-filter
	echo $2 > $d/probability
}

# fault_hits NAME: how many failures NAME injected since fault_arm
fault_hits() {
	echo $(( TIMES - $(cat $DBG/$1/times) ))
}

# run_faults SEED: the workload in $T; sets ENOMEM, EFAULT, EDQUOT
run_faults() {
	run sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" "$3" "$4"' sh \
		$T "$FAULTS" $CALLS "$1"
	sed 's/^/# /' <<< "$output" >&3
	assert_success
	assert_line --regexp "^calls $CALLS reopens [0-9]+ held [0-9]+ count [0-9]+ current [0-9]+$"
	assert_line --regexp ' unexpected 0$'
	ENOMEM=$(echo "$output" | sed -n 's/.* ENOMEM \([0-9]*\) .*/\1/p')
	EFAULT=$(echo "$output" | sed -n 's/.* EFAULT \([0-9]*\) .*/\1/p')
	EDQUOT=$(echo "$output" | sed -n 's/.* EDQUOT \([0-9]*\) .*/\1/p')
}

# Nothing held after the workload's files closed, and every refusal counted
assert_balanced() {
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(cat $CG/bats-faults/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
	assert_equal $(( $(awk '$1 == "max" { print $2 }' $T/ioasids.events) - EVENTS0 )) "$EDQUOT"
	[ "$(cat $T/ioasids.peak)" -le 8 ]
}

@test "failslab on the ID, SPID and set allocations: -ENOMEM, nothing leaked" {
	echo N > $DBG/failslab/ignore-gfp-wait
	fault_arm failslab 5
	run_faults 1
	hits=$(fault_hits failslab)
	echo "# failslab: $hits failures injected" >&3
	[ "$hits" -gt 100 ]
	[ "$ENOMEM" -gt 20 ]
	[ "$EDQUOT" -gt 20 ]
	assert_balanced
}

@test "fail_page_alloc under the slabs and XArray nodes: -ENOMEM, nothing leaked" {
	echo N > $DBG/fail_page_alloc/ignore-gfp-wait
	echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $DBG/fail_page_alloc/min-order
	fault_arm fail_page_alloc 50
	run_faults 2
	hits=$(fault_hits fail_page_alloc)
	echo "# fail_page_alloc: $hits failures injected" >&3
	[ "$hits" -gt 0 ]
	assert_balanced
}

@test "fail_usercopy on every request and reply: -EFAULT, an ID whose reply failed is freed" {
	fault_arm fail_usercopy 5
	run_faults 3
	hits=$(fault_hits fail_usercopy)
	echo "# fail_usercopy: $hits failures injected" >&3
	[ "$hits" -gt 50 ]
	[ "$EFAULT" -gt 50 ]
	assert_balanced
}

@test "fail_ioasids_charge at each level of the hierarchy: one -ENOMEM per failure, exactly, levels below rolled back" {
	fault_arm fail_ioasids_charge 10
	run_faults 4
	hits=$(fault_hits fail_ioasids_charge)
	echo "# fail_ioasids_charge: $hits failures injected" >&3
	[ "$hits" -gt 50 ]
	assert_equal "$ENOMEM" "$hits"
	assert_balanced
}

@test "all four at once, files closed and reopened: nothing leaked" {
	echo N > $DBG/failslab/ignore-gfp-wait
	for f in failslab fail_usercopy fail_ioasids_charge; do
		fault_arm $f 3
	done
	fault_arm fail_page_alloc 20
	run_faults 5
	total=0
	for f in failslab fail_page_alloc fail_usercopy fail_ioasids_charge; do
		total=$(( total + $(fault_hits $f) ))
	done
	echo "# all four: $total failures injected" >&3
	[ "$total" -gt 300 ]
	assert_balanced
}
