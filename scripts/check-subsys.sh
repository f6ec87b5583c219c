#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-subsys.sh: does the ioasids controller fit the kernel's limit of 16
# cgroup subsystems with every other controller and CGROUP_DEBUG enabled?
# Configures build/KERNEL/out-subsys from allnoconfig, configs/x86_64.config
# and configs/cgroup-all.config, checks that every SUBSYS() of
# include/linux/cgroup_subsys.h is enabled, and compiles kernel/cgroup/cgroup.o,
# whose BUILD_BUG_ON(CGROUP_SUBSYS_COUNT > 16) fails the build past 16.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

out=$build/out-subsys
mkdir -p "$out"
cat $(config_fragments x86_64) "$top/configs/cgroup-all.config" > "$out/ioasid.config"
# (the fragment sets some options x86_64.config sets too: no warning)
kmake -s O="$out" ARCH=x86_64 KCONFIG_ALLCONFIG="$out/ioasid.config" allnoconfig 2>&1 |
	grep -v 'warning: override: reassigning to symbol'
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1

# The subsystems of cgroup_subsys.h, each with the option it needs
mapfile -t subsys < <(awk '/^#if IS_ENABLED\(CONFIG_/ { c = $0; sub(/.*IS_ENABLED\(/, "", c); sub(/\).*/, "", c) }
	/^SUBSYS\(/ { s = $0; sub(/SUBSYS\(/, "", s); sub(/\).*/, "", s); print s, c }' \
	"$linux/include/linux/cgroup_subsys.h")
n=0 rc=0
for e in "${subsys[@]}"; do
	set -- $e
	if grep -qx "$2=y" "$out/.config"; then
		n=$((n + 1))
	else
		echo "check-subsys: $1 is not enabled ($2)" >&2
		rc=1
	fi
done
echo "  SUBSYS  $n of ${#subsys[@]} cgroup subsystems enabled, ioasids included (the limit is 16)"
kmake -s O="$out" ARCH=x86_64 kernel/cgroup/cgroup.o || rc=1
exit $rc
