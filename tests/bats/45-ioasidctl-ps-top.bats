#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# ioasidctl ps and top against the real kernel: ps's lines and JSON carry
# the holders' pids, counts, kinds and cgroups as the kernel's fdinfo and
# ioasids.stat give them; top, in a tmux pane, shows the cgroups sorted by
# use, redraws at a new size and ends cleanly on q.

load helpers

setup() {
	T=$(cg_mkpath bats-ps)
	mkdir $T/a $T/b
	PIDS=()
	export TMUX_TMPDIR=$BATS_TEST_TMPDIR
}

teardown() {
	tmux kill-server 2>/dev/null || true
	for p in "${PIDS[@]}"; do
		holder_stop "$p"
	done
	cg_teardown $CG/bats-ps
}

# hold CGROUP ARGS...: a holder in bats-ps/CGROUP; sets PID and IDS (its IDs)
hold() {
	local cg=$1
	shift
	holder_start $T/$cg "$@"
	PID=$HOLDER_PID
	PIDS+=("$PID")
	grep -q '^holding ' "$HOLDER_OUT" || { cat "$HOLDER_OUT"; return 1; }
	IDS=$(awk '/^[0-9]/ { print $1 }' "$HOLDER_OUT" | paste -sd, -)
}

@test "ps: one line per holder, with its count, kinds and cgroups, most IDs first" {
	hold a -n 2
	pa=$PID ida=$IDS
	hold b -n 3 -s 100
	pb=$PID idb=$IDS

	run $IOASIDCTL ps bats-ps
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp '^ +PID COMM +COUNT +FILE +GUEST +SHARED CGROUP CHARGED$'
	assert_line --index 1 --regexp "^ +$pb ioasid_holder +3 +0 +3 +0 bats-ps/b bats-ps/b\$"
	assert_line --index 2 --regexp "^ +$pa ioasid_holder +2 +2 +0 +0 bats-ps/a bats-ps/a\$"

	# JSON: the same, the IDs each holder printed, the counts add up to
	# .current; one jq (a process costs under TCG)
	run $IOASIDCTL ps bats-ps --json
	assert_success
	assert_equal "$(echo "$output" | jq -c --argjson a $pa --argjson b $pb '[length,
		(.[] | select(.pid == $a or .pid == $b) | [.pid, .comm, .cgroup, .count, .file,
		 .guest, .shared, .charged, (.ids | map(tostring) | join(","))]),
		([.[].count] | add)]')" \
		"[2,[$pb,\"ioasid_holder\",\"bats-ps/b\",3,0,3,0,[{\"cgroup\":\"bats-ps/b\",\"count\":3}],\"$idb\"],[$pa,\"ioasid_holder\",\"bats-ps/a\",2,2,0,0,[{\"cgroup\":\"bats-ps/a\",\"count\":2}],\"$ida\"],$(cat $T/ioasids.current)]"
	# The kinds agree with the kernel's ioasids.stat
	assert_equal "$(awk '$1 == "file" { print $2 }' $T/a/ioasids.stat)" 2
	assert_equal "$(awk '$1 == "guest" { print $2 }' $T/b/ioasids.stat)" 3

	# CGROUP filters, by relative or absolute path; the whole system has both
	run $IOASIDCTL ps bats-ps/a --json
	assert_success
	assert_equal "$(echo "$output" | jq -c '[.[].pid]')" "[$pa]"
	run $IOASIDCTL ps $T/b
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --regexp "^ +$pb ioasid_holder +3 "
	run $IOASIDCTL --json ps
	assert_success
	assert_equal "$(echo "$output" | jq -c "[.[] | select(.pid == $pa or .pid == $pb) | .count]")" '[3,2]'
}

@test "ps: a holder moved after taking its IDs runs in one cgroup, charged to another" {
	hold a -n 2
	echo $PID > $T/b/cgroup.procs
	run $IOASIDCTL ps bats-ps
	assert_success
	assert_line --index 1 --regexp "^ +$PID ioasid_holder +2 +2 +0 +0 bats-ps/b bats-ps/a\$"
	# Charges stay with a: b's subtree holds nothing
	run $IOASIDCTL ps bats-ps/b --json
	assert_success
	assert_output '[]'
	run $IOASIDCTL ps bats-ps/a --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.pid, .cgroup, .charged[0].cgroup]')" \
		"[$PID,\"bats-ps/b\",\"bats-ps/a\"]"
	# Gone: no line
	holder_stop $PID
	run $IOASIDCTL ps bats-ps
	assert_success
	assert_equal "${#lines[@]}" 1
}

@test "ps: a bad CGROUP or /proc is one line and exit status 1" {
	run $IOASIDCTL ps bats-ps/missing
	assert_failure 1
	assert_output 'ioasidctl: ps: bats-ps/missing: No such file or directory'
	run $IOASIDCTL ps bats-ps/../x
	assert_failure 1
	assert_output "ioasidctl: ps: bats-ps/../x: not a cgroup under $CG"
	# (the usage errors (2) of ps and top: make -C tools/ioasidctl test)
	run env IOASIDCTL_PROC_ROOT=/nonexistent $IOASIDCTL ps
	assert_failure 1
	assert_output 'ioasidctl: ps: /nonexistent: No such file or directory'
}

