#!/usr/bin/env bash
# Measured launch, end to end: boot through the loader with tpm2-tools in
# the guest, read the firmware event log and the TPM's PCRs there, then on
# the host (tests/integration/lib/tpm_eventlog.py, docs/boot.md
# "Measurements"):
#   - replaying the whole log gives the PCR values tpm2_pcrread read, for
#     every PCR the log covers (PCR 10, IMA's, is not in it);
#   - the loader's six events carry the SHA-256 of the ESP's policy,
#     kernel, initrd, command line, hypervisor and secure kernel images;
#   - PCR 11 and 12 computed from the ESP's files alone equal the TPM's.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/integration/lib/tap.sh
tap_begin openvbs-measured-boot
EVLOG=tests/integration/lib/tpm_eventlog.py

PCRS=sha256:0,1,2,3,4,5,6,7,8,9,11,12,13,14+sha1:11,12
start=$(date +%s)
scripts/testbed --with-tpm2-tools --timeout 240 --log-dir "$T/logs" \
	--save-esp "$T/esp.img" --export "$T/exp" -- sh -c "
	cat /sys/kernel/security/tpm0/binary_bios_measurements >/export/log.bin &&
	TPM2TOOLS_TCTI=device:/dev/tpmrm0 tpm2_pcrread $PCRS >/export/pcrread.txt" \
	>"$T/out" 2>"$T/err"
rc=$?
echo "# boot with tpm2-tools: $(( $(date +%s) - start ))s"
check "the guest read the event log and the PCRs (exit $rc)" [ $rc -eq 0 ]
check "the event log is not empty" [ -s "$T/exp/log.bin" ]
check "tpm2_pcrread printed both banks" \
	bash -c "grep -q '^ *sha256:' '$T/exp/pcrread.txt' && grep -q '^ *sha1:' '$T/exp/pcrread.txt'"
if [ $rc -ne 0 ] || [ ! -s "$T/exp/log.bin" ]; then
	sed 's/^/# /' "$T/err"
	exit 1
fi

# The files as the loader read them: from the very ESP the guest booted.
export MTOOLS_SKIP_CHECK=1
for f in EFI/OpenVBS/policy.txt vmlinuz initrd.img EFI/OpenVBS/hv.bin EFI/OpenVBS/sk.bin; do
	mcopy -n -i "$T/esp.img" "::/$f" "$T/$(basename "$f")" ||
		not_ok "cannot read $f from the saved ESP"
done
cmdline=$(sed -n 's/^cmdline=//p' "$T/policy.txt" | tr -d '\r')
check "the policy names a command line" [ -n "$cmdline" ]

# Replay == TPM.
python3 "$EVLOG" compare "$T/exp/log.bin" "$T/exp/pcrread.txt" >"$T/compare.txt" 2>&1
rc=$?
sed 's/^/# /' "$T/compare.txt"
check "the replayed event log equals tpm2_pcrread for every PCR the log covers" [ $rc -eq 0 ]

# The loader's events: digest (sha256) by description.
python3 "$EVLOG" list "$T/exp/log.bin" >"$T/events.txt" ||
	not_ok "tpm_eventlog.py list"
event_digest() { # pcr description
	awk -v pcr="PCR$1" -v what="'$2'" \
		'$2 == pcr && $3 == "EV_IPL" && index($0, what) { print $4; exit }' "$T/events.txt"
}
sha() { sha256sum | cut -d' ' -f1; }
for spec in "12|OpenVBS policy|$T/policy.txt" "11|OpenVBS kernel image|$T/vmlinuz" \
	"11|OpenVBS initrd|$T/initrd.img" "11|OpenVBS hypervisor image|$T/hv.bin" \
	"11|OpenVBS secure kernel image|$T/sk.bin"; do
	IFS='|' read -r pcr what file <<<"$spec"
	got=$(event_digest "$pcr" "$what")
	want=$(sha <"$file")
	check "PCR $pcr '$what' digest = SHA-256 of the ESP's $(basename "$file") (${got:-none})" \
		[ "$got" = "$want" ]
done
got=$(event_digest 12 "OpenVBS kernel command line")
want=$(printf '%s' "$cmdline" | sha)
check "PCR 12 'OpenVBS kernel command line' digest = SHA-256 of \"$cmdline\"" [ "$got" = "$want" ]

# PCR 11 and 12 from the files alone == the TPM's (both banks).
python3 "$EVLOG" expect --policy "$T/policy.txt" --kernel "$T/vmlinuz" \
	--initrd "$T/initrd.img" --cmdline "$cmdline" --hv "$T/hv.bin" --sk "$T/sk.bin" >"$T/expect.txt" ||
	not_ok "tpm_eventlog.py expect"
pcr_value() { # file bank pcr: 0x... upper-case
	awk -v bank="$2:" -v pcr="$3" '
		$1 == bank { inbank = 1; next }
		/^ *[a-z0-9]+:$/ { inbank = 0 }
		inbank && $1 == pcr && $2 == ":" { print toupper($3); exit }
		inbank && $1 == pcr ":" { print toupper($2); exit }' "$1"
}
for bank in sha256 sha1; do
	for pcr in 11 12; do
		want=$(pcr_value "$T/expect.txt" $bank $pcr)
		got=$(pcr_value "$T/exp/pcrread.txt" $bank $pcr)
		check "$bank PCR $pcr computed from the ESP's files = the TPM's (${got:-none})" \
			bash -c "[ -n '$want' ] && [ '${want#0X}' = '${got#0X}' ]"
	done
done

if [ $failures -ne 0 ]; then
	sed 's/^/# /' "$T/events.txt" "$T/expect.txt" "$T/exp/pcrread.txt" 2>/dev/null
	exit 1
fi
exit 0
