#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cgroup-doc.sh [--check]
#
# The ioasids section of Documentation/admin-guide/cgroup-v2.rst lives in
# patches/cgroup-v2-ioasids.rst, a page of its own that docs-check reads
# like every other; the patch that adds the controller carries it as a hunk
# of cgroup-v2.rst. Rewrite that hunk from the file, or with --check only
# say whether they differ.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

patch=$(ls "$patchdir"/*-cgroup-Add-the-ioasids-controller.patch)
python3 - "$patch" "$patchdir/cgroup-v2-ioasids.rst" "${1:-}" <<'PY'
import re
import sys

path, section, mode = sys.argv[1:4]
lines = open(path).read().split("\n")
text = open(section).read().rstrip("\n").split("\n") + [""]

# The hunk of cgroup-v2.rst that adds lines and removes none: the section
start = None
in_file = False
for i, line in enumerate(lines):
    if line.startswith("diff --git "):
        in_file = line.endswith(" b/Documentation/admin-guide/cgroup-v2.rst")
    elif in_file and line.startswith("@@ "):
        end = i + 1
        while end < len(lines) and lines[end][:1] in (" ", "+", "-") and \
                not lines[end].startswith("diff --git "):
            end += 1
        body = lines[i + 1:end]
        if any(l.startswith("-") for l in body):
            continue
        start = i
        break
if start is None:
    sys.exit("cgroup-doc: no section hunk of cgroup-v2.rst in " + path)

m = re.match(r"@@ -(\d+),(\d+) \+(\d+),(\d+) @@(.*)", lines[start])
# The hunk removes nothing: context before the section, the section, context
first = next(k for k, l in enumerate(body) if l.startswith("+"))
lead = body[:first]
tail = [l for l in body[first:] if not l.startswith("+")]
context = lead + tail
new_body = lead + ["+" + t if t else "+" for t in text] + tail
header = "@@ -%s,%d +%s,%d @@%s" % (m.group(1), len(context), m.group(3),
                                   len(context) + len(text), m.group(5))
new = lines[:start] + [header] + new_body + lines[end:]
if new == lines:
    sys.exit(0)
if mode == "--check":
    sys.exit("cgroup-doc: patches/cgroup-v2-ioasids.rst and the hunk of "
             "%s differ: run scripts/cgroup-doc.sh" % path.split("/")[-1])
open(path, "w").write("\n".join(new))
print("  DOC     cgroup-v2.rst section rewritten in " + path.split("/")[-1])
PY
