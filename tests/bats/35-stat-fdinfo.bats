#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Who holds the IDs: ioasids.stat breaks ioasids.current down by kind, and
# the fdinfo of a /dev/ioasid file lists its IDs and the cgroup each is
# charged to.

load helpers

setup() {
	T=$(cg_mkpath bats-stat)
	cg_enable $T
	mkdir $T/a $T/b
	PIDS=()
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		holder_stop $p
	done
	cg_teardown $T
}

# stat_of CGROUP: ioasids.stat on one line
stat_of() {
	paste -sd' ' "$1/ioasids.stat"
}

# stat_key CGROUP KEY: one count of ioasids.stat
stat_key() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/ioasids.stat"
}

# hold CGROUP ARGS...: a holder of "ioasid_holder -H ARGS" in CGROUP
hold() {
	holder_start "$@"
	grep -q '^holding ' $HOLDER_OUT
	PIDS+=($HOLDER_PID)
}

# ioasid_fd PID: the number of PID's /dev/ioasid file descriptor
ioasid_fd() {
	local f
	for f in /proc/$1/fd/*; do
		if [ "$(readlink $f)" = /dev/ioasid ]; then
			echo ${f##*/}
			return 0
		fi
	done
	return 1
}

@test "ioasids.stat has the four kinds, all zero in a new cgroup, and is read-only" {
	run cat $T/a/ioasids.stat
	assert_output "sva 0
file 0
guest 0
driver 0"
	run cg_write $T/a/ioasids.stat "file 1"
	refute_output ''
	assert_equal "$(stat_of $T/a)" "sva 0 file 0 guest 0 driver 0"
	# The root has one too
	run cut -d' ' -f1 $CG/ioasids.stat
	assert_output "sva
file
guest
driver"
}

@test "ioasids.stat counts file and guest IDs where they are charged and up the tree" {
	root_file=$(stat_key $CG file) root_guest=$(stat_key $CG guest)
	hold $T/a -n 2
	hold $T/b -n 3 -s 10
	assert_equal "$(stat_of $T/a)" "sva 0 file 2 guest 0 driver 0"
	assert_equal "$(stat_of $T/b)" "sva 0 file 0 guest 3 driver 0"
	assert_equal "$(stat_of $T)" "sva 0 file 2 guest 3 driver 0"
	assert_equal "$(cat $T/ioasids.current)" 5
	# The root counts every ID in use, charged or not: its kinds add up
	# to its ioasids.current
	assert_equal "$(stat_key $CG file)" $((root_file + 2))
	assert_equal "$(stat_key $CG guest)" $((root_guest + 3))
	assert_equal "$(awk '{ n += $2 } END { print n }' $CG/ioasids.stat)" \
		"$(cat $CG/ioasids.current)"

	# A holder that moves keeps its charge, and its stat, where it was
	echo ${PIDS[0]} > $T/b/cgroup.procs
	assert_equal "$(stat_of $T/a)" "sva 0 file 2 guest 0 driver 0"

	holder_stop ${PIDS[0]}
	assert_equal "$(stat_of $T/a)" "sva 0 file 0 guest 0 driver 0"
	assert_equal "$(stat_of $T)" "sva 0 file 0 guest 3 driver 0"
	holder_stop ${PIDS[1]}
	assert_equal "$(stat_of $T)" "sva 0 file 0 guest 0 driver 0"
	assert_equal "$(stat_key $CG file)" $root_file
	assert_equal "$(stat_key $CG guest)" $root_guest
}

@test "ioasids.stat of a removed child's IDs still counts in its parent" {
	cg_enable $T/a
	mkdir $T/a/gone $T/a/keep
	hold $T/a/gone -n 2
	assert_equal "$(stat_of $T/a/gone)" "sva 0 file 2 guest 0 driver 0"
	echo ${PIDS[0]} > $T/a/keep/cgroup.procs
	rmdir $T/a/gone
	# Charged to the dying cgroup, counted in its parent, not its sibling
	assert_equal "$(stat_of $T/a)" "sva 0 file 2 guest 0 driver 0"
	assert_equal "$(stat_of $T/a/keep)" "sva 0 file 0 guest 0 driver 0"
	assert_equal "$(cat $T/a/ioasids.current)" 2
	holder_stop ${PIDS[0]}
	assert_equal "$(stat_of $T/a)" "sva 0 file 0 guest 0 driver 0"
}

@test "fdinfo of /dev/ioasid lists each ID in order, its SPID and its charged cgroup" {
	quota=$(cat /sys/module/ioasid_user/parameters/file_quota)
	hold $T/a -n 3 -s 40
	pid=${PIDS[0]}
	fd=$(ioasid_fd $pid)
	mapfile -t ids < <(grep -v '^holding' $HOLDER_OUT | cut -d' ' -f1 | sort -n)
	run grep '^ioasid' /proc/$pid/fdinfo/$fd
	assert_success
	assert_equal "${#lines[@]}" 5
	assert_line --index 0 "ioasid-quota:	$quota"
	assert_line --index 1 "ioasid-count:	3"
	# Each ID as the holder printed it: SPIDs 40, 41, 42 in allocation order
	for i in 0 1 2; do
		spid=$(awk -v id=${ids[$i]} '$1 == id { print $3 }' $HOLDER_OUT)
		assert_line --index $((i + 2)) "ioasid:	${ids[$i]} spid:$spid cgroup:/bats-stat/a"
	done
}

@test "fdinfo shows the cgroup charged, not the one the holder moved to" {
	hold $T/a -n 1
	pid=${PIDS[0]}
	id=$(grep -v '^holding' $HOLDER_OUT)
	echo $pid > $T/b/cgroup.procs
	run grep '^ioasid:' /proc/$pid/fdinfo/$(ioasid_fd $pid)
	assert_output "ioasid:	$id spid:- cgroup:/bats-stat/a"
	assert_equal "$(cat /proc/$pid/cgroup)" "0::/bats-stat/b"
}

@test "fdinfo paths are relative to the reader's cgroup namespace" {
	hold $T/a -n 1
	pid=${PIDS[0]}
	fd=$(ioasid_fd $pid)
	# A reader in a namespace rooted at the holder's cgroup, and one
	# rooted at its sibling
	run cg_exec $T/a unshare -C grep '^ioasid:' /proc/$pid/fdinfo/$fd
	assert_success
	assert_output --regexp '^ioasid:	[0-9]+ spid:- cgroup:/$'
	run cg_exec $T/b unshare -C grep '^ioasid:' /proc/$pid/fdinfo/$fd
	assert_success
	assert_output --regexp '^ioasid:	[0-9]+ spid:- cgroup:/\.\./a$'
}

@test "fdinfo of a file with no IDs has the counts and no ID line" {
	local fd
	# (bats writes to fds 3 and below)
	exec {fd}<> /dev/ioasid
	run grep '^ioasid' /proc/$$/fdinfo/$fd
	exec {fd}>&-
	assert_line --index 1 "ioasid-count:	0"
	assert_equal "${#lines[@]}" 2
}
