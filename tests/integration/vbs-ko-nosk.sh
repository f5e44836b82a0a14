#!/usr/bin/env bash
# tests/integration/vbs-ko.sh with the hypervisor but no secure kernel
# (scripts/testbed --no-sk): vbs.ko loads, VTL calls answer "no secure
# kernel", vbsctl says so with its documented exit codes.
cd "$(dirname "$0")" && VBS_EXPECT_VTL1=absent exec ./vbs-ko.sh
