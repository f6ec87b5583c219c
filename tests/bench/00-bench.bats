#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# "make bench", the guest's part (TCG): /dev/ioasid against the syscall floor,
# and ioasidctl's tree against cgget and systemd-cgls over large trees.
# Figures go out as "# BENCH {json}" lines; nothing here judges them.

load ../bats/helpers

bench() { echo "# BENCH $*" >&3; }

# ms CMD...: median wall time of 3 runs, in milliseconds
ms() {
	local i t0 t
	for i in 1 2 3; do
		t0=$(date +%s%N)
		"$@" > /dev/null 2>&1
		t=$(( ($(date +%s%N) - t0) / 1000 ))
		echo $t
	done | sort -n | sed -n 2p | awk '{ printf "%.1f", $1 / 1000 }'
}

@test "/dev/ioasid alloc+free pairs against two trivial syscalls, 1 and 2 threads" {
	run "$IOASID_TOP/build/6.1/bench/dev-bench" 1
	assert_success
	bench "$output"
}

@test "ioasidctl tree against cgget and systemd-cgls over 1,000 and 10,000 cgroups" {
	local top n g c groups
	# A tree of its own for each size: removing thousands of cgroups takes
	# minutes under TCG, and the guest is thrown away after the run
	for n in 1000 10000; do
		top=$CG/bench$n
		cg_mkpath bench$n >/dev/null
		# n cgroups under 100 parents (100 per parent for 10,000)
		for g in $(seq 0 99); do
			mkdir $top/g$g
			echo +ioasids > $top/g$g/cgroup.subtree_control
			(cd $top/g$g && mkdir $(seq -f c%g 1 $((n / 100 - 1))))
		done
		groups=$(cd $CG && find bench$n -mindepth 1 -type d | wc -l)
		assert_equal "$groups" "$n"
		run "$IOASID_TOP/build/ioasidctl/ioasidctl" tree bench$n
		assert_success
		assert_equal "${#lines[@]}" $((n + 2))
		t_ctl=$(ms "$IOASID_TOP/build/ioasidctl/ioasidctl" tree bench$n)
		t_json=$(ms "$IOASID_TOP/build/ioasidctl/ioasidctl" tree bench$n --json)
		t_cgget=$(ms cgget -r ioasids.current -r ioasids.max $(cd $CG && find bench$n -mindepth 1 -type d))
		t_cgls=$(ms systemd-cgls --all --no-pager $top)
		bench "{\"row\":\"tree\",\"cgroups\":$n,\"ioasidctl_ms\":$t_ctl,\"ioasidctl_json_ms\":$t_json,\"cgget_ms\":$t_cgget,\"systemd_cgls_ms\":$t_cgls}"
	done
}
