#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lay out the patched kernel tree under build/:
#   build/KERNEL/src/linux-source-KERNEL  pristine, extracted once from
#                                         Debian's tarball
#   build/KERNEL/linux                    pristine + patches/KERNEL/series +
#                                         the project's files
#
# Only files the project touches are rewritten, and only when their content
# changes, so make and ccache see an unchanged tree as unchanged.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

base_version=$(cat "$patchdir/BASE_VERSION")
tree=$linux
stage=$build/stage
touched=$build/.touched-files

if [ ! -f "$src/.extracted" ]; then
	[ -f "$kernel_tarball" ] || { echo "prepare-tree: $kernel_tarball missing (apt-get install linux-source-$kernel_series)" >&2; exit 1; }
	echo "  EXTRACT $kernel_tarball"
	rm -rf "$build/src" && mkdir -p "$build/src"
	tar -C "$build/src" -xf "$kernel_tarball"
	touch "$src/.extracted"
fi

version=$(make -s -C "$src" kernelversion 2>/dev/null)
case "$version" in
"$kernel_series".*)
	sub=${version#"$kernel_series".}; basesub=${base_version#"$kernel_series".}
	if [ "${sub%%[!0-9]*}" -gt "$basesub" ]; then
		echo "prepare-tree: warning: kernel $version is newer than $base_version, the base this series was last tested on" >&2
	elif [ "${sub%%[!0-9]*}" -lt "$basesub" ]; then
		echo "prepare-tree: warning: kernel $version is older than $base_version" >&2
	fi ;;
*)	echo "prepare-tree: $kernel_tarball holds $version, not a $kernel_series.y kernel" >&2; exit 1 ;;
esac

if [ ! -f "$tree/.copied" ]; then
	echo "  COPY    $tree"
	rm -rf "$tree"
	cp -a "$src" "$tree"
	rm -f "$tree/.extracted"
	touch "$tree/.copied"
fi

mapfile -t patches < <(series_patches)
overlay=$(new_files)

# What the project touches now, and what it touched before (to restore)
{
	kernel_files
	if [ -f "$touched" ]; then cat "$touched"; fi
} | sed '/^$/d' | sort -u > "$touched.new"

rm -rf "$stage" && mkdir -p "$stage"
while read -r f; do
	if [ -f "$src/$f" ]; then
		mkdir -p "$stage/$(dirname "$f")"
		cp -p "$src/$f" "$stage/$f"
	fi
done < "$touched.new"

lay() {
	mkdir -p "$stage/$(dirname "$1")"
	cp "$top/$1" "$stage/$1"
}

# Each patch, then the new files patches/KERNEL/overlay assigns to it, so that a
# later patch may edit a file an earlier one added
for p in "${patches[@]}"; do
	if patch_has_diff "$p" &&
	   ! patch -d "$stage" -p1 -s -f --no-backup-if-mismatch < "$patchdir/$p"; then
		echo "prepare-tree: patches/$kernel_series/$p does not apply to $version" >&2
		exit 1
	fi
	for f in $(overlay_files "$p"); do
		lay "$f"
	done
done
# Files not yet assigned to a patch (work in progress) come last
for f in $overlay; do
	[ -n "$(overlay_patch "$f")" ] || lay "$f"
done

changed=0
while read -r f; do
	if [ -f "$stage/$f" ]; then
		if ! cmp -s "$stage/$f" "$tree/$f"; then
			mkdir -p "$tree/$(dirname "$f")"
			cp "$stage/$f" "$tree/$f"
			changed=$((changed + 1))
		fi
	elif [ -e "$tree/$f" ]; then
		rm -f "$tree/$f"
		changed=$((changed + 1))
	fi
done < "$touched.new"
mv "$touched.new" "$touched"
echo "  TREE    $tree ($version, ${#patches[@]} patches, $changed files updated)"