@test "ps: another user's processes it may not read are skipped quietly" {
	hold a -n 1
	run setpriv --reuid 65534 --regid 65534 --clear-groups $IOASIDCTL ps
	assert_success
	assert_output --regexp '^ +PID COMM +COUNT'
	assert_equal "${#lines[@]}" 1
	refute_output --partial ioasidctl:
}

@test "ps: an O_PATH descriptor of /dev/ioasid, anyone's, is no holder and no error" {
	hold a -n 2
	# No show_fdinfo for O_PATH: its fdinfo has no ioasid lines at all
	setpriv --reuid 65534 --regid 65534 --clear-groups python3 -c '
import os, sys, time
fd = os.open("/dev/ioasid", os.O_PATH)
print(fd, flush=True)
time.sleep(120)' > $BATS_TEST_TMPDIR/opath.out &
	opath=$!
	PIDS+=("$opath")
	for i in $(seq 100); do [ -s $BATS_TEST_TMPDIR/opath.out ] && break; sleep 0.1; done
	fd=$(cat $BATS_TEST_TMPDIR/opath.out)
	[ -n "$fd" ]
	assert_equal "$(readlink /proc/$opath/fd/$fd)" /dev/ioasid
	run $IOASIDCTL ps
	assert_success
	refute_output --partial ioasidctl:
	assert_line --regexp "^ +$PID ioasid_holder +2 +2 +0 +0 bats-ps/a bats-ps/a\$"
	refute_line --regexp "^ +$opath "
	run $IOASIDCTL ps --json
	assert_success
	assert_equal "$(echo "$output" | jq -c "[.[] | select(.pid == $PID or .pid == $opath) | .pid]")" "[$PID]"
}

@test "top -b in a cgroup namespace: its root, a cgroup with a max, is the tree's top" {
	hold a -n 1
	mnt=$BATS_TEST_TMPDIR/cgns
	mkdir $mnt
	# A cgroup namespace rooted at bats-ps/b, its own cgroup2 mount
	run cg_exec $T/b unshare -C -m sh -c "mount -t cgroup2 none $mnt && IOASIDCTL_CGROUP_ROOT=$mnt exec $IOASIDCTL top -b -n 1"
	assert_success
	assert_line --index 0 '/: 0 in use, limit max (sva 0, file 0, guest 0, driver 0)'
	assert_line --index 2 --regexp '^/ +0 +max +0 +0 +0 +0 +0 +-$'
}

@test "top -b: the tree sorted by use, with the kinds and the rate of refusals" {
	hold a -n 1
	hold b -n 2 -s 7
	echo 1 > $T/a/ioasids.max
	$IOASIDCTL top -b -n 2 -d 3 bats-ps > $BATS_TEST_TMPDIR/top.out &
	t=$!
	# Between the two refreshes: two refusals in a
	for i in $(seq 200); do grep -q '^$' $BATS_TEST_TMPDIR/top.out && break; sleep 0.05; done
	for i in 1 2; do
		sh -c "echo \$\$ > $T/a/cgroup.procs && exec $HOLDER -n 1" 2>/dev/null || true
	done
	wait $t
	run cat $BATS_TEST_TMPDIR/top.out
	assert_equal "${#lines[@]}" 10
	assert_line --index 0 'bats-ps: 3 in use, limit max (sva 0, file 1, guest 2, driver 0)'
	assert_line --index 1 --regexp '^CGROUP +CURRENT +MAX +PEAK +SVA +FILE +GUEST +DRIVER +REFUSED/s$'
	assert_line --index 2 --regexp '^bats-ps +3 +max +3 +0 +1 +2 +0 +-$'
	assert_line --index 3 --regexp '^  b +2 +max +2 +0 +0 +2 +0 +-$'
	assert_line --index 4 --regexp '^  a +1 +1 +1 +0 +1 +0 +0 +-$'
	# The second: rates over about 3 s, b none, a two refusals (about 0.7,
	# less on a slow kernel, where the second may come after the refresh)
	assert_line --index 5 --partial 'bats-ps: 3 in use'
	assert_line --index 8 --regexp '^  b +2 +max +2 +0 +0 +2 +0 +0\.0$'
	assert_line --index 9 --regexp '^  a +1 +1 +1 +0 +1 +0 +0 +(0\.[1-9]|[1-9][0-9]*\.[0-9])$'
	assert_equal "$(cat $T/a/ioasids.events)" 'max 2'

	# A cgroup whose parent does not enable the controller for it
	mkdir $T/a/x
	run $IOASIDCTL top -b -n 1 bats-ps/a/x
	assert_failure 1
	assert_output 'ioasidctl: top: bats-ps/a/x: the ioasids controller is not enabled here'
}

