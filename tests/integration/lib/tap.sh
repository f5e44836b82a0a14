# shellcheck shell=bash
# TAP helpers for the integration scripts (sourced after `cd` to the
# repository root). tests/run counts the "ok - ..." / "not ok - ..." lines.
#
#   tap_begin NAME   a private temp dir in $T, removed on exit; failures=0
#   ok TEXT / not_ok TEXT / check TEXT COMMAND...

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
