# SPDX-License-Identifier: GPL-2.0
# Shared by the Bats suites that run inside the test VM.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# The harness library: $testbin (ioasidctl, built with ASan and UBSan),
# $kselftest (tools/testing/selftests/ioasid: the programs that drive the
# kernel) and $splat_pattern (a kernel log line that means something went
# wrong)
. "$IOASID_TOP/scripts/lib.sh"

ioasid_debugfs() {
	awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/ioasid
}

CG=/sys/fs/cgroup


# cg_enable DIR: enable ioasids for DIR's children, unless it is
cg_enable() {
	local ctl
	# (an empty mask reads as no line at all)
	read -r ctl < "$1/cgroup.subtree_control" || true
	case " $ctl " in
	*" ioasids "*) ;;
	*) echo +ioasids > "$1/cgroup.subtree_control" ;;
	esac
}

# cg_mkpath A/B/C: nested cgroups with ioasids enabled at every level.
# (Builtins where it can: a fork costs about 0.1 s under TCG.)
cg_mkpath() {
	local dir=$CG part IFS=/
	cg_enable "$CG"
	for part in $1; do
		dir=$dir/$part
		[ -d "$dir" ] || mkdir "$dir"
		cg_enable "$dir"
	done
	echo "$dir"
}

# cg_tree DIR: DIR and every cgroup below it, parents first, one per line
cg_tree() {
	local d
	echo "$1"
	for d in "$1"/*/; do
		[ -d "$d" ] && cg_tree "${d%/}"
	done
}

# cg_rmtree DIR: remove a cgroup and its descendants, deepest first; a
# cgroup whose last task is still exiting is tried again, for up to 5 s
cg_rmtree() {
	local -a dirs rev
	local i try
	for ((try = 0; try < 50; try++)); do
		[ -d "$1" ] || return 0
		mapfile -t dirs < <(cg_tree "$1")
		rev=()
		for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
			rev+=("${dirs[i]}")
		done
		rmdir "${rev[@]}" 2>/dev/null && return 0
		sleep 0.1
	done
	return 0
}

# cg_write FILE VALUE: write VALUE with no newline; prints the error, if any
cg_write() {
	( printf '%s' "$2" > "$1" ) 2>&1 | sed 's/.*: //'
}

IOASIDCTL=${IOASIDCTL:-$testbin/ioasidctl}
# The workload of the kernel's tests: takes IDs, prints them, holds them
HOLDER=$kselftest/ioasid_holder

# cg_exec CGROUP COMMAND...: run COMMAND in CGROUP
cg_exec() {
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$@"
}

# holder_start CGROUP ARGS...: run "ioasid_holder -H ARGS" in CGROUP;
# waits until it holds its IDs (or failed); sets HOLDER_PID and HOLDER_OUT
holder_start() {
	local cg=$1 i line
	shift
	HOLDER_OUT=$(mktemp)
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
		$HOLDER -H "$@" > "$HOLDER_OUT" 2>&1 &
	HOLDER_PID=$!
	for ((i = 0; i < 200; i++)); do
		while IFS= read -r line; do
			[[ $line == "holding "* ]] && return 0
		done < "$HOLDER_OUT"
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
	local d p
	[ -d "$1" ] || return 0
	while IFS= read -r d; do
		while read -r p; do
			kill -TERM "$p" 2>/dev/null || true
		done < "$d/cgroup.procs"
	done < <(cg_tree "$1")
	cg_rmtree "$1"
}
