#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fail if a =y or =n line of the fragment did not survive olddefconfig.
set -euo pipefail
config=$1 fragment=$2 bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=y) grep -qx "$line" "$config" || { echo "check-config: $line did not stick" >&2; bad=1; } ;;
	CONFIG_*=n) sym=${line%=n}; grep -q "^$sym=" "$config" && { echo "check-config: $sym still set" >&2; bad=1; } ;;
	esac
done < "$fragment"
exit $bad
