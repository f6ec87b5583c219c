#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs-check.sh: the project's documentation as the kernel's documentation
# build reads it. scripts/kernel-doc over every .c and .h file the project
# adds, and docutils over every .rst page it adds and over the section of
# cgroup-v2.rst it keeps in patches/cgroup-v2-ioasids.rst (kernel-doc
# directives stubbed out), with each title's adornment as long as the title;
# that section must be the one the series adds. Any warning fails.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

rc=0
for f in $(new_files | grep -E '\.[ch]$'); do
	out=$("$linux/scripts/kernel-doc" -none "$top/$f" 2>&1)
	if [ -n "$out" ]; then
		echo "$out"
		rc=1
	fi
done

# The pages the project adds, and the section it adds to cgroup-v2.rst
for f in $(new_files | grep '\.rst$') "patches/$kernel_series/cgroup-v2-ioasids.rst"; do
	python3 - "$top/$f" <<'PY' || rc=1
import io
import re
import sys

from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives


class KernelDoc(Directive):
    """Stands in for Documentation/sphinx/kerneldoc.py: nothing to render."""
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {o: directives.unchanged for o in
                   ("doc", "export", "internal", "functions", "identifiers",
                    "no-identifiers")}

    def run(self):
        return []


directives.register_directive("kernel-doc", KernelDoc)
path = sys.argv[1]
text = open(path).read()
err = io.StringIO()
publish_doctree(text, source_path=path,
                settings_overrides={"report_level": 2, "halt_level": 5,
                                    "warning_stream": err})
bad = err.getvalue()
lines = text.split("\n")
adorn = re.compile(r"^([=\-~^\"'`#*+])\1{2,}$")
for i, line in enumerate(lines):
    if not adorn.match(line):
        continue
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines) and lines[j].strip() and \
           not adorn.match(lines[j]) and not lines[j].startswith(".."):
            if len(line) != len(lines[j]) and \
               (j == i - 1 or (i + 2 < len(lines) and lines[i + 2] == line)):
                bad += "%s:%d: adornment of %d for a title of %d\n" % (
                    path, i + 1, len(line), len(lines[j]))
            break
print(bad, end="")
sys.exit(1 if bad else 0)
PY
done
# ...which must be the section the series adds
"$top/scripts/cgroup-doc.sh" --check || rc=1

[ $rc -eq 0 ] && echo "  DOCS    kernel-doc and docutils clean: $(new_files | grep -cE '\.([ch]|rst)$') files"
exit $rc
