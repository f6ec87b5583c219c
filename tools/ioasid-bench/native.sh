#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# native.sh: the native rows of "make bench". UML runs kernel code on the
# host CPU, so tools/ioasid-bench/ioasid_bench.c is built into two UML
# kernels of one configuration (configs/bench-uml.config), this project's
# 6.1 and pristine 6.1, and run at boot; it needs no userspace. Into
# build/6.1/bench/: uml-{patched,pristine}/{src,out,boot.log}, and
# native.jsonl, the rows of both boots.
#
# Neither tree is touched: each kernel is built from a copy of its tree made
# of hard links (cp -al), with the benchmark in lib/ and, in this project's
# copy, pristine 6.1's drivers/iommu/ioasid.c beside it as lib/ioasid61.c,
# its symbols renamed v61_*, so that 6.1's allocator and this core run in
# the same boot. Generated files are written as new files, never through a
# link (the copy is made anew each run: make recompiles lib/ioasid61.c).
# BENCH_ARGS adds to the kernel command line (ioasid_bench.only=ROW,
# ioasid_bench.rounds=N: see ioasid_bench.c).
set -euo pipefail

export KERNEL=6.1
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

b=$build/bench
mkdir -p "$b"
if [ ! -d "$src" ] || [ ! -d "$linux" ]; then
	echo "bench: no 6.1 trees; run make tree" >&2
	exit 1
fi

# v61 FILE: 6.1's IOASID allocator or header with every symbol renamed
v61() {
	sed -e 's/\bioasid_/v61_ioasid_/g' \
	    -e 's/\bINVALID_IOASID\b/V61_INVALID_IOASID/g' \
	    -e 's/\bpasid_valid\b/v61_pasid_valid/g' \
	    -e 's/\bDECLARE_IOASID_SET\b/v61_DECLARE_IOASID_SET/g' \
	    -e 's/__LINUX_IOASID_H/__V61_IOASID_H/g' \
	    -e 's/IS_ENABLED(CONFIG_IOASID)/1/' \
	    -e 's|#include <linux/ioasid.h>|#include "ioasid61.h"|' \
	    -e '/^EXPORT_SYMBOL/d' -e '/^MODULE_/d' "$1"
}

# put FILE: stdin into FILE as a new file: FILE may be a hard link into a
# tree, which must not change
put() {
	local t
	t=$(mktemp "$1.XXXXXX")
	cat > "$t"
	mv -f "$t" "$1"
}

# prepare NAME TREE: the copy of TREE with the benchmark in lib/
prepare() {
	local name=$1 tree=$2 d=$b/uml-$1/src
	rm -rf "$d"
	mkdir -p "$(dirname "$d")"
	cp -al "$tree" "$d"
	cp -p "$top/tools/ioasid-bench/ioasid_bench.c" "$d/lib/ioasid_bench.c"
	local objs=ioasid_bench.o
	if [ "$name" = patched ]; then
		v61 "$src/include/linux/ioasid.h" | put "$d/lib/ioasid61.h"
		v61 "$src/drivers/iommu/ioasid.c" | put "$d/lib/ioasid61.c"
		objs="$objs ioasid61.o"
	fi
	{ cat "$tree/lib/Makefile"; echo "obj-\$(CONFIG_IOASID_BENCH) += $objs"; } | put "$d/lib/Makefile"
	{ cat "$tree/lib/Kconfig.debug"; cat <<-'EOF'

	config IOASID_BENCH
		bool "IOASID benchmark at boot (make bench; powers off)"
		select IOASID
		help
		  tools/ioasid-bench/ioasid_bench.c, not for a kernel anyone runs.
	EOF
	} | put "$d/lib/Kconfig.debug"
}

# build NAME: the UML kernel, through ccache
build_uml() {
	local name=$1 d=$b/uml-$1/src out=$b/uml-$1/out
	mkdir -p "$out"
	if ! cmp -s "$top/configs/bench-uml.config" "$out/fragment.config"; then
		cp "$top/configs/bench-uml.config" "$out/.config"
		make -s -C "$d" O="$out" ARCH=um CC="$kcc" HOSTCC="$kcc" olddefconfig
		cp "$top/configs/bench-uml.config" "$out/fragment.config"
	fi
	echo "  UML     $name 6.1 with the benchmark (build/6.1/bench/uml-$name)"
	make -C "$d" O="$out" ARCH=um CC="$kcc" HOSTCC="$kcc" -j"$jobs" linux \
		> "$out/build.log" 2>&1 || { tail -30 "$out/build.log" >&2; exit 1; }
	grep -q '^CONFIG_IOASID_BENCH=y' "$out/.config" ||
		{ echo "bench: CONFIG_IOASID_BENCH did not stick in $out/.config" >&2; exit 1; }
}

# boot NAME: run it; the benchmark powers the kernel off when done
boot_uml() {
	local name=$1 log=$b/uml-$1/boot.log
	echo "  BOOT    $name (UML, native)"
	local -a args
	read -r -a args <<< "${BENCH_ARGS:-}"
	timeout 900 "$b/uml-$name/out/linux" mem=2G console=tty0 "${args[@]}" \
		< /dev/null > "$log" 2>&1 || true
	grep -q '"row":"done","status":0' "$log" || {
		echo "bench: the $name boot did not finish; see $log" >&2
		grep -E 'BENCH|ioasid_bench|panic|BUG' "$log" | tail -20 >&2
		exit 1
	}
	sed -n 's/.*ioasid_bench: BENCH //p' "$log" >> "$b/native.jsonl"
}

: > "$b/native.jsonl"
# BENCH_KERNELS: which of the two to build and boot (both by default)
kernels=${BENCH_KERNELS:-patched pristine}
for k in $kernels; do
	case $k in
	patched) prepare patched "$linux" ;;
	pristine) prepare pristine "$src" ;;
	*) echo "bench: BENCH_KERNELS: $k is neither patched nor pristine" >&2; exit 2 ;;
	esac
	build_uml "$k"
done
for k in $kernels; do
	boot_uml "$k"
done
echo "  JSON    $b/native.jsonl ($(wc -l < "$b/native.jsonl") rows)"
