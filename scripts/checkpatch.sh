#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch --strict over the project's own kernel files and its patches.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
linux=$top/build/linux
cd "$top"
files=$(for d in drivers include kernel; do
	if [ -d "$d" ]; then find "$d" -type f \( -name '*.c' -o -name '*.h' \); fi
done | sort)
rc=0
for f in $files; do
	(cd "$linux" && scripts/checkpatch.pl --strict --no-tree --quiet \
		--ignore SPDX_LICENSE_TAG -f "$f") || rc=1
done
for p in $(grep -v '^#' patches/series); do
	(cd "$linux" && scripts/checkpatch.pl --strict --quiet \
		--ignore FILE_PATH_CHANGES "$top/patches/$p") || rc=1
done
[ $rc -eq 0 ] && echo "  CHECKPATCH clean: $(echo $files | wc -w) files, $(grep -vc '^#' patches/series) patches"
exit $rc
