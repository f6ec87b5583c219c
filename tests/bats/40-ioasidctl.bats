#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# ioasidctl's verbs against the real controller: numbers equal the files,
# JSON parses with the same numbers, errors are one line with an exit code.

load helpers

setup() {
	T=$(cg_mkpath bats-ctl)
}

teardown() {
	cg_teardown $CG/bats-ctl
}

@test "set and get a limit, by relative and absolute path" {
	run $IOASIDCTL set bats-ctl 7
	assert_success
	assert_equal "$(cat $T/ioasids.max)" 7
	run $IOASIDCTL get $T
	assert_success
	assert_line 'max 7'
	assert_line 'current 0'
	assert_line 'events 0'
	run $IOASIDCTL set bats-ctl max
	assert_success
	assert_equal "$(cat $T/ioasids.max)" max
}

@test "bad input is a usage error (2); a failing operation is 1; one line each" {
	run $IOASIDCTL set bats-ctl -5
	assert_failure 2
	assert_equal "${#lines[@]}" 1
	assert_output --partial "bad limit '-5'"
	run $IOASIDCTL get bats-ctl/missing
	assert_failure 1
	assert_output 'ioasidctl: get: bats-ctl/missing: No such file or directory'
	run $IOASIDCTL set / 3
	assert_failure 1
	assert_output --partial 'the root cgroup has no limit'
	run $IOASIDCTL frobnicate
	assert_failure 2
	run $IOASIDCTL alloc -n 0
	assert_failure 2
}

@test "paths that escape the cgroup mount are refused" {
	for p in .. bats-ctl/../.. /etc /sys/fs/cgroupx; do
		run $IOASIDCTL get "$p"
		assert_failure 1
		assert_output --partial 'not a cgroup under /sys/fs/cgroup'
	done
}

@test "cgroup names with spaces and tabs work; the kernel refuses newlines" {
	run mkdir "$T/"$'new\nline'
	assert_failure
	name=$'odd  name\twith tab'
	mkdir "$T/$name"
	run $IOASIDCTL set "bats-ctl/$name" 3
	assert_success
	assert_equal "$(cat "$T/$name/ioasids.max")" 3
	run $IOASIDCTL tree bats-ctl --json
	assert_success
	assert_equal "$(echo "$output" | jq -r '.[1].cgroup')" "bats-ctl/$name"
}

@test "tree shows every cgroup with the controller; its numbers equal the files" {
	mkdir -p $T/a $T/b
	echo +ioasids > $T/a/cgroup.subtree_control
	mkdir $T/a/c
	echo 2 > $T/a/c/ioasids.max
	echo 5 > $T/b/ioasids.max
	holder_start $T/a/c -n 2
	sh -c "echo \$\$ > $T/a/c/cgroup.procs && exec $IOASIDCTL alloc -n 1" 2>/dev/null || true

	run $IOASIDCTL tree bats-ctl
	assert_success
	assert_line --index 0 --regexp '^CGROUP +CURRENT +MAX +PEAK +EVENTS +LOCAL$'
	assert_line --index 1 --regexp '^bats-ctl +2 +max +2 +1 +0$'
	assert_line --index 2 --regexp '^  a +2 +max +2 +1 +0$'
	assert_line --index 3 --regexp '^    c +2 +2 +2 +1 +1$'
	assert_line --index 4 --regexp '^  b +0 +5 +0 +0 +0$'

	run $IOASIDCTL tree bats-ctl --json
	assert_success
	for cg in bats-ctl bats-ctl/a bats-ctl/a/c bats-ctl/b; do
		j=$(echo "$output" | jq -c --arg c "$cg" '.[] | select(.cgroup == $c)')
		assert_equal "$(echo "$j" | jq .current)" "$(cat $CG/$cg/ioasids.current)"
		assert_equal "$(echo "$j" | jq -r .max)" "$(cat $CG/$cg/ioasids.max)"
		assert_equal "$(echo "$j" | jq .peak)" "$(cat $CG/$cg/ioasids.peak)"
		assert_equal "max $(echo "$j" | jq .events)" "$(cat $CG/$cg/ioasids.events)"
		assert_equal "max $(echo "$j" | jq .events_local)" "$(cat $CG/$cg/ioasids.events.local)"
	done
	holder_stop $HOLDER_PID

	# From the root: the root line carries the capacity
	run $IOASIDCTL tree --json
	assert_equal "$(echo "$output" | jq '.[0].capacity')" "$(cat $CG/ioasids.capacity)"
	assert_equal "$(echo "$output" | jq -r '.[0].cgroup')" /
}

