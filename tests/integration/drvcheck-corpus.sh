#!/usr/bin/env bash
# vbs-drvcheck (docs/drvcheck.md) on real inputs: every module of the pinned
# Debian kernel scanned without a crash or an invalid file, in under a
# minute; the JSON output parses and agrees with the file count; exit codes;
# a module signed by the kernel's own scripts/sign-file loses ELF-SIG and
# verifies (--cert) against its certificate only, and not once tampered with.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/integration/lib/tap.sh
tap_begin openvbs-drvcheck

DC=build/bin/vbs-drvcheck
FIX=build/tests/drv-fixtures
[ -x "$DC" ] || { not_ok "vbs-drvcheck is built (make)"; exit 1; }
scripts/fetch-kernel --quiet || { not_ok "scripts/fetch-kernel"; exit 1; }
MODS=build/kernel/current/modules/kernel
expected=$(find -L "$MODS" -name '*.ko' | wc -l)
[ "$expected" -gt 1000 ] && ok "the pinned kernel has $expected modules" ||
	not_ok "the pinned kernel has modules (found $expected)"

# The corpus scan, timed; exit 0 (clean) or 1 (findings), never 2 or a signal.
start=$(date +%s%N)
"$DC" --json "$MODS" >"$T/corpus.json" 2>"$T/corpus.err"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
secs=$(awk -v ms="$ms" 'BEGIN { printf "%.2f", ms / 1000 }')
echo "# corpus scan: $expected modules in ${secs}s, exit $rc"
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] && ok "corpus scan exits $rc (no invalid file, no crash)" ||
	not_ok "corpus scan exits $rc: $(head -3 "$T/corpus.err")"
[ "$ms" -lt 60000 ] && ok "corpus scan within a minute (${secs}s)" ||
	not_ok "corpus scan took ${secs}s (limit 60)"
files=$(jq -r '.summary.files' "$T/corpus.json" 2>/dev/null)
invalid=$(jq -r '.summary.invalid' "$T/corpus.json" 2>/dev/null)
[ "$files" = "$expected" ] && [ "$invalid" = 0 ] &&
	ok "JSON summary: $files files, 0 invalid" ||
	not_ok "JSON summary: files=$files (want $expected) invalid=$invalid"
listed=$(jq -r '.files | length' "$T/corpus.json" 2>/dev/null)
[ "$listed" = "$expected" ] && ok "JSON lists every module" ||
	not_ok "JSON lists $listed of $expected modules"
# Debian signs its modules: none may lack a signature.
unsigned=$(jq -r '[.files[].findings[] | select(.id == "ELF-SIG")] | length' "$T/corpus.json")
[ "$unsigned" = 0 ] && ok "every Debian module has a signature trailer" ||
	not_ok "$unsigned Debian modules reported unsigned"
# Rules for what the module loader refuses cannot fire on modules that load.
refused=$(jq -r '[.files[].findings[] | select(.id | test("^ELF-(RELOC-|WX$)"))] | length' "$T/corpus.json")
[ "$refused" = 0 ] && ok "no relocation or W+X finding on Debian's modules (all load on this kernel)" ||
	not_ok "$refused relocation/W+X findings on Debian modules: $(jq -r '[.files[] | select(any(.findings[]; .id | test("^ELF-(RELOC-|WX$)"))) | .path] | .[:3] | join(" ")' "$T/corpus.json")"
echo "# corpus findings by id:"
jq -r '.files[].findings[].id' "$T/corpus.json" | sort | uniq -c | sed 's/^/#   /'

# Exit codes.
"$DC" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 64 ] && ok "no argument: exit 64" || not_ok "no argument: exit $rc, want 64"
"$DC" --bogus x >/dev/null 2>&1; rc=$?
[ "$rc" -eq 64 ] && ok "unknown option: exit 64" || not_ok "unknown option: exit $rc, want 64"
"$DC" "$T/does-not-exist.ko" >"$T/out" 2>&1; rc=$?
[ "$rc" -eq 2 ] && grep -q "error: No such file" "$T/out" &&
	ok "missing file: exit 2 with the reason" || not_ok "missing file: exit $rc: $(cat "$T/out")"
