# SPDX-License-Identifier: GPL-2.0
# Shared by the Bats suites that run inside the test VM.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# The harness library: $testbin (the test programs, built with ASan and
# UBSan) and $splat_pattern (a kernel log line that means something went
# wrong)
. "$IOASID_TOP/scripts/lib.sh"

ioasid_debugfs() {
	awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/ioasid
}

CG=/sys/fs/cgroup


# cg_mkpath A/B/C: nested cgroups with ioasids enabled at every level
cg_mkpath() {
	local dir=$CG
	grep -qw ioasids "$CG/cgroup.subtree_control" || echo +ioasids > "$CG/cgroup.subtree_control"
	for part in $(echo "$1" | tr / ' '); do
		dir=$dir/$part
		[ -d "$dir" ] || mkdir "$dir"
		grep -qw ioasids "$dir/cgroup.subtree_control" || echo +ioasids > "$dir/cgroup.subtree_control"
	done
	echo "$dir"
}

# cg_rmtree DIR: remove a cgroup and its descendants, deepest first
cg_rmtree() {
	[ -d "$1" ] || return 0
	find "$1" -depth -type d -print0 | xargs -0 -r rmdir 2>/dev/null || true
}

# cg_write FILE VALUE: write VALUE with no newline; prints the error, if any
cg_write() {
	( printf '%s' "$2" > "$1" ) 2>&1 | sed 's/.*: //'
}

IOASIDCTL=${IOASIDCTL:-$testbin/ioasidctl}

# cg_exec CGROUP COMMAND...: run COMMAND in CGROUP
cg_exec() {
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$@"
}

# holder_start CGROUP ARGS...: run "ioasidctl alloc --hold ARGS" in CGROUP;
# waits until it holds its IDs (or failed); sets HOLDER_PID and HOLDER_OUT
holder_start() {
	local cg=$1 i
	shift
	HOLDER_OUT=$(mktemp)
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
		$IOASIDCTL alloc --hold "$@" > "$HOLDER_OUT" 2>&1 &
	HOLDER_PID=$!
	for i in $(seq 200); do
		grep -q '^holding ' "$HOLDER_OUT" && return 0
		kill -0 $HOLDER_PID 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

holder_stop() {
	kill -TERM "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# cg_teardown DIR: end every process in DIR's subtree, then remove it
cg_teardown() {
	local p
	for p in $(find "$1" -name cgroup.procs -exec cat {} + 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null || true
	done
	sleep 0.1
	cg_rmtree "$1"
}
