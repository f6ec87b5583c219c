#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: the in-kernel rows of "make bench". Builds ioasid_bench.ko against
# this project's x86_64 kernel (build/out-x86_64, from make kernel-x86) and
# against pristine 6.1 built with the same configuration
# (build/bench/x86-pristine), boots each under QEMU and loads the module
# from cgroups at depth 1, 4 and 16 (tests/bench-kernel/). Appends the
# module's JSON lines to build/bench/kernel.jsonl.
#
# Why not UML, which runs kernel code at native speed: UML 6.1 cannot start
# a userspace process on hosts whose XSAVE area is larger than it expects
# ("ptrace set fp regs failed, errno = 14"), and loading the module from a
# task in a cgroup needs one. Under TCG every row is slowed alike; the
# figures that matter are the ratios between rows of one boot.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

b=$build/bench
mkdir -p "$b"
: > "$b/kernel.jsonl"

pristine=$src
[ -d "$pristine" ] || { echo "bench: no pristine tree; run make tree" >&2; exit 1; }

# xmake TREE OUT ARGS...: kmake in TREE
xmake() {
	local tree=$1 out=$2
	shift 2
	linux=$tree kmake -s O="$out" ARCH=x86_64 "$@"
}

# The pristine kernel: allnoconfig + this project's fragment (whose new
# options 6.1 does not know are dropped), so both kernels match
build_pristine() {
	local out=$b/x86-pristine
	mkdir -p "$out"
	if [ ! -f "$out/.config" ] || [ "$top/configs/x86_64.config" -nt "$out/.config" ]; then
		xmake "$pristine" "$out" KCONFIG_ALLCONFIG="$top/configs/x86_64.config" \
			allnoconfig >/dev/null 2>&1
	fi
	echo "  KERNEL  pristine 6.1 x86_64 (build/bench/x86-pristine)"
	xmake "$pristine" "$out" bzImage modules > "$out/build.log" 2>&1 ||
		{ tail -20 "$out/build.log" >&2; exit 1; }
}

# build_mod NAME SRC OUT: the module, with the kernel's own page_counter.c
# compiled in (page_counter is not exported to modules)
build_mod() {
	local name=$1 src=$2 out=$3 mod
	mod=$b/mod-$name
	mkdir -p "$mod"
	ln -sf "$top/tools/ioasid-bench/ioasid_bench.c" "$mod/ioasid_bench.c"
	echo "#include \"$src/mm/page_counter.c\"" > "$mod/bench_page_counter.c"
	printf 'obj-m := ioasid-bench.o\nioasid-bench-y := ioasid_bench.o bench_page_counter.o\n' \
		> "$mod/Kbuild"
	echo "  MODULE  ioasid-bench.ko for $name"
	xmake "$src" "$out" M="$mod" modules > "$mod/build.log" 2>&1 ||
		{ tail -20 "$mod/build.log" >&2; exit 1; }
}

# boot NAME BZIMAGE DEPTHS
boot() {
	local name=$1 kernel=$2 depths=$3
	VM_OUT=$b/vm-$name "$top/scripts/run-vm.sh" "$kernel" tests/bench-kernel \
		BENCH_MOD="$b/mod-$name/ioasid-bench.ko" BENCH_DEPTHS="$depths" || {
		echo "bench: the $name kernel run failed; see $b/vm-$name/" >&2
		exit 1
	}
	sed -n 's/^# BENCH //p' "$b/vm-$name/bats.tap" >> "$b/kernel.jsonl"
}

[ -f "$out_x86/Module.symvers" ] || xmake "$linux" "$out_x86" modules >/dev/null
build_mod patched "$linux" "$out_x86"
build_pristine
build_mod pristine "$pristine" "$b/x86-pristine"
boot patched "$bzimage_x86" 1,4,16
boot pristine "$b/x86-pristine/arch/x86/boot/bzImage" 1
echo "  JSON    $b/kernel.jsonl ($(wc -l < "$b/kernel.jsonl") rows)"
