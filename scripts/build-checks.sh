#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-checks.sh w1|sparse [OUTDIR]
#
# Rebuild the objects of the .c files this project adds or changes with W=1
# (extra compiler warnings) or C=2 (sparse on every file), and fail on a
# warning in a file the project adds or on a line the series changes. OUTDIR is a built kernel; by default the debug kernel, the
# one that builds every such file (its KUnit suites too).
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

mode=${1:-}
out=${2:-$out_dbg}
case $mode in
w1)	flags="W=1" ;;
sparse)	flags="C=2" ;;
*)	echo "usage: build-checks.sh w1|sparse [OUTDIR]" >&2; exit 2 ;;
esac
log=$build/$mode.log

# The objects of the project's .c files that OUTDIR's configuration builds
objs=$(kernel_files | sed -n 's/\.c$/.o/p' | while read -r o; do
	[ -f "$out/$o" ] && echo "$o"
done)
if [ -z "$objs" ]; then
	echo "build-checks: none of the project's objects is built in $out" >&2
	exit 1
fi
# Touch nothing in the tree: force the rebuild through the objects
for o in $objs; do rm -f "$out/$o"; done
kmake O="$out" ARCH=x86_64 $flags $objs > "$log" 2>&1
rc=$?

# changed_lines FILE: the line numbers of FILE that the series added or
# changed, against the pristine source
changed_lines() {
	diff --unchanged-line-format= --old-line-format= \
		--new-line-format='%dn
' "$src/$1" "$linux/$1"
}

# A warning counts when it is in a file the project adds, or on a line the
# series changed in a file of the kernel's: upstream code keeps its own
mapfile -t ours < <(new_files)
warnings=$(grep -E 'warning:|error:' "$log" | grep -v '^make' | sort -u |
	while IFS= read -r w; do
		f=${w%%:*}
		f=${f#"$linux"/}
		line=$(echo "$w" | cut -d: -f2)
		if [ ! -f "$linux/$f" ] || [ ! -f "$src/$f" ] ||
		   printf '%s\n' "${ours[@]}" | grep -qxF "$f" ||
		   changed_lines "$f" | grep -qx "$line"; then
			echo "$w"
		fi
	done)
if [ $rc -ne 0 ] || [ -n "$warnings" ]; then
	echo "build-checks: $mode: not clean (see $log)" >&2
	echo "$warnings" | head -30 >&2
	exit 1
fi
echo "  $mode    clean: $(echo $objs | wc -w) objects ($(echo $objs))"
