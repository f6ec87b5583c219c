#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lay out the patched kernel tree under build/:
#   build/src/linux-source-6.1  pristine, extracted once from Debian's tarball
#   build/linux                 pristine + patches/series + the project's files
#
# Only files the project touches are rewritten, and only when their content
# changes, so make and ccache see an unchanged tree as unchanged.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
tarball=${KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
base_version=$(cat "$top/patches/BASE_VERSION")
src=$build/src/linux-source-6.1
tree=$build/linux
stage=$build/stage
touched=$build/.touched-files

# Project files that live at kernel paths (everything else is userspace).
overlay_roots="Documentation drivers include kernel"

if [ ! -f "$src/.extracted" ]; then
	[ -f "$tarball" ] || { echo "prepare-tree: $tarball missing (apt-get install linux-source-6.1)" >&2; exit 1; }
	echo "  EXTRACT $tarball"
	rm -rf "$build/src" && mkdir -p "$build/src"
	tar -C "$build/src" -xf "$tarball"
	touch "$src/.extracted"
fi

version=$(make -s -C "$src" kernelversion 2>/dev/null)
case "$version" in
6.1.*)	sub=${version#6.1.}; basesub=${base_version#6.1.}
	if [ "${sub%%[!0-9]*}" -gt "$basesub" ]; then
		echo "prepare-tree: warning: kernel $version is newer than $base_version, the base this series was last tested on" >&2
	elif [ "${sub%%[!0-9]*}" -lt "$basesub" ]; then
		echo "prepare-tree: warning: kernel $version is older than $base_version" >&2
	fi ;;
*)	echo "prepare-tree: $tarball holds $version, not a 6.1.y kernel" >&2; exit 1 ;;
esac

if [ ! -f "$tree/.copied" ]; then
	echo "  COPY    $tree"
	rm -rf "$tree"
	cp -a "$src" "$tree"
	rm -f "$tree/.extracted"
	touch "$tree/.copied"
fi

mapfile -t patches < <(grep -v '^\s*#' "$top/patches/series" | sed '/^\s*$/d' | awk '{print $1}')
overlay=$(cd "$top" && for d in $overlay_roots; do
	if [ -d "$d" ]; then find "$d" -type f ! -name "*.orig" ! -name "*~"; fi
done | sort)

{
	for p in "${patches[@]}"; do
		sed -n -e 's,^--- a/\([^\t ]*\).*,\1,p' -e 's,^+++ b/\([^\t ]*\).*,\1,p' "$top/patches/$p"
	done
	echo "$overlay"
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

# Each patch, then the new files patches/overlay assigns to it, so that a
# later patch may edit a file an earlier one added
for p in "${patches[@]}"; do
	if ! patch -d "$stage" -p1 -s -f --no-backup-if-mismatch < "$top/patches/$p"; then
		echo "prepare-tree: patches/$p does not apply to $version" >&2
		exit 1
	fi
	for f in $(awk -v p="$p" '$1 == p { print $2 }' "$top/patches/overlay"); do
		lay "$f"
	done
done
# Files not yet assigned to a patch (work in progress) come last
for f in $overlay; do
	grep -q " $f\$" "$top/patches/overlay" || lay "$f"
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