head -c 100 "$MODS/fs/fat/fat.ko" >"$T/trunc.ko"
"$DC" "$T/trunc.ko" >"$T/out" 2>&1; rc=$?
[ "$rc" -eq 2 ] && grep -q "truncated" "$T/out" &&
	ok "truncated module: exit 2, says truncated" || not_ok "truncated module: exit $rc: $(cat "$T/out")"

# Fixtures from tests/unit/drv.mk (gcc, mingw-w64): a finding is exit 1.
if [ -f "$FIX/elf_setx.o" ] && [ -f "$FIX/pe_clean.sys" ]; then
	"$DC" "$FIX/pe_clean.sys" >"$T/out"; rc=$?
	[ "$rc" -eq 0 ] && ok "clean PE driver: exit 0" || not_ok "clean PE driver: exit $rc"
	"$DC" "$FIX/elf_setx.o" >"$T/out"; rc=$?
	[ "$rc" -eq 1 ] && grep -q "fail ELF-XMEM imports set_memory_x" "$T/out" &&
		ok "set_memory_x importer: exit 1, ELF-XMEM" || not_ok "set_memory_x importer: exit $rc"
	# Signed with the pinned kernel's own sign-file and a throwaway key.
	openssl req -new -nodes -utf8 -sha256 -days 1 -batch -x509 -subj /CN=drvcheck-test \
		-newkey rsa:2048 -keyout "$T/key.pem" -out "$T/key.pem" >/dev/null 2>&1
	cp "$FIX/elf_clean.o" "$T/clean.ko"
	"$DC" "$T/clean.ko" >"$T/out"
	grep -q "warn ELF-SIG" "$T/out" && ok "unsigned module: ELF-SIG" ||
		not_ok "unsigned module: no ELF-SIG"
	if build/kernel/current/headers/scripts/sign-file sha256 "$T/key.pem" "$T/key.pem" "$T/clean.ko"; then
		"$DC" "$T/clean.ko" >"$T/out"; rc=$?
		[ "$rc" -eq 0 ] && ok "module signed by sign-file: exit 0" ||
			not_ok "module signed by sign-file: exit $rc: $(cat "$T/out")"
		"$DC" --cert "$T/key.pem" "$T/clean.ko" >"$T/out"; rc=$?
		[ "$rc" -eq 0 ] && ok "signature verifies against the signing certificate" ||
			not_ok "signature against its own certificate: exit $rc: $(cat "$T/out")"
		openssl req -new -nodes -utf8 -sha256 -days 1 -batch -x509 -subj /CN=other \
			-newkey rsa:2048 -keyout "$T/other.pem" -out "$T/other.pem" >/dev/null 2>&1
		"$DC" --cert "$T/other.pem" "$T/clean.ko" >"$T/out"; rc=$?
		[ "$rc" -eq 1 ] && grep -q "fail ELF-SIG-UNTRUSTED" "$T/out" &&
			ok "another certificate: ELF-SIG-UNTRUSTED, exit 1" ||
			not_ok "another certificate: exit $rc: $(cat "$T/out")"
		# One byte of the signed body changed (inside the ELF header padding).
		cp "$T/clean.ko" "$T/tampered.ko"
		printf '\x01' | dd of="$T/tampered.ko" bs=1 seek=9 conv=notrunc status=none
		"$DC" --cert "$T/key.pem" "$T/tampered.ko" >"$T/out"; rc=$?
		[ "$rc" -eq 1 ] && grep -q "fail ELF-SIG-UNTRUSTED" "$T/out" &&
			ok "tampered signed module: ELF-SIG-UNTRUSTED" ||
			not_ok "tampered signed module: exit $rc: $(cat "$T/out")"
		"$DC" --cert "$T/key.pem" "$MODS/fs/fat/fat.ko" >"$T/out"; rc=$?
		[ "$rc" -eq 1 ] && grep -q "ELF-SIG-UNTRUSTED" "$T/out" &&
			ok "Debian module against a foreign certificate: ELF-SIG-UNTRUSTED" ||
			not_ok "Debian module against a foreign certificate: exit $rc"
	else
		not_ok "scripts/sign-file of the pinned kernel signs a module"
	fi
else
	not_ok "fixtures of tests/unit/drv.mk are built (make test builds them)"
fi

exit $((failures > 0))
