# shellcheck shell=bash
# TAP helpers for the integration scripts (sourced after `cd` to the
# repository root). tests/run counts the "ok - ..." / "not ok - ..." lines.
#
#   tap_begin NAME   a private temp dir in $T, removed on exit; failures=0
#   ok TEXT / not_ok TEXT / check TEXT COMMAND...
#
# Sourcing this file also makes the sourcing script immune to edits while
# it runs. Bash reads a script as it goes, so an in-place edit of a test
# during its minutes of boots would change that run midway; a sourced file
# bash reads whole before it runs any of it. So the script starts again
# here, once, as `bash -c '. SCRIPT' SCRIPT ARG...` in the same process
# (exec), with $0 the script's absolute path and the same arguments; what
# it did before sourcing this file (set, cd, variables) runs again; a
# trace (bash -x SCRIPT) goes on.
tap_self=$PWD/tests/integration/${0##*/}
if [ "${OPENVBS_TAP_WHOLE:-}" != "$tap_self" ] && [ -f "$tap_self" ]; then
	export OPENVBS_TAP_WHOLE=$tap_self
	tap_trace=+x
	[[ $- != *x* ]] || tap_trace=-x
	exec bash "$tap_trace" -c '. "$0"' "$tap_self" "$@"
fi
unset tap_self

tap_begin() { # name
	T=$(mktemp -d -t "$1.XXXXXX") || { echo "not ok - cannot make a temp dir"; exit 1; }
	trap 'rm -rf "$T"' EXIT
	failures=0
}
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }
check() { # description command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