# pane_line N: line N (from 0) of the pane
pane_line() {
	tmux capture-pane -p -t top | sed -n "$(($1 + 1))p"
}

# wait_pane REGEX: until a line of the pane matches, up to 20 s
wait_pane() {
	local i
	for ((i = 0; i < 200; i++)); do
		tmux capture-pane -p -t top | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	tmux capture-pane -p -t top >&2
	return 1
}

@test "top in a terminal: sorted by use, redrawn at a new size, q ends it cleanly" {
	hold a -n 1
	hold b -n 3
	# The shell of the pane keeps top's status (tmux in the VM gives none)
	tmux -f /dev/null new-session -d -s top -x 100 -y 20 \
		"$IOASIDCTL top -d 0.5 bats-ps 2> $BATS_TEST_TMPDIR/top.err; echo \$? > $BATS_TEST_TMPDIR/top.rc"
	tmux set-option -t top remain-on-exit on
	wait_pane '^CGROUP'
	top=$(pgrep -P "$(tmux display-message -p -t top '#{pane_pid}')")
	[ -n "$top" ]
	assert_equal "$(pane_line 0)" 'bats-ps: 4 in use, limit max (sva 0, file 4, guest 0, driver 0)'
	# The table fills the width: its last column ends at column 100
	line=$(pane_line 2)
	assert_equal "${#line}" 100
	assert_regex "$line" '^CGROUP +CURRENT +MAX +PEAK +SVA +FILE +GUEST +DRIVER +REFUSED/s$'
	assert_regex "$(pane_line 3)" '^bats-ps +4 +max +4 +0 +4 +0 +0 +'
	assert_regex "$(pane_line 4)" '^  b +3 +max +3 +0 +3 +0 +0 +'
	assert_regex "$(pane_line 5)" '^  a +1 +max +1 +0 +1 +0 +0 +'

	# Narrower than the kinds need: redrawn without them, at 70 columns
	tmux resize-window -t top -x 70 -y 20
	wait_pane '^CGROUP +CURRENT +MAX +PEAK +REFUSED/s$'
	line=$(pane_line 2)
	assert_equal "${#line}" 70
	assert_regex "$(pane_line 4)" '^  b +3 +max +3 +[0-9.-]+$'
	# And wider again
	tmux resize-window -t top -x 130 -y 20
	wait_pane '^CGROUP .*DRIVER +REFUSED/s$'
	line=$(pane_line 2)
	assert_equal "${#line}" 130

	# A new holder shows at the next refresh, in its place by use
	hold a -n 3
	wait_pane '^  a +4 +max +4 '
	assert_regex "$(pane_line 4)" '^  a +4 '
	assert_regex "$(pane_line 5)" '^  b +3 '

	tmux send-keys -t top q
	for i in $(seq 100); do
		[ "$(tmux display-message -p -t top '#{pane_dead}')" = 1 ] && break
		sleep 0.1
	done
	assert_equal "$(tmux display-message -p -t top '#{pane_dead}')" 1
	# Exited with 0 and said nothing
	assert_equal "$(cat $BATS_TEST_TMPDIR/top.rc)" 0
	assert_equal "$(cat $BATS_TEST_TMPDIR/top.err)" ''
	run kill -0 $top
	assert_failure
	# The terminal is given back: the table went with top's screen
	run tmux capture-pane -p -t top
	refute_output --partial CGROUP
}

@test "top -b: cgroups removed during refreshes are left out" {
	hold a -n 1
	for i in $(seq 30); do mkdir $T/c$i; done
	$IOASIDCTL top -b -n 30 -d 0.1 bats-ps > $BATS_TEST_TMPDIR/top.out 2> $BATS_TEST_TMPDIR/top.err &
	t=$!
	for i in $(seq 30); do rmdir $T/c$i; sleep 0.05; done
	run wait $t
	assert_success
	assert_equal "$(cat $BATS_TEST_TMPDIR/top.err)" ''
	assert_equal "$(grep -c '^CGROUP' $BATS_TEST_TMPDIR/top.out)" 30
}

@test "top: a terminal ncurses does not know gets plain lines, after one line" {
	# (ncurses keeps a little memory of the failed newterm(): no leak check)
	tmux -f /dev/null new-session -d -s top -x 100 -y 20 \
		"TERM=no-such-term ASAN_OPTIONS=detect_leaks=0 $IOASIDCTL top -n 1 bats-ps 2> $BATS_TEST_TMPDIR/top.err; echo \$? > $BATS_TEST_TMPDIR/top.rc"
	for i in $(seq 100); do [ -s $BATS_TEST_TMPDIR/top.rc ] && break; sleep 0.1; done
	assert_equal "$(cat $BATS_TEST_TMPDIR/top.err)" "ioasidctl: top: unknown terminal type 'no-such-term': plain lines instead"
	assert_equal "$(cat $BATS_TEST_TMPDIR/top.rc)" 0
}
