#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# "make bench", the kernel rows: load ioasid_bench.ko ($BENCH_MOD) from a
# cgroup at each depth of $BENCH_DEPTHS (comma-separated), the first time
# with the scale rows. The module prints JSON lines; they go out as
# "# BENCH {json}" lines.

load ../bats/helpers

@test "ioasid_bench.ko at cgroup depths $BENCH_DEPTHS" {
	local d i dir scale=1
	for d in ${BENCH_DEPTHS//,/ }; do
		dir=$CG
		for i in $(seq $d); do
			if grep -qw ioasids $CG/cgroup.controllers; then
				echo +ioasids > $dir/cgroup.subtree_control
			fi
			dir=$dir/bench$d-$i
			mkdir -p $dir
		done
		# insmod runs in $dir; the module always refuses to stay loaded
		run sh -c 'echo $$ > "$1/cgroup.procs" && exec insmod "$2" depth="$3" scale="$4"' \
			sh $dir "$BENCH_MOD" $d $scale
		assert_output --partial 'Resource temporarily unavailable'
		scale=0
	done
	dmesg | sed -n 's/.*ioasid_bench: \({.*}\)$/\1/p' | sed 's/^/# BENCH /' >&3
	for d in ${BENCH_DEPTHS//,/ }; do
		dmesg | grep -q "\"row\":\"done\",\"depth\":$d,\"status\":0}"
	done
}