@test "get and info --json parse and match" {
	echo 4 > $T/ioasids.max
	run $IOASIDCTL get bats-ctl --json
	assert_success
	assert_equal "$(echo "$output" | jq -c .)" '{"cgroup":"bats-ctl","current":0,"max":4,"peak":0,"events":0,"events_local":0}'
	run $IOASIDCTL info --json
	assert_success
	assert_equal "$(echo "$output" | jq .capacity)" "$(cat $CG/ioasids.capacity)"
	assert_equal "$(echo "$output" | jq .used)" "$(cat $CG/ioasids.current)"
}

@test "enable creates the path and enables the controller along it" {
	run $IOASIDCTL enable bats-ctl/x/y
	assert_success
	[ -f $T/x/y/ioasids.max ]
	run cat $T/x/cgroup.subtree_control
	assert_output --partial ioasids
}

@test "run caps a command in a new cgroup and removes it afterwards" {
	run $IOASIDCTL run --max 2 -- $IOASIDCTL alloc -n 3
	assert_failure 1
	assert_line --index 2 'ioasidctl: /dev/ioasid: ID 3 of 3: Disk quota exceeded'
	run ls -d $CG/ioasidctl-run.*
	assert_failure
	run $IOASIDCTL run --cgroup bats-ctl/job --max 3 -- $IOASIDCTL alloc -n 3
	assert_success
	assert_equal "$(cat $T/job/ioasids.peak)" 3
}

# Issue 14: the verbs had three checks of a cgroup path, which disagreed.
# They now share one resolver: these two cases were refused before.
@test "a name with '..' in it is a name to enable, set and get; a '..' component is refused" {
	run $IOASIDCTL enable bats-ctl/a..b/c..
	assert_success
	[ -f "$T/a..b/c../ioasids.max" ]
	run $IOASIDCTL set bats-ctl/a..b/c.. 3
	assert_success
	assert_equal "$(cat "$T/a..b/c../ioasids.max")" 3
	run $IOASIDCTL get "$T/a..b/c.." --json
	assert_success
	assert_equal "$(echo "$output" | jq -r .cgroup)" bats-ctl/a..b/c..
	for p in bats-ctl/a..b/../x bats-ctl/../x ../x; do
		run $IOASIDCTL enable "$p"
		assert_failure 1
		assert_output "ioasidctl: enable: $p: not a cgroup under $CG"
	done
	# Refused before anything was created
	run ls -A $T/a..b
	refute_line x
	refute [ -e $CG/x ]
}

@test "run --cgroup takes an absolute path under the mount; one outside or with '..' is refused" {
	run $IOASIDCTL run --cgroup $T/job --max 2 -- $IOASIDCTL alloc -n 2
	assert_success
	assert_equal "$(cat $T/job/ioasids.max)" 2
	assert_equal "$(cat $T/job/ioasids.peak)" 2
	run $IOASIDCTL run --cgroup $T/job -- cat /proc/self/cgroup
	assert_success
	assert_output '0::/bats-ctl/job'
	for p in /etc/bats-ctl ${CG}x/job bats-ctl/../x; do
		run $IOASIDCTL run --cgroup "$p" -- touch $BATS_TEST_TMPDIR/ran
		assert_failure 1
		assert_output "ioasidctl: run: $p: not a cgroup under $CG"
	done
	refute [ -e $BATS_TEST_TMPDIR/ran ]
}

@test "alloc takes its IDs in --range FIRST-LAST; --max is run's limit only" {
	run $IOASIDCTL alloc --range 500-501 -n 2
	assert_success
	assert_output "500
501"
	run $IOASIDCTL alloc --range 500-501 -n 3
	assert_failure 1
	assert_line --index 2 'ioasidctl: /dev/ioasid: ID 3 of 3: No space left on device'
	run $IOASIDCTL alloc --range 501-500
	assert_failure 2
	assert_output --partial "bad --range '501-500'"
	for opt in --min --max; do
		run $IOASIDCTL alloc $opt 500
		assert_failure 2
		assert_output "alloc: unrecognized option '$opt'"
	done
}

@test "watch prints exactly one line per refusal" {
	echo 1 > $T/ioasids.max
	timeout 30 $IOASIDCTL watch bats-ctl --count 3 > $BATS_TEST_TMPDIR/watch.out &
	w=$!
	# It has read the count once it says so
	for i in $(seq 200); do grep -q '^watching ' $BATS_TEST_TMPDIR/watch.out && break; sleep 0.05; done
	# Each run takes one ID and is refused the second: three refusals
	mkdir $T/w
	for i in 1 2 3; do
		sh -c "echo \$\$ > $T/w/cgroup.procs && exec $IOASIDCTL alloc -n 2" 2>/dev/null || true
	done
	wait $w
	run cat $BATS_TEST_TMPDIR/watch.out
	assert_line --index 0 --partial 'refusals so far: 0'
	assert_equal "$(grep -c ' refused ' $BATS_TEST_TMPDIR/watch.out)" 3
	assert_line --index 3 --regexp ' bats-ctl refused \(events 3\)$'
	assert_equal "$(cat $T/ioasids.events)" "max 3"
}
