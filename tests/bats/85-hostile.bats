#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Hostile users: an unprivileged user, and root of a user and cgroup
# namespace over a delegated subtree. What they must not be able to do:
# open /dev/ioasid ungranted, raise their own limit, touch another process's
# IDs, take more than their subtree's cap, flood the kernel log; and what
# ioasidctl must refuse or survive: paths that escape the mount through a
# symlink, names with newlines and spaces.
#
# Already covered elsewhere: unprivileged open (30-dev-ioasid), a delegated
# user's own limit and nsdelegate as plain root (10-cgroup-files), foreign
# IDs between two root processes (30-dev-ioasid), ".." escapes and names
# with spaces for set and tree (40-ioasidctl).

load helpers

NOBODY=65534

setup() {
	T=$(cg_mkpath bats-hostile)
	D=$T/deleg
	PROBE=$kselftest/ioasid-probe
	delegate $D
}

teardown() {
	chown root:root /dev/ioasid
	chmod 0600 /dev/ioasid
	umount $T/m 2>/dev/null || true
	rm -rf /tmp/bats-hostile-victim /tmp/bats-hostile-ran
	hostile_teardown $T
}

# delegate DIR: create DIR and hand it to $NOBODY as systemd's Delegate= does
# (the directory and the files a delegatee writes; ioasids.max stays root's)
delegate() {
	mkdir "$1"
	chown $NOBODY:$NOBODY "$1" "$1/cgroup.procs" "$1/cgroup.subtree_control" \
		"$1/cgroup.threads"
}

# as_nobody CMD...: run CMD as the unprivileged $NOBODY
as_nobody() {
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- "$@"
}

# as_ns_root DIR CMD...: run CMD, from cgroup DIR, as root of a new user
# namespace (uid 0 inside, $NOBODY outside) and of a new cgroup namespace
# whose root is DIR
as_ns_root() {
	local dir=$1
	shift
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$dir" \
		setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- \
		unshare --user --map-root-user --cgroup -- "$@"
}

# hostile_teardown DIR: end every process in DIR's subtree, wait until they
# are gone, remove the subtree
hostile_teardown() {
	local i procs
	[ -d "$1" ] || return 0
	for i in $(seq 100); do
		procs=$(find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null)
		[ -z "$procs" ] && break
		kill -TERM $procs 2>/dev/null || true
		sleep 0.05
	done
	cg_rmtree "$1"
}

# new_log_lines BEFORE: the kernel log lines after the first BEFORE, without
# their timestamps
new_log_lines() {
	dmesg | tail -n +$(($1 + 1)) | sed 's/^\[[ 0-9.]*\] //'
}

# ratelimit_fresh: wait until the refusal log's ratelimit window (5 s from
# a refusal that was logged) is over: 6 s after the last line it logged
ratelimit_fresh() {
	local last
	last=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] ioasids\(_refused\)\{0,1\}: .*/\1/p' | tail -1)
	[ -n "$last" ] || return 0
	awk -v l="$last" -v n="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { w = l + 6 - n; if (w > 0) system("sleep " w) }'
}

# Run as root with ROUNDS and cgroup directories: in each directory, a
# child process drops to the unprivileged user and makes ROUNDS rounds of
# one allocation and five invalid requests; prints each result's count
FLOOD_PY='
import errno, fcntl, os, struct, sys
IO = lambda n: (0x3b << 8) | (0x40 + n)
alloc = lambda argsz, flags: bytearray(struct.pack("6I", argsz, flags, 1, 1000, 0, 0))
def flood(cg, rounds):
    with open(cg + "/cgroup.procs", "w") as f:
        f.write(str(os.getpid()))
    os.setgroups([])
    os.setresgid(65534, 65534, 65534)
    os.setresuid(65534, 65534, 65534)
    fd = os.open("/dev/ioasid", os.O_RDWR)
    res = {}
    def call(tag, req, arg):
        try:
            fcntl.ioctl(fd, req, arg)
            k = tag + " ok"
        except OSError as e:
            k = tag + " " + errno.errorcode[e.errno]
        res[k] = res.get(k, 0) + 1
    for i in range(rounds):
        call("alloc", IO(2), alloc(24, 0))
        call("short-argsz", IO(2), alloc(8, 0))
        call("bad-flags", IO(2), alloc(24, 0x80))
        call("bad-pointer", IO(2), 8)
        call("unknown-ioctl", IO(15), 0)
        call("free-unknown", IO(3), bytearray(struct.pack("4I", 16, 0, 0xfffff, 0)))
    print(os.path.basename(cg) + ": " + " ".join("%s=%d" % kv for kv in sorted(res.items())))
