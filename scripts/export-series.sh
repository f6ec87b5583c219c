#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# export-series.sh [--check]
#
# Turn patches/KERNEL/series plus the project's files into one git format-patch
# series against the pristine tree of its kernel line: each patch of the series, with the
# files patches/KERNEL/overlay assigns to it, becomes one commit. Written to
# build/series/.
#
# --check: apply the exported series with `git am` on a clean copy of the
# pristine tree, compare the result with build/KERNEL/linux, and build the IOASID
# core and its users with W=1 at every patch (bisectability), the drivers
# no test kernel builds (amdgpu) object by object (configs/buildcheck.config).
set -euo pipefail
trap 'echo "export-series: failed at line $LINENO" >&2' ERR

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

git_tree=$build/series-git
out=$build/series
check=${1:-}

gitc() { git -C "$1" -c user.name="ioasid build" -c user.email="build@ioasid.invalid" \
	-c gc.auto=0 -c maintenance.auto=false \
	-c advice.detachedHead=false "${@:2}"; }

pristine_repo() {
	local dir=$1
	if [ ! -d "$build/pristine.git" ]; then
		echo "  GIT     pristine $kernel_series tree (once)"
		rm -rf "$build/pristine.git.tmp"
		cp -a "$src" "$build/pristine.git.tmp"
		rm -f "$build/pristine.git.tmp/.extracted"
		gitc "$build/pristine.git.tmp" init -q
		gitc "$build/pristine.git.tmp" add -A -f
		gitc "$build/pristine.git.tmp" commit -q -m "Linux $(cat "$patchdir/BASE_VERSION")"
		gitc "$build/pristine.git.tmp" tag base
		mv "$build/pristine.git.tmp" "$build/pristine.git"
	fi
	rm -rf "$dir"
	cp -a "$build/pristine.git" "$dir"
	gitc "$dir" checkout -q -f base
	gitc "$dir" clean -qfdx
}

# commit_message DIR PATCH: commit nothing yet, with PATCH's author, date
# and message (git am refuses a patch without a diff)
commit_message() {
	local info
	info=$(mktemp -d)
	git mailinfo "$info/msg" "$info/patch" < "$2" > "$info/head"
	GIT_AUTHOR_NAME=$(sed -n 's/^Author: //p' "$info/head") \
	GIT_AUTHOR_EMAIL=$(sed -n 's/^Email: //p' "$info/head") \
	GIT_AUTHOR_DATE=$(sed -n 's/^Date: //p' "$info/head") \
		gitc "$1" commit -q --allow-empty -F - <<-EOF
	$(sed -n 's/^Subject: //p' "$info/head")

	$(cat "$info/msg")
	EOF
	rm -rf "$info"
}

pristine_repo "$git_tree"
for p in $(series_patches); do
	if patch_has_diff "$p"; then
		gitc "$git_tree" am -q --keep-cr "$patchdir/$p"
	else
		commit_message "$git_tree" "$patchdir/$p"
	fi
	files=$(overlay_files "$p")
	for f in $files; do
		mkdir -p "$git_tree/$(dirname "$f")"
		cp "$top/$f" "$git_tree/$f"
		gitc "$git_tree" add -f "$f"
	done
	if [ -n "$files" ]; then
		gitc "$git_tree" commit -q --amend --no-edit
	fi
done

# What the project's files held when the tree was made: update-patches.sh
# refuses to write back over a file edited here since
(cd "$top" && new_files | xargs sha1sum) > "$git_tree/.git/ioasid-overlay.sums"

unassigned=$(new_files | while read -r f; do
	[ -n "$(overlay_patch "$f")" ] || echo "$f"; done)
if [ -n "$unassigned" ]; then
	echo "export-series: not assigned to a patch in patches/overlay: $unassigned" >&2
	exit 1
fi

rm -rf "$out"
gitc "$git_tree" format-patch -q --no-signature --cover-letter -o "$out" base..HEAD
subject=$(head -1 "$patchdir/cover-letter")
body=$(tail -n +2 "$patchdir/cover-letter")
python3 - "$out/0000-cover-letter.patch" "$subject" "$body" <<'PY'
import sys
path, subject, body = sys.argv[1:4]
s = open(path).read()
s = s.replace("*** SUBJECT HERE ***", subject).replace("*** BLURB HERE ***", body)
open(path, "w").write(s)
PY
n=$(gitc "$git_tree" rev-list --count base..HEAD)
echo "  SERIES  $out ($n patches against $(cat "$patchdir/BASE_VERSION"))"

[ "$check" = "--check" ] || exit 0

work=$build/series-check
pristine_repo "$work"
patches=()
for p in "$out"/*.patch; do
	[ "${p##*/}" = 0000-cover-letter.patch ] || patches+=("$p")
done
gitc "$work" am -q "${patches[@]}"
echo "  AM      $n patches apply to a clean tree"

# The result must be the tree the build uses
while read -r f; do
	if [ -f "$work/$f" ] || [ -f "$linux/$f" ]; then
		cmp -s "$work/$f" "$linux/$f" ||
			{ echo "export-series: $f differs from build/$kernel_series/linux" >&2; exit 1; }
	fi
done < "$build/.touched-files"
echo "  SAME    the series gives build/$kernel_series/linux"

# Bisectability: the IOASID core and every converted user build at each step
cfg=$out_x86/.config
obj=$build/series-obj
mkdir -p "$obj"
cp "$cfg" "$obj/.config"
# and the series' edits of drivers no test kernel builds, object by object
objchk=$build/series-obj-chk
chkobjs=$(kernel_files | sed -n 's/\.c$/.o/p' | while read -r o; do
	if in_buildcheck_dirs "$o"; then echo "$o"; fi
done)
rm -f "$objchk/.config"
linux=$work buildcheck_config "$objchk" >/dev/null
for c in $(gitc "$work" rev-list --reverse base..HEAD); do
	gitc "$work" checkout -q "$c"
	subject=$(gitc "$work" log -1 --format=%s)
	linux=$work kmake -s O="$obj" ARCH=x86_64 olddefconfig >/dev/null
	linux=$work kmake -s O="$objchk" ARCH=x86_64 olddefconfig >/dev/null
	if ! linux=$work kmake -s O="$obj" ARCH=x86_64 W=1 \
		drivers/iommu/ drivers/dma/idxd/ kernel/fork.o kernel/cgroup/ >"$obj/build.log" 2>&1 ||
	   ! linux=$work kmake -s O="$objchk" ARCH=x86_64 W=1 $chkobjs >>"$obj/build.log" 2>&1; then
		echo "export-series: does not build at: $subject" >&2
		tail -20 "$obj/build.log" >&2
		exit 1
	fi
	echo "  BUILD   $subject"
done
