#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict, as a maintainer would run it: on every patch of
# patches/series, on each new kernel file of the project, and on the diff
# against pristine 6.1 of each project file that rewrites an existing one.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
linux=$top/build/linux
src=$top/build/src/linux-source-6.1
cp_strict() { (cd "$linux" && scripts/checkpatch.pl --strict --quiet --show-types "$@"); }
cd "$top"
rc=0 n=0
for p in $(grep -v '^\s*#' patches/series); do
	cp_strict --ignore FILE_PATH_CHANGES "$top/patches/$p" || rc=1
	n=$((n + 1))
done
for f in $(for d in Documentation drivers include kernel; do
		if [ -d "$d" ]; then find "$d" -type f \( -name '*.[ch]' -o -name Kconfig -o -name Makefile -o -name '*.rst' \); fi
	done | sort); do
	if [ -f "$src/$f" ]; then
		{ diff -u --label "a/$f" --label "b/$f" "$src/$f" "$f" || true; } |
			cp_strict --no-signoff --ignore FILE_PATH_CHANGES,COMMIT_MESSAGE - || rc=1
	else
		cp_strict --no-tree -f "$f" || rc=1
	fi
	n=$((n + 1))
done
if [ $rc -eq 0 ]; then
	echo "  CHECKPATCH --strict clean: $n patches and files"
fi
exit $rc
