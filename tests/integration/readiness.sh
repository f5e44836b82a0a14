#!/usr/bin/env bash
# vbs-check's verdicts on test-bed platforms whose configuration is known.
# Boots four variants through scripts/testbed, runs `vbs-check --json`
# (profile oem) in the guest and checks each requirement's result against
# how the platform was configured. TAP lines; non-zero exit on a failure.
#
# Platform facts behind the expectations (docs/testbed.md):
#   R1, R2  SVM+NPT exposed (default)  -> pass; --no-svm -> fail
#   R3  intel-iommu / amd-iommu        -> pass or warn (QEMU's DMAR/IVRS do not
#       set the DMA-protection opt-in flag, which vbs-check reports as warn);
#       no IOMMU                       -> not pass
#   R4  swtpm TPM 2.0 (CRB or TIS)     -> pass; --no-tpm -> not pass
#   R5  WSMT injected (flags 7)        -> pass; none (OVMF has none) -> fail
#   R9  QEMU always sets the hypervisor CPUID bit: a guest; with SVM+NPT
#       exposed -> pass, without -> fail
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

. tests/integration/lib/tap.sh
tap_begin openvbs-readiness

if [ ! -x build/guest/bin/vbs-check ]; then
	not_ok "build/guest/bin/vbs-check is missing (make guest)"
	exit 1
fi
WSMT=tests/fixtures/acpi/wsmt-full.aml
if [ ! -f "$WSMT" ]; then
	not_ok "$WSMT is missing"
	exit 1
fi

# boot NAME "testbed options" "expectations"
# Expectations: Rn=result[|result...] (one of) or Rn!=result[|...] (none of).
boot() {
	local name=$1 opts=$2 expect=$3 rc
	# shellcheck disable=SC2086  # options are words by design
	scripts/testbed $opts --log-dir "$T/$name" -- vbs-check --json --profile oem \
		>"$T/$name.json" 2>"$T/$name.err"
	rc=$?
	# vbs-check exits 0 (ready), 1 (not ready) or 2 (unknown) with a report.
	if [ $rc -gt 3 ]; then
		not_ok "$name: vbs-check ran in the guest (exit $rc): $(head -c 300 "$T/$name.err")"
		return
	fi
	python3 - "$name" "$T/$name.json" $expect <<'EOF' || failures=$((failures + 1))
import json, sys

name, path, expectations = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    with open(path) as f:
        report = json.load(f)
    results = {c["requirement"]: c["result"] for c in report["checks"]}
except (OSError, ValueError, KeyError, TypeError) as e:
    print(f"not ok - {name}: the guest's vbs-check --json is not a report: {e}")
    sys.exit(1)

bad = 0
for e in expectations:
    neg = "!=" in e
    req, want = e.split("!=" if neg else "=", 1)
    allowed = want.split("|")
    got = results.get(req, "(missing)")
    good = (got not in allowed) if neg else (got in allowed)
    sign = "is not" if neg else "is"
    print(f"{'ok' if good else 'not ok'} - {name}: {req} {sign} {want} (got {got})")
    bad += not good
sys.exit(1 if bad else 0)
EOF
}

# Default platform + WSMT: SVM/NPT, CRB TPM 2.0, Intel IOMMU.
boot default-wsmt "--acpitable $WSMT" \
	"R1=pass R2=pass R3=pass|warn R4=pass R5=pass R9=pass"
# AMD IOMMU, TIS TPM, no WSMT.
boot tis-amd-iommu "--tpm-tis --amd-iommu" \
	"R1=pass R2=pass R3=pass|warn R4=pass R5=fail R9=pass"
# Nothing: no SVM, no TPM, no IOMMU.
boot nosvm-notpm-noiommu "--no-svm --no-tpm --no-iommu" \
	"R1=fail R2=fail R3!=pass R4!=pass R5=fail R9=fail"
# SMM firmware, no IOMMU, no WSMT.
boot smm-noiommu "--smm --no-iommu" \
	"R1=pass R2=pass R3!=pass R4=pass R5=fail R9=pass"

exit $((failures > 0))