failed = 0
for cg in sys.argv[2:]:
    pid = os.fork()
    if pid == 0:
        try:
            flood(cg, int(sys.argv[1]))
            sys.stdout.flush()
            os._exit(0)
        except BaseException as e:
            print(cg, repr(e), flush=True)
            os._exit(1)
    failed |= os.waitpid(pid, 0)[1]
sys.exit(1 if failed else 0)
'

# Run as root of the namespaces over the delegated DIR: make N children
# capped at 0 and take ROUNDS refusals in each; then, once the ratelimit
# window of the first has passed, one more in the last
SPREAD_PY='
import errno, fcntl, os, struct, sys, time
D, n, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def w(path, s):
    with open(path, "w") as f:
        f.write(s)
os.mkdir(D + "/init")
w(D + "/init/cgroup.procs", str(os.getpid()))
w(D + "/cgroup.subtree_control", "+ioasids")
for i in range(n):
    os.mkdir("%s/c%d" % (D, i))
    w("%s/c%d/ioasids.max" % (D, i), "0")
fd = os.open("/dev/ioasid", os.O_RDWR)
req = bytearray(struct.pack("6I", 24, 0, 1, 1000, 0, 0))
# times[0]: before the first refusal, which starts the ratelimit window;
# times[1]: after it
times = []
def refuse(i, count, res):
    w("%s/c%d/cgroup.procs" % (D, i), str(os.getpid()))
    for r in range(count):
        times.append(time.monotonic())
        try:
            fcntl.ioctl(fd, 0x3b42, req)
            k = "ok"
        except OSError as e:
            k = errno.errorcode[e.errno]
        times.append(time.monotonic())
        res[k] = res.get(k, 0) + 1
res = {}
for i in range(n):
    refuse(i, rounds, res)
print(" ".join("%s=%d" % kv for kv in sorted(res.items())))
print("seconds %.1f" % (times[-1] - times[0]))
sys.stdout.flush()
time.sleep(max(0, times[1] + 5.3 - time.monotonic()))
res = {}
refuse(n - 1, 1, res)
print("c%d:" % (n - 1), " ".join("%s=%d" % kv for kv in sorted(res.items())))
w(D + "/init/cgroup.procs", str(os.getpid()))
'

@test "a namespace root making 40 capped cgroups, 2,000 refusals: the ratelimit burst (10) of log lines, each cgroup once, one line for the rest" {
	chown $NOBODY:$NOBODY /dev/ioasid
	ratelimit_fresh
	before=$(dmesg | wc -l)
	run as_ns_root $D python3 -c "$SPREAD_PY" $D 40 50
	assert_success
	assert_line --index 0 'EDQUOT=2000'
	assert_line --index 2 'c39: EDQUOT=1'
	secs=$(echo "$output" | sed -n 's/^seconds //p')
	# The 2,000 fell in one window of 5 s: the count below assumes it
	[ "${secs%.*}" -lt 5 ]
	assert_equal "$(cat $D/ioasids.events)" "max 2001"
	after=$(dmesg | wc -l)
	# (refusals suppressed before this test, if any, are reported first)
	new_log_lines $before | sed '1{/^ioasids_refused: [0-9]* callbacks suppressed$/d}' > $BATS_TEST_TMPDIR/log
	run cat $BATS_TEST_TMPDIR/log
	want=$(for i in $(seq 0 9); do
		echo "ioasids: IOASID allocation refused by the limit of cgroup /bats-hostile/deleg/c$i"
	done
	echo "ioasids_refused: 1500 callbacks suppressed"
	echo "ioasids: IOASID allocation refused by the limit of cgroup /bats-hostile/deleg/c39")
	assert_output "$want"
	[ $((after - before)) -le 13 ]
}

