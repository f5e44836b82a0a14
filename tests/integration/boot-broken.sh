#!/usr/bin/env bash
# Broken ESPs (docs/boot.md "Errors"): each boots through scripts/testbed
# with --expect-halt, prints its documented console lines, and the loader
# powers the machine off well within the timeout: the guest never reaches
# /init and the test never hangs; then the test bed's own halt statuses.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/integration/lib/tap.sh
tap_begin openvbs-boot-broken

VBS_SIGN=build/host/vbs-sign
[ -x "$VBS_SIGN" ] && [ -f build/boot/vbsboot.efi ] ||
	{ not_ok "the loader and vbs-sign are built (make)"; exit 1; }
scripts/fetch-kernel --quiet || { not_ok "scripts/fetch-kernel"; exit 1; }
key=$("$VBS_SIGN" keyid) || { not_ok "vbs-sign keyid"; exit 1; }

# A second signing key, in a temp dir (outside any git work tree).
mkdir -p "$T/other-keys"
OPENVBS_KEYS=$T/other-keys "$VBS_SIGN" keygen >"$T/keygen.log" 2>&1 ||
	{ not_ok "vbs-sign keygen in a temp dir"; exit 1; }

# A signed but malformed policy: line 5 has an unknown key.
printf '%s\n' "openvbs-policy=1" "profile=minimum" "on_missing=boot-unprotected" \
	'kernel=\vmlinuz' "bogus=1" 'initrd=\initrd.img' "cmdline=console=ttyS0" \
	>"$T/malformed-policy.txt"

LIMIT=120
DEFAULT_LINE='OpenVBS: POLICY: using the built-in default: profile=oem, on_missing=halt, kernel=\vmlinuz, initrd=\initrd.img'
HALT_POLICY='OpenVBS: HALT: a property this policy requires is missing (on_missing=halt)'
HALT_KERNEL='OpenVBS: HALT: no usable kernel'

# broken NAME "testbed options" LINE... : every LINE is a prefix of a console
# line, and they come in this order.
broken() {
	local name=$1 opts=$2 rc start took want at last=0 missing=""
	shift 2
	start=$(date +%s)
	# shellcheck disable=SC2086  # options are words by design
	scripts/testbed $opts --expect-halt --timeout $LIMIT --log-dir "$T/$name" \
		>"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	took=$(( $(date +%s) - start ))
	echo "# $name: ${took}s"
	tr -d '\r' <"$T/$name/console.log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' >"$T/$name.console"
	check "$name: the loader halted and QEMU powered off (testbed --expect-halt exit $rc)" [ $rc -eq 0 ]
	check "$name: within the timeout (${took}s < ${LIMIT}s)" [ $took -lt $LIMIT ]
	for want in "$@"; do
		at=$(grep -a -n -m1 -F -- "$want" "$T/$name.console" | cut -d: -f1)
		if [ -z "$at" ] || [ "$at" -le "$last" ]; then
			missing=$want
			break
		fi
		last=$at
	done
	check "$name: the console shows the documented lines in order${missing:+ (missing: $missing)}" \
		[ -z "$missing" ]
	check "$name: the OS is not started" grep -aqF 'OpenVBS: the OS is not started; powering off in 5 s.' "$T/$name.console"
	check "$name: Linux never ran /init" bash -c "! grep -aq 'openvbs-ready' '$T/$name.console'"
}

broken no-policy "--esp-broken no-policy" \
	'OpenVBS: POLICY: no \EFI\OpenVBS\policy.txt on the ESP' \
	"$DEFAULT_LINE" "$HALT_POLICY"

broken unsigned "--esp-broken no-policy-sig" \
	'OpenVBS: POLICY: \EFI\OpenVBS\policy.txt is not signed (no policy.txt.sig)' \
	"$DEFAULT_LINE" "$HALT_POLICY"

broken corrupt-policy "--esp-broken corrupt-policy" \
	"OpenVBS: POLICY: \\EFI\\OpenVBS\\policy.txt.sig: signature REJECTED: signature does not verify (built-in key $key)" \
	'OpenVBS: POLICY: policy.txt ignored: bad signature' \
	"$DEFAULT_LINE" "$HALT_POLICY"

broken other-key "--sign-keys $T/other-keys" \
	"OpenVBS: POLICY: \\EFI\\OpenVBS\\policy.txt.sig: signature REJECTED: signed with a key other than the built-in one (built-in key $key)" \
	'OpenVBS: POLICY: policy.txt ignored: bad signature' \
	"$DEFAULT_LINE" "$HALT_POLICY"

broken malformed-policy "--policy $T/malformed-policy.txt" \
	'OpenVBS: POLICY: \EFI\OpenVBS\policy.txt line 5: unknown key' \
	'OpenVBS: POLICY: policy.txt ignored: malformed' \
	"$DEFAULT_LINE" "$HALT_POLICY"

broken no-kernel "--esp-broken no-kernel" \
	'OpenVBS: ERROR: kernel \vmlinuz not found on the ESP' \
	"$HALT_KERNEL"

broken truncated-kernel "--esp-broken truncate-kernel" \
	'OpenVBS: read kernel \vmlinuz (1048576 bytes)' \
	'OpenVBS: ERROR: kernel \vmlinuz: truncated: a section ends past the end of the file (section' \
	"$HALT_KERNEL"

broken no-initrd "--esp-broken no-initrd" \
	'OpenVBS: ERROR: initrd \initrd.img not found on the ESP' \
	'OpenVBS: HALT: no usable initrd'

# The test bed's halt statuses themselves: a halt without --expect-halt is
# a test-bed failure (125) that shows the loader's lines; --expect-halt on
# a boot that reaches Linux is 1.
scripts/testbed --no-tpm --esp-broken no-kernel --timeout $LIMIT --log-dir "$T/halt" -- true >/dev/null 2>"$T/halt.err"
rc=$?
check "a halt without --expect-halt is a test-bed failure (125, got $rc)" [ $rc -eq 125 ]
check "... and stderr shows the loader's lines" \
	grep -qF 'OpenVBS: ERROR: kernel \vmlinuz not found on the ESP' "$T/halt.err"
scripts/testbed --no-tpm --expect-halt --timeout $LIMIT --log-dir "$T/nohalt" >/dev/null 2>"$T/nohalt.err"
rc=$?
check "--expect-halt on a boot that reaches Linux exits 1 (got $rc)" [ $rc -eq 1 ]

if [ $failures -ne 0 ]; then
	for f in "$T"/*.console; do
		echo "# --- $f (OpenVBS lines)"
		grep -a 'OpenVBS' "$f" | sed 's/^/# /'
	done
	exit 1
fi
exit 0
