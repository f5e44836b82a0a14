#!/usr/bin/env bash
# The boot matrix: each platform variant boots through the loader
# (vbsboot.efi on an ESP, scripts/testbed's default), the loader's firmware
# report on the console matches how the platform was configured, and the
# guest reaches /init (the command runs there and reports its status).
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
#
# Platform facts behind the expectations (docs/testbed.md, docs/boot.md):
#   R1 (VT-x/AMD-V), R2 (SLAT)  SVM+NPT exposed -> PASS/NOTE; --no-svm -> FAIL
#   R3 (IOMMU)  intel-iommu / amd-iommu -> WARN "all PCI fns covered; DMA
#               opt-in flag clear" (QEMU sets neither opt-in flag) or PASS
#   R4 (TPM)    swtpm -> PASS; --no-tpm -> not PASS, and nothing is measured
#   R5 (WSMT)   OVMF publishes none -> FAIL; injected wsmt-full.aml -> PASS
#   the test bed's policy (profile=minimum, on_missing=boot-unprotected):
#   every variant is "not-ready" (no Secure Boot) and boots UNPROTECTED.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-boot-matrix

scripts/fetch-kernel --quiet || { not_ok "scripts/fetch-kernel"; exit 1; }
krelease=$(cat build/kernel/release)
WSMT=tests/fixtures/acpi/wsmt-full.aml
[ -f "$WSMT" ] || { not_ok "$WSMT is missing"; exit 1; }

# The console without CRs and terminal escapes.
console() { tr -d '\r' <"$T/$1/console.log" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'; }
# The status word of the report line whose description matches REGEX.
status_of() { # name regex
	console "$1" | grep -a -m1 "^ *VBS: Checking for .*$2.* : " |
		sed 's/.* : \([A-Z]*\).*/\1/'
}
line_no() { # name fixed-string: first console line holding it
	console "$1" | grep -a -n -m1 -F -- "$2" | cut -d: -f1
}
is_one_of() { # value alternatives (a|b)
	[[ $1 =~ ^($2)$ ]]
}

# The command proves /init ran it: the kernel's release, the firmware
# report variable the loader published (efivarfs mounted by /init), and
# the ACPI tables of the variant.
guest_cmd='echo "release: $(uname -r)"
ls /sys/firmware/efi/efivars/ | grep "^OpenVbsReport-" | sed "s/^/efivar: /"
for t in DMAR IVRS WSMT; do [ -e /sys/firmware/acpi/tables/$t ] && echo "table: $t"; done
echo "cmdline: $(cat /proc/cmdline)"
exit 0'

# boot NAME "options" "expectations"
# Expectations, space-separated: KEY=a|b (status one of), KEY!=a|b (none of);
# keys: cpu (VT-x/AMD-V), slat, iommu, tpm, wsmt.
boot() {
	local name=$1 opts=$2 expect=$3 rc e key op want got regex
	echo "# $name: testbed options: ${opts:-none}"
	# shellcheck disable=SC2086  # options are words by design
	boot_logged "$name" 180 $opts -- sh -c "$guest_cmd"
	rc=$?
	check "$name: the guest ran the command from /init (exit $rc)" [ $rc -eq 0 ]
	check "$name: Debian's kernel $krelease runs" grep -qx "release: $krelease" "$T/$name.out"
	check "$name: the loader started (banner on the console)" \
		bash -c "tr -d '\r' <'$T/$name/console.log' | grep -aq '^OpenVBS loader '"
	check "$name: the signed test-bed policy was accepted" \
		bash -c "tr -d '\r' <'$T/$name/console.log' | grep -aq '^OpenVBS: POLICY: signed policy accepted .*profile=minimum on_missing=boot-unprotected'"
	check "$name: the report has its ten check lines" \
		[ "$(console "$name" | grep -ac '^ *VBS: Checking for .* : [A-Z]')" -eq 10 ]
	check "$name: verdict not-ready (no Secure Boot on the test bed)" \
		bash -c "tr -d '\r' <'$T/$name/console.log' | grep -aq '^OpenVBS: verdict: not-ready'"
	check "$name: the loader says it boots UNPROTECTED" \
		bash -c "tr -d '\r' <'$T/$name/console.log' | grep -aq 'booting UNPROTECTED'"
	local verdict_at ready_at
	verdict_at=$(line_no "$name" "OpenVBS: verdict:")
	ready_at=$(line_no "$name" "openvbs-ready")
	check "$name: the report comes before Linux's /init (lines ${verdict_at:-?} < ${ready_at:-?})" \
		bash -c "[ -n '$verdict_at' ] && [ -n '$ready_at' ] && [ '$verdict_at' -lt '$ready_at' ]"
	check "$name: the loader published its report variable" grep -q '^efivar: OpenVbsReport-' "$T/$name.out"
	check "$name: the kernel got the policy's command line" \
		grep -qx 'cmdline: console=ttyS0 quiet panic=-1 no_timer_check' "$T/$name.out"
	for e in $expect; do
		case $e in
		*'!='*) key=${e%%!=*} op='!=' want=${e#*!=} ;;
		*=*) key=${e%%=*} op='=' want=${e#*=} ;;
		esac
		case $key in
		cpu) regex='VT-x/AMD-V' ;;
		slat) regex='address translation' ;;
		iommu) regex='IOMMU' ;;
		tpm) regex='TPM 2\.0' ;;
		wsmt) regex='WSMT' ;;
		*) not_ok "$name: bad expectation $e"; continue ;;
		esac
		got=$(status_of "$name" "$regex")
		if [ "$op" = '=' ]; then
			check "$name: $key is $want (got ${got:-nothing})" is_one_of "$got" "$want"
		else
			check "$name: $key is not $want (got ${got:-nothing})" \
				bash -c "[ -n '$got' ] && ! [[ '$got' =~ ^($want)\$ ]]"
		fi
	done
}

boot default "" "cpu=PASS slat=PASS|NOTE iommu=WARN|PASS tpm=PASS wsmt=FAIL"
check "default: measured (no 'nothing is measured' warning)" \
	bash -c "! tr -d '\r' <'$T/default/console.log' | grep -aq 'no TPM: nothing is measured'"
check "default: the DMAR table is visible" grep -qx 'table: DMAR' "$T/default.out"

boot no-tpm "--no-tpm" "cpu=PASS tpm!=PASS"
check "no-tpm: the loader says nothing is measured" \
	bash -c "tr -d '\r' <'$T/no-tpm/console.log' | grep -aq '^OpenVBS: WARNING: no TPM: nothing is measured'"

boot amd-iommu "--amd-iommu" "cpu=PASS iommu=WARN|PASS tpm=PASS"
check "amd-iommu: the IVRS table is visible" grep -qx 'table: IVRS' "$T/amd-iommu.out"

boot no-svm "--no-svm" "cpu=FAIL slat=FAIL tpm=PASS"

boot wsmt "--acpitable $WSMT" "cpu=PASS tpm=PASS wsmt=PASS"
check "wsmt: the WSMT table is visible" grep -qx 'table: WSMT' "$T/wsmt.out"

boot smm "--smm" "cpu=PASS tpm=PASS wsmt=FAIL"

if [ $failures -ne 0 ]; then
	for d in "$T"/*/; do
		[ -f "$d/console.log" ] || continue
		echo "# --- ${d}console.log (tail)"
		tr -d '\r' <"$d/console.log" | tail -n 25 | sed 's/^/# /'
	done
	exit 1
fi
exit 0
