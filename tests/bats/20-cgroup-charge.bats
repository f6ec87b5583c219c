#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The ioasids controller charging IDs taken through /dev/ioasid: limits,
# errors, events, notification, ownership across migration, dying cgroups.

load helpers

# Processes live in the leaf W: T has the controller enabled for its
# children, so by the no-internal-process rule it holds none itself.
setup() {
	T=$(cg_mkpath bats-charge)
	W=$T/w
	mkdir $W
}

teardown() {
	cg_teardown $CG/bats-charge
}

@test "N IDs are allowed, N+1 is refused with EDQUOT, and usage returns to 0" {
	echo 3 > $T/ioasids.max
	run sh -c "echo \$\$ > $W/cgroup.procs && exec $IOASIDCTL alloc -n 4"
	assert_failure 1
	assert_line --index 3 'ioasidctl: /dev/ioasid: ID 4 of 4: Disk quota exceeded'
	assert_equal "${#lines[@]}" 4
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(cat $T/ioasids.peak)" 3
	assert_equal "$(cat $T/ioasids.events)" "max 1"
	assert_equal "$(cat $T/ioasids.events.local)" "max 1"
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "a holder's IDs are charged while held and uncharged when it exits" {
	holder_start $W -n 5
	assert_equal "$(grep -c '^[0-9]*$' $HOLDER_OUT)" 5
	assert_equal "$(cat $T/ioasids.current)" 5
	assert_equal "$(cat $CG/ioasids.current)" 5
	assert_equal "$(ioasid_debugfs free)" $(( $(ioasid_debugfs capacity) - 5 ))
	holder_stop $HOLDER_PID
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(cat $CG/ioasids.current)" 0
	assert_equal "$(cat $T/ioasids.peak)" 5
}

@test "kill -9 of a holder releases and uncharges its IDs" {
	holder_start $W -n 4
	assert_equal "$(cat $T/ioasids.current)" 4
	kill -9 $HOLDER_PID
	wait $HOLDER_PID || true
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "lowering the limit below usage keeps the IDs and refuses new ones" {
	holder_start $W -n 4
	echo 2 > $T/ioasids.max
	assert_equal "$(cat $T/ioasids.current)" 4
	run sh -c "echo \$\$ > $W/cgroup.procs && exec $IOASIDCTL alloc -n 1"
	assert_failure 1
	assert_output 'ioasidctl: /dev/ioasid: ID 1 of 1: Disk quota exceeded'
	holder_stop $HOLDER_PID
	run sh -c "echo \$\$ > $W/cgroup.procs && exec $IOASIDCTL alloc -n 2"
	assert_success
}

@test "limits at depths 1 to 8: the tightest level refuses and counts" {
	leaf=$(cg_mkpath bats-charge/l1/l2/l3/l4/l5/l6/l7)/l8
	mkdir $leaf
	for tight in 1 4 8; do
		dir=$T
		for i in 1 2 3 4 5 6 7 8; do
			dir=$dir/l$i
			if [ $i -eq $tight ]; then echo 2 > $dir/ioasids.max; else echo 10 > $dir/ioasids.max; fi
		done
		before=$(cat $T/ioasids.events | cut -d' ' -f2)
		run sh -c "echo \$\$ > $leaf/cgroup.procs && exec $IOASIDCTL alloc -n 3"
		assert_failure 1
		assert_equal "${#lines[@]}" 3
		dir=$T
		for i in 1 2 3 4 5 6 7 8; do
			dir=$dir/l$i
			assert_equal "$(cat $dir/ioasids.current)" 0
		done
		assert_equal "$(cut -d' ' -f2 $T/ioasids.events)" $((before + 1))
	done
	# Levels above a refusal never saw the refused charge
	assert_equal "$(cat $T/l1/ioasids.peak)" 2
	assert_equal "$(cat $leaf/ioasids.peak)" 3
	dir=$T
	for i in 1 2 3 4 5 6 7 8; do
		dir=$dir/l$i
		case $i in 1|4|8) want=1 ;; *) want=0 ;; esac
		assert_equal "$(cat $dir/ioasids.events.local)" "max $want"
		# events: refusals at this level or below
		case $i in 1) ev=3 ;; 2|3|4) ev=2 ;; *) ev=1 ;; esac
		assert_equal "$(cat $dir/ioasids.events)" "max $ev"
	done
}

@test "a refusal wakes a poll() waiter on ioasids.events" {
	echo 0 > $T/ioasids.max
	python3 - "$T/ioasids.events" $BATS_TEST_TMPDIR/ready > $BATS_TEST_TMPDIR/poll.out <<'PY' &
import select, sys
f = open(sys.argv[1]); f.read()
p = select.poll(); p.register(f, select.POLLPRI)
open(sys.argv[2], "w").close()
ev = p.poll(20000)
f.seek(0)
print("woken" if ev else "timeout", f.read().strip())
PY
	waiter=$!
	for i in $(seq 200); do [ -e $BATS_TEST_TMPDIR/ready ] && break; sleep 0.05; done
	[ -e $BATS_TEST_TMPDIR/ready ]
	run sh -c "echo \$\$ > $W/cgroup.procs && exec $IOASIDCTL alloc -n 1"
	assert_failure 1
	wait $waiter
	assert_equal "$(cat $BATS_TEST_TMPDIR/poll.out)" "woken max 1"
}

@test "the first refusal in a cgroup is logged once, naming the cgroup" {
	mkdir $T/logged
	echo 0 > $T/logged/ioasids.max
	for i in 1 2 3 4 5; do
		sh -c "echo \$\$ > $T/logged/cgroup.procs && exec $IOASIDCTL alloc -n 1" 2>/dev/null || true
	done
	assert_equal "$(cat $T/logged/ioasids.events.local)" "max 5"
	run sh -c "dmesg | grep -c 'ioasids: IOASID allocation refused by the limit of cgroup /bats-charge/logged$'"
	assert_output 1
}

@test "a holder that migrates leaves its charge behind" {
	mkdir $T/a $T/b
	holder_start $T/a -n 3
	echo $HOLDER_PID > $T/b/cgroup.procs
	assert_equal "$(cat $T/a/ioasids.current)" 3
	assert_equal "$(cat $T/b/ioasids.current)" 0
	# New IDs go to the new cgroup
	run sh -c "echo \$\$ > $T/b/cgroup.procs && exec $IOASIDCTL alloc -n 1"
	assert_success
	assert_equal "$(cat $T/b/ioasids.peak)" 1
	holder_stop $HOLDER_PID
	assert_equal "$(cat $T/a/ioasids.current)" 0
	assert_equal "$(cat $T/b/ioasids.current)" 0
}

@test "a removed cgroup stays dying until its last ID is released" {
	mkdir $T/gone
	holder_start $T/gone -n 2
	echo $HOLDER_PID > $W/cgroup.procs
	rmdir $T/gone
	[ ! -d $T/gone ]
	assert_equal "$(awk '/nr_dying_descendants/ {print $2}' $T/cgroup.stat)" 1
	assert_equal "$(cat $T/ioasids.current)" 2
	holder_stop $HOLDER_PID
	assert_equal "$(cat $T/ioasids.current)" 0
	for i in $(seq 50); do
		[ "$(awk '/nr_dying_descendants/ {print $2}' $T/cgroup.stat)" = 0 ] && break
		sleep 0.1
	done
	assert_equal "$(awk '/nr_dying_descendants/ {print $2}' $T/cgroup.stat)" 0
}