@test "5,000 refusals in 4 cgroups and 25,000 invalid ioctls from an unprivileged user: exactly one log line per cgroup" {
	chown $NOBODY:$NOBODY /dev/ioasid
	for i in 1 2 3 4; do
		mkdir $T/f$i
		echo 0 > $T/f$i/ioasids.max
	done
	before=$(dmesg | wc -l)
	# f1 twice: a second process in a cgroup that already logged
	run python3 -c "$FLOOD_PY" 1000 $T/f1 $T/f2 $T/f3 $T/f4 $T/f1
	assert_success
	for i in 1 2 3 4 1; do
		echo "f$i: alloc EDQUOT=1000 bad-flags EINVAL=1000 bad-pointer EFAULT=1000 free-unknown ENOENT=1000 short-argsz EINVAL=1000 unknown-ioctl ENOTTY=1000"
	done > $BATS_TEST_TMPDIR/want
	assert_output "$(cat $BATS_TEST_TMPDIR/want)"
	assert_equal "$(cat $T/f1/ioasids.events.local) $(cat $T/f4/ioasids.events.local)" "max 2000 max 1000"
	assert_equal "$(cat $T/ioasids.events)" "max 5000"
	after=$(dmesg | wc -l)
	run new_log_lines $before
	assert_output "ioasids: IOASID allocation refused by the limit of cgroup /bats-hostile/f1
ioasids: IOASID allocation refused by the limit of cgroup /bats-hostile/f2
ioasids: IOASID allocation refused by the limit of cgroup /bats-hostile/f3
ioasids: IOASID allocation refused by the limit of cgroup /bats-hostile/f4"
	assert_equal "$((after - before))" 4
}

@test "namespace root of a delegated subtree: manages its children, cannot raise its own limit nor open /dev/ioasid" {
	echo 3 > $D/ioasids.max
	echo 9 > $T/ioasids.max
	quota=$(cat /sys/module/ioasid_user/parameters/file_quota)
	run as_ns_root $D bash -c '
		D=$1 T=$2 ctl=$3
		err() { ( eval "$1" ) 2>&1 | sed "s/.*: //"; }
		echo "uid $(id -u) cgroup $(cat /proc/self/cgroup)"
		mkdir $D/init && echo $$ > $D/init/cgroup.procs
		echo "moved to $(cat /proc/self/cgroup)"
		echo +ioasids > $D/cgroup.subtree_control
		mkdir $D/job && echo 2 > $D/job/ioasids.max
		echo "child max $(cat $D/job/ioasids.max)"
		echo "own max: $(err "printf max > $D/ioasids.max")"
		echo "parent max: $(err "printf max > $T/ioasids.max")"
		echo "file_quota: $(err "printf 1000000 > /sys/module/ioasid_user/parameters/file_quota")"
		echo "leave the subtree: $(err "echo \$\$ > $T/cgroup.procs")"
		echo "leave to the root: $(err "echo \$\$ > /sys/fs/cgroup/cgroup.procs")"
		$ctl info 2>&1
		echo "ioasidctl info: $?"
	' bash $D $T $IOASIDCTL
	assert_success
	assert_output "uid 0 cgroup 0::/
moved to 0::/init
child max 2
own max: Permission denied
parent max: Permission denied
file_quota: Permission denied
leave the subtree: Permission denied
leave to the root: Permission denied
ioasidctl: /dev/ioasid: Permission denied
ioasidctl info: 1"
	# Nothing it tried took effect
	assert_equal "$(cat $D/ioasids.max)" 3
	assert_equal "$(cat $T/ioasids.max)" 9
	assert_equal "$(cat /sys/module/ioasid_user/parameters/file_quota)" "$quota"
	assert_equal "$(cat $D/job/ioasids.max)" 2
}

@test "with nsdelegate, the namespace root cannot write its ioasids.max even if it owns the file: EPERM" {
	echo 3 > $D/ioasids.max
	chown $NOBODY:$NOBODY $D/ioasids.max
	run as_ns_root $D bash -c '( printf max > $1/ioasids.max ) 2>&1 | sed "s/.*: //"' bash $D
	assert_success
	assert_output 'Operation not permitted'
	assert_equal "$(cat $D/ioasids.max)" 3
}

