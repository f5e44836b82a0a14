#!/bin/sh
# Event-log replay, offline (no QEMU): tests/integration/lib/tpm_eventlog.py
# against a real log captured in a vbsboot.efi guest
# (tests/fixtures/eventlog/). TAP lines "ok - ..." / "not ok - ...".
cd "$(dirname "$0")/../.." || exit 1
exec python3 tests/integration/lib/test_tpm_eventlog.py --tap
