#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-checks.sh w1|sparse [OUTDIR]
#
# Rebuild the objects of the .c files this project adds or changes with W=1
# (extra compiler warnings) or C=2 (sparse on every file), and fail on a
# warning in a file the project adds or on a line the series changes.
# OUTDIR is a built kernel; by default the debug kernel, which builds the
# IOASID core, the controller and their KUnit suites. The objects it does
# not build (drivers no test kernel runs: amdgpu) are compiled alone in
# $out_chk, configured from configs/x86_64.config and
# configs/buildcheck.config; every object must be built by one of them.
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

# The objects of the project's .c files that OUTDIR's configuration builds,
# and the others
objs= others=
for o in $(kernel_files | sed -n 's/\.c$/.o/p'); do
	if [ -f "$out/$o" ]; then objs="$objs $o"; else others="$others $o"; fi
done
if [ -z "$objs" ]; then
	echo "build-checks: none of the project's objects is built in $out" >&2
	exit 1
fi
# Touch nothing in the tree: force the rebuild through the objects
for o in $objs; do rm -f "$out/$o"; done
kmake O="$out" ARCH=x86_64 $flags $objs > "$log" 2>&1
rc=$?

# Of the others, those below the directories configs/buildcheck.config
# names are compiled in $out_chk; the rest are named below
chk= skipped=
for o in $others; do
	c=${o%.o}.c
	[ -f "$linux/$c" ] || continue		# removed by the series
	if in_buildcheck_dirs "$c"; then
		chk="$chk $o"
	elif ! grep -qsF "#include \"${c##*/}\"" "$linux/${c%/*}"/*.c; then
		skipped="$skipped $o"		# not #included by a neighbour
	fi
done
if [ -n "$chk" ]; then
	buildcheck_config "$out_chk" >> "$log" 2>&1 || rc=1
	for o in $chk; do rm -f "$out_chk/$o"; done
	kmake O="$out_chk" ARCH=x86_64 $flags $chk >> "$log" 2>&1 || rc=1
fi

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
		f=${f#../linux/}		# relative to an output directory
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
echo "  $mode    clean: $(echo $objs $chk | wc -w) objects ($(echo $objs $chk))"
# What x86_64 cannot build (the Arm SMMUv3 driver) is named, not hidden
[ -z "$skipped" ] || echo "  $mode    not built for x86_64:$skipped"