@test "granted /dev/ioasid, the namespace root takes its subtree's cap and no more: EDQUOT, system free drops by the cap" {
	echo 3 > $D/ioasids.max
	chown $NOBODY:$NOBODY /dev/ioasid
	free0=$(ioasid_debugfs free)
	out=$BATS_TEST_TMPDIR/ns.out
	# Three unlimited children, each wanting 2: 2, then 1 and a refusal,
	# then 2 refusals
	as_ns_root $D bash -c '
		D=$1 holder=$2 tmp=$(mktemp -d)
		mkdir $D/init && echo $$ > $D/init/cgroup.procs
		echo +ioasids > $D/cgroup.subtree_control
		for j in j1 j2 j3; do
			mkdir $D/$j
			sh -c "echo \$\$ > $D/$j/cgroup.procs && exec $holder -H -p -n 2" > $tmp/$j 2>&1 &
			for i in $(seq 200); do grep -q "^holding" $tmp/$j && break; sleep 0.05; done
			sed -e "s/^[0-9][0-9]*$/ID/" -e "s/^/$j: /" $tmp/$j
		done
		echo ready
		wait
		echo done
	' bash $D $HOLDER > $out 2>&1 &
	nspid=$!
	for i in $(seq 300); do grep -q '^ready' $out && break; sleep 0.05; done
	run cat $out
	assert_output "j1: ID
j1: ID
j1: holding 2
j2: ID
j2: ioasid_holder: ID 2 of 2: Disk quota exceeded
j2: holding 1
j3: ioasid_holder: ID 1 of 2: Disk quota exceeded
j3: ioasid_holder: ID 2 of 2: Disk quota exceeded
j3: holding 0
ready"
	assert_equal "$(cat $D/ioasids.current)" 3
	assert_equal "$(cat $D/j1/ioasids.current) $(cat $D/j2/ioasids.current) $(cat $D/j3/ioasids.current)" "2 1 0"
	assert_equal "$(( free0 - $(ioasid_debugfs free) ))" 3
	assert_equal "$(cat $D/ioasids.events.local)" "max 3"
	assert_equal "$(cat $T/ioasids.events)" "max 3"
	assert_equal "$(cat $D/j3/ioasids.events)" "max 0"

	kill -TERM $(cat $D/j1/cgroup.procs $D/j2/cgroup.procs $D/j3/cgroup.procs)
	wait $nspid
	assert_equal "$(tail -1 $out)" done
	assert_equal "$(cat $D/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$free0"
}

@test "an unprivileged user, granted /dev/ioasid, cannot free, find or attach another process's IDs" {
	chown $NOBODY:$NOBODY /dev/ioasid
	mkdir $T/w
	holder_start $T/w -n 1 -s 7
	id=$(head -1 $HOLDER_OUT | cut -d' ' -f1)
	[ -n "$id" ]
	run as_nobody $PROBE foreign $id 7
	assert_success
	assert_output "free: Permission denied
attach: Permission denied
find-spid: No such file or directory"
	# Nor as root of a user namespace
	run as_ns_root $D $PROBE foreign $id 7
	assert_success
	assert_output "free: Permission denied
attach: Permission denied
find-spid: No such file or directory"
	# The owner still holds it, with its SPID
	assert_equal "$(cat $T/w/ioasids.current)" 1
	holder_stop $HOLDER_PID
	assert_equal "$(cat $T/w/ioasids.current)" 0
}

@test "ioasidctl: a newline in a cgroup name is refused by the kernel and reported, nothing is created" {
	nl=$'a\nb'
	run mkdir "$T/$nl"
	assert_failure
	assert_output --partial 'Invalid argument'
	# Reported on one line, the newline escaped
	run $IOASIDCTL enable "bats-hostile/$nl"
	assert_failure 1
	assert_output "ioasidctl: $T/a\\nb: Invalid argument"
	run $IOASIDCTL run --cgroup "bats-hostile/$nl" -- true
	assert_failure 1
	assert_output "ioasidctl: $T/a\\nb: Invalid argument"
	run $IOASIDCTL get "bats-hostile/$nl"
	assert_failure 1
	assert_output "ioasidctl: get: bats-hostile/a\\nb: No such file or directory"
	run $IOASIDCTL set "bats-hostile/$nl" 3
	assert_failure 1
	assert_output "ioasidctl: set: bats-hostile/a\\nb: No such file or directory"
	run find $T -mindepth 1 -maxdepth 1 -type d
	assert_output $D
}

