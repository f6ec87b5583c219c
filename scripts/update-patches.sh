#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Maintainer helper: regenerate patches/ from a git tree of the series
# (tag "base" = pristine, one commit per patch). New files that live in
# this repository are left out of the patch that adds them: prepare-tree
# and export-series lay them down from patches/overlay.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:?usage: update-patches.sh GIT_TREE}
cd "$tree"
rm -f "$top"/patches/*.patch
n=0
for c in $(git rev-list --reverse base..HEAD); do
	n=$((n + 1))
	subject=$(git log -1 --format=%f "$c" | cut -c1-52)
	name=$(printf '%04d-%s.patch' $n "$subject")
	overlay=$(awk -v p="$name" '$1 == p { print ":!" $2 }' "$top/patches/overlay")
	git format-patch -q -1 --no-signature --zero-commit --start-number $n \
		--stdout "$c" -- . $overlay > "$top/patches/$name"
done
(cd "$top/patches" && ls *.patch) > "$top/patches/series"
cat "$top/patches/series"
