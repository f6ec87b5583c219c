#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# update-patches.sh [GIT_TREE]
#
# Write the series back from a git tree of it: GIT_TREE (build/series-git,
# which `make series` makes) has the tag "base" on the pristine kernel and one
# commit per patch. Edit the series there (git rebase -i, commit --fixup,
# split a commit), then run this. Each commit becomes patches/NNNN-*.patch,
# less the files of this repository that patches/KERNEL/overlay assigns to it:
# those are written back to the repository from that commit. A patch keeps
# its file name when its subject is unchanged; patches/KERNEL/series and the
# overlay follow. Then `make tree` and `make series-check`.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

tree=${1:-$build/series-git}
g() { git -C "$tree" "$@"; }
g rev-parse -q --verify base >/dev/null || { echo "update-patches: $tree has no tag base" >&2; exit 1; }

# A file of this repository edited since `make series` made the tree would
# be overwritten by the tree's older copy: refuse, and name it
sums=$(g rev-parse --git-dir)/ioasid-overlay.sums
case $sums in /*) ;; *) sums=$tree/$sums ;; esac
if [ -f "$sums" ]; then
	stale=$(cd "$top" && { sha1sum --quiet -c "$sums" 2>/dev/null || true; } |
		sed -n 's/: FAILED.*//p')
	for f in $stale; do
		if ! g show "HEAD:$f" 2>/dev/null | cmp -s - "$top/$f"; then
			echo "update-patches: $f changed here since make series; copy it into $tree first" >&2
			bad=1
		fi
	done
	[ -z "${bad:-}" ] || exit 1
fi

# The current name and overlay files of each patch, by subject
old=$(mktemp -d)
trap 'rm -rf "$old"' EXIT
for p in $(series_patches); do
	s=$(git mailinfo /dev/null /dev/null < "$patchdir/$p" | sed -n 's/^Subject: //p')
	printf '%s\t%s\n' "$s" "${p#[0-9][0-9][0-9][0-9]-}" >> "$old/names"
	overlay_files "$p" | sed "s|^|$s\t|" >> "$old/files"
done
touch "$old/names" "$old/files"

n=0
: > "$old/series"
: > "$old/overlay"
for c in $(g rev-list --reverse base..HEAD); do
	n=$((n + 1))
	s=$(g log -1 --format=%s "$c")
	suffix=$(awk -F'\t' -v s="$s" '$1 == s { print $2 }' "$old/names")
	[ -n "$suffix" ] || suffix="$(g log -1 --format=%f "$c" | cut -c1-64).patch"
	name=$(printf '%04d-%s' "$n" "$suffix")
	echo "$name" >> "$old/series"
	files=$(awk -F'\t' -v s="$s" '$1 == s { print $2 }' "$old/files")
	exclude=()
	for f in $files; do
		echo "$name $f" >> "$old/overlay"
		exclude+=(":(exclude)$f")
		g show "$c:$f" > "$top/$f"
	done
	g format-patch -q --no-signature --zero-commit --stdout "$c^..$c" -- . \
		"${exclude[@]}" > "$old/$name"
	# every change is a file of this repository: the message alone
	if [ ! -s "$old/$name" ]; then
		g format-patch -q --no-signature --zero-commit --stdout "$c^..$c" |
			sed -n '1,/^---$/p' > "$old/$name"
	fi
done

rm -f "$patchdir"/[0-9][0-9][0-9][0-9]-*.patch
while read -r p; do
	mv "$old/$p" "$patchdir/$p"
done < "$old/series"
mv "$old/series" "$patchdir/series"
{ sed -n '/^#/p' "$patchdir/overlay"; cat "$old/overlay"; } > "$old/overlay.new"
mv "$old/overlay.new" "$patchdir/overlay"
echo "  PATCHES $n written to patches/"