@test "ioasidctl: names with spaces, tabs and a leading dash work with enable, run and get" {
	name=$'-n 2\t x  y'
	run $IOASIDCTL enable "bats-hostile/$name/in ner"
	assert_success
	[ -f "$T/$name/in ner/ioasids.max" ]
	run $IOASIDCTL run --cgroup "bats-hostile/$name/in ner" --max 1 -- $IOASIDCTL alloc -n 2
	assert_failure 1
	assert_line --index 1 'ioasidctl: /dev/ioasid: ID 2 of 2: Disk quota exceeded'
	run $IOASIDCTL get "$T/$name/in ner" --json
	assert_success
	assert_equal "$(echo "$output" | jq -c .)" \
		"$(jq -nc --arg c "bats-hostile/$name/in ner" '{cgroup:$c,current:0,max:1,peak:1,events:1,events_local:1}')"
	assert_equal "$(cat "$T/$name/ioasids.events")" "max 1"
}

# symlink_escape: a tmpfs on the cgroup directory $T/m (no symlink can be
# made in cgroupfs itself) with links out of the mount, to a directory that
# looks like a cgroup and to /etc
symlink_escape() {
	mkdir $T/m
	mount -t tmpfs -o mode=755 bats-hostile $T/m
	mkdir /tmp/bats-hostile-victim
	touch /tmp/bats-hostile-victim/cgroup.subtree_control /tmp/bats-hostile-victim/ioasids.max \
		/tmp/bats-hostile-victim/cgroup.procs $T/m/cgroup.subtree_control
	ln -s /tmp/bats-hostile-victim $T/m/esc
	ln -s /etc $T/m/etc
}

@test "ioasidctl get, set, tree and watch refuse a symlink out of the cgroup mount" {
	symlink_escape
	for verb in get tree watch; do
		run $IOASIDCTL $verb bats-hostile/m/esc
		assert_failure 1
		assert_output "ioasidctl: $verb: bats-hostile/m/esc: not a cgroup under $CG"
	done
	run $IOASIDCTL set bats-hostile/m/esc 5
	assert_failure 1
	assert_output "ioasidctl: set: bats-hostile/m/esc: not a cgroup under $CG"
	run $IOASIDCTL set $T/m/esc 5
	assert_failure 1
	assert_output "ioasidctl: set: $T/m/esc: not a cgroup under $CG"
	run $IOASIDCTL get bats-hostile/m/etc
	assert_failure 1
	assert_output "ioasidctl: get: bats-hostile/m/etc: not a cgroup under $CG"
	refute [ -s /tmp/bats-hostile-victim/ioasids.max ]
}

# enable and run create what is missing along the path: they walk it with
# openat(O_NOFOLLOW) and check each level is on the mount's filesystem
# (cg_resolve() in tools/ioasidctl/cgroupfs.c)
@test "ioasidctl enable and run refuse a symlink out of the cgroup mount and write nothing outside it" {
	symlink_escape
	# They create what is missing: they must not follow the link to do it
	run $IOASIDCTL enable bats-hostile/m/esc/x
	enable_result="$status $output"
	run $IOASIDCTL run --cgroup bats-hostile/m/esc/y -- touch /tmp/bats-hostile-ran
	run_status=$status
	# Nothing outside the mount was created or written
	run ls -A /tmp/bats-hostile-victim
	assert_output "cgroup.procs
cgroup.subtree_control
ioasids.max"
	run cat /tmp/bats-hostile-victim/cgroup.subtree_control /tmp/bats-hostile-victim/cgroup.procs \
		$T/m/cgroup.subtree_control
	assert_output ''
	refute [ -e /tmp/bats-hostile-ran ]
	assert_equal "$enable_result" "1 ioasidctl: $T/m: not a cgroup under $CG"
	assert_equal "$run_status" 1
}

