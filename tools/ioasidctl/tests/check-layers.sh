#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ioasidctl's layering, checked from the #include lines (calls follow them:
# -Werror refuses an undeclared function). usage: check-layers.sh [-v]
#   library  parse cgroupfs unit output ioasid_dev holders (+ util.h): each .c
#            includes its own header and, below it, only parse.h and util.h;
#            no library header includes a project header
#   verbs    verbs_cgroup.c verbs_holders.c verbs_dev.c: the library and verbs.h
#   main     ioasidctl.c: the library and verbs.h
# No file includes a .c file or a header above its layer: no cycle.
# -v prints the graph. Exit 1 on a violation.
cd "$(dirname "$0")/.." || exit 1
lib="parse cgroupfs unit output ioasid_dev holders"
bad=0

incs() {
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$1" | tr '\n' ' '
}

allow() {	# FILE ALLOWED-HEADERS...
	f=$1
	shift
	for h in $(incs "$f"); do
		case " $* " in
		*" $h "*) ;;
		*) echo "check-layers: $f includes $h" >&2; bad=1 ;;
		esac
	done
	[ "$verbose" ] && echo "$f -> $(incs "$f")"
}

[ "$1" = -v ] && verbose=1
libh=util.h
for l in $lib; do
	libh="$libh $l.h"
	allow "$l.h" linux/ioasid.h
done
allow util.h
allow parse.c parse.h
allow cgroupfs.c cgroupfs.h parse.h
allow unit.c unit.h util.h
allow output.c output.h
allow ioasid_dev.c ioasid_dev.h
allow holders.c cgroupfs.h holders.h parse.h util.h
allow verbs.h
for f in verbs_*.c; do
	allow "$f" $libh verbs.h
done
allow ioasidctl.c $libh verbs.h
for f in *.c *.h; do
	case " $lib util verbs verbs_cgroup verbs_holders verbs_dev ioasidctl " in
	*" ${f%.?} "*) ;;
	*) echo "check-layers: $f: a file this script does not know" >&2; bad=1 ;;
	esac
done
exit $bad
