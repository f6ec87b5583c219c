# SPDX-License-Identifier: GPL-2.0
# Shared by the suites that run under systemd as PID 1 (tests/vm/init-systemd.sh)
load ../helpers

UNITS=/etc/systemd/system

# unit_cg UNIT: the unit's cgroup directory
unit_cg() {
	echo "$CG$(systemctl show -P ControlGroup "$1")"
}

# wait_line FILE TEXT: wait (up to 10 s) until FILE has the line TEXT
wait_line() {
	local i
	for i in $(seq 200); do
		grep -qxF "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "wait_line: '$2' never appeared in $1:" >&2
	cat "$1" >&2 2>/dev/null
	return 1
}

# holder_unit NAME SLICE ARGS...: a service in SLICE running
# "ioasid_holder -H ARGS", its stdout and stderr in /run/NAME.{out,err}
holder_unit() {
	local name=$1 slice=$2
	shift 2
	cat > $UNITS/$name.service <<UNIT
[Service]
Slice=$slice
ExecStart=$HOLDER -H $*
StandardOutput=file:/run/$name.out
StandardError=file:/run/$name.err
UNIT
}

# sd_cleanup UNIT...: stop the units, forget their files and drop-ins
sd_cleanup() {
	local u
	systemctl stop "$@" 2>/dev/null || true
	for u in "$@"; do
		rm -rf "$UNITS/$u" "$UNITS/$u.d" "/etc/systemd/system.control/$u.d" \
			"/run/systemd/system.control/$u.d" "/run/${u%.*}.out" "/run/${u%.*}.err"
	done
	systemctl daemon-reload
	systemctl reset-failed 2>/dev/null || true
}
