#!/usr/bin/env bash
# vbs.ko, the VTL0 driver, and vbsctl's secure-kernel subcommands
# (docs/vbsctl.md, docs/abi.md "VTL0 driver (vbs.ko)"), through
# scripts/testbed with --smp 1:
#   1. under the hypervisor: /init loaded vbs.ko; /dev/vbs (0600) and
#      /sys/kernel/vbs/{status,vtl1,log_dropped} exist; malformed ioctls
#      are refused with the documented errno before any VTL call, a
#      non-root open is refused; sysfs, the raw VTL call and
#      `vbsctl status --json` agree on the secure kernel's state;
#      `vbsctl vault list` and `vbsctl log` behave as that state says;
#      rmmod and a second insmod work;
#   2. without the hypervisor (--no-hv): insmod fails with "No such
#      device" and the documented dmesg line; no /dev/vbs; `vbsctl status`
#      says VBS off (exit 1), `vbsctl vault list` names the missing driver
#      (exit 3).
#
# The secure kernel's state is an expectation set by VBS_EXPECT_VTL1:
#   absent            the test bed runs without one (--no-sk): VTL calls
#                     answer "not running" (hypercall status 1 or 5),
#                     vbsctl status
#                     exits 1 with VirtualizationBasedSecurityStatus 1,
#                     vault list exits 1 naming VTL1;
#   running (default) the hypervisor runs the secure kernel: status exits
#                     0 with VirtualizationBasedSecurityStatus 2 and vtl1
#                     among the running services, vault list and log exit 0.
# tests/integration/vbs-ko-nosk.sh runs the absent case; every other check
# holds in both states.
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
EXPECT=${VBS_EXPECT_VTL1:-running}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-vbs-ko

case $EXPECT in
absent | running) ;;
*) not_ok "VBS_EXPECT_VTL1 must be absent or running, not '$EXPECT'"; exit 1 ;;
esac
echo "# expecting the secure kernel: $EXPECT (VBS_EXPECT_VTL1)"

# vbs.ko exists as a target only once the headers are there: build_for_test
# runs scripts/fetch-kernel before make.
build_for_test "vbs.ko, vbsctl, vbs-ioctl-probe" guest \
	"$B/guest/bin/vbs.ko" "$B/guest/bin/vbsctl" "$B/guest/bin/vbs-ioctl-probe"
ok "vbs.ko builds against the pinned headers ($(modinfo -F vermagic "$B/guest/bin/vbs.ko" | cut -d' ' -f1))"

boot() { # name testbed-args... -- (CMD from $CMD)
	local name=$1
	shift
	boot_logged "$name" 240 --smp 1 "$@" -- sh -c "$CMD"
}

# The value after "KEY=" on a line of the output (first match).
val() { sed -n "s/^$2=//p" "$T/$1.out" | head -n1; }

json_eval() { # file-with-one-json-line python-expression
	python3 - "$1" "$2" <<'PY'
import json, sys
line = next(l for l in open(sys.argv[1]) if l.startswith("{"))
print(eval(sys.argv[2], {}, {"d": json.loads(line)}))
PY
}

# 1. under the hypervisor
CMD='echo "init-loaded=$(grep -c "^vbs " /proc/modules)"
echo "dev=$(stat -c "%F %a %u" /dev/vbs 2>&1)"
for f in status vtl1 log_dropped; do echo "sys-$f=$(cat /sys/kernel/vbs/$f 2>&1)"; done
vbs-ioctl-probe; echo "probe-rc=$?"
vbsctl status --json; echo "status-rc=$?"
vbsctl status; echo "status-text-rc=$?"
vbsctl vault list >/root/list.out 2>/root/list.err; echo "list-rc=$?"
echo "list-err=$(cat /root/list.err)"
vbsctl log >/root/log.out 2>/root/log.err; echo "log-rc=$?"
echo "log-err=$(cat /root/log.err)"; echo "log-lost=$(grep "entries lost$" /root/log.out)"
vbsctl vault sign 12x 2>/dev/null </dev/null; echo "badid-rc=$?"
rmmod vbs; echo "rmmod-rc=$? dev-after-rmmod=$(ls /dev/vbs 2>/dev/null | wc -l)"
insmod /usr/bin/vbs.ko; echo "reinsmod-rc=$? sys-vtl1-again=$(cat /sys/kernel/vbs/vtl1 2>&1)"
dmesg | sed -n "s/^.*\] vbs: /dmesg: /p"
echo guest-alive'
if [ "$EXPECT" = absent ]; then boot hv --no-sk; else boot hv; fi
check "hv: the guest command ran to the end" grep -q '^guest-alive$' "$T/hv.out"
check "hv: /init loaded vbs.ko (dmesg: $(sed -n 's/^dmesg: \(OpenVBS hypervisor\)/\1/p' "$T/hv.out" | head -n1))" \
	[ "$(val hv init-loaded)" = 1 ]
check "hv: /dev/vbs is a character device, mode 600, uid 0 ($(val hv dev))" \
	[ "$(val hv dev)" = "character special file 600 0" ]
check "hv: /sys/kernel/vbs/status is one line ($(val hv sys-status))" \
	grep -q '^sys-status=secure kernel: ' "$T/hv.out"
grep -E '^(not )?ok - vbs.ko: ' "$T/hv.out" | sed 's/ - vbs.ko: / - hv: \/dev\/vbs: /'
failures=$((failures + $(grep -c '^not ok - vbs.ko: ' "$T/hv.out")))
check "hv: all 10 /dev/vbs probes ran" [ "$(grep -cE '^(not )?ok - vbs.ko: ' "$T/hv.out")" -eq 10 ]
call=$(sed -n 's/^vtl-call //p' "$T/hv.out")
echo "# raw VTL call: ${call:-none}"
status_rc=$(val hv status-rc)
sysvtl1=$(val hv sys-vtl1)
if [ "$EXPECT" = absent ]; then
	check "hv: sysfs vtl1 says absent" [ "$sysvtl1" = absent ]
	check "hv: the raw VTL call answers ENODEV, hypercall status not-running (1 or 5)" \
		bash -c "[[ '$call' =~ ^errno=19\ hc=(1|5)\  ]]"
	check "hv: sysfs status says not running" \
		grep -q '^sys-status=secure kernel: not running (OpenVBS hypervisor ' "$T/hv.out"
	check "hv: sysfs log_dropped fails with ENODEV" \
		grep -q '^sys-log_dropped=.*No such device' "$T/hv.out"
	check "hv: vbsctl status exits 1 (not running)" [ "$status_rc" = 1 ]
	check "hv: vbsctl status --json: vbs_status 1, hypervisor present, driver loaded, VTL1 not running" \
		[ "$(json_eval "$T/hv.out" 'd["vbs_status"] == 1 and d["hypervisor"]["present"] and d["driver"] and not d["secure_kernel"]["running"] and d["security_services_running"] == []')" = True ]
	check "hv: vbsctl status says 'secure kernel: not running'" \
		grep -q '^secure kernel: not running (the secure kernel (VTL1) is not running' "$T/hv.out"
	check "hv: vbsctl status: VirtualizationBasedSecurityStatus 1" \
		grep -q '^VBS: enabled, not running (VirtualizationBasedSecurityStatus 1)$' "$T/hv.out"
	check "hv: vbsctl vault list exits 1 and names VTL1" \
		bash -c "[ '$(val hv list-rc)' = 1 ] && grep -q '^list-err=vbsctl: vault list: the secure kernel (VTL1) is not running' '$T/hv.out'"
	check "hv: vbsctl log exits 1 and names VTL1" \
		bash -c "[ '$(val hv log-rc)' = 1 ] && grep -q '^log-err=vbsctl: log: the secure kernel (VTL1) is not running' '$T/hv.out'"
else
	check "hv: sysfs vtl1 says running" [ "$sysvtl1" = running ]
	check "hv: the raw VTL call succeeds with status OK and a full answer" \
		bash -c "[[ '$call' =~ ^errno=0\ hc=0\ status=0\ out_len=48$ ]]"
	check "hv: sysfs status says running" \
		grep -q '^sys-status=secure kernel: running, version ' "$T/hv.out"
	check "hv: sysfs log_dropped is a number" grep -qE '^sys-log_dropped=[0-9]+$' "$T/hv.out"
	check "hv: vbsctl status exits 0 (running)" [ "$status_rc" = 0 ]
	check "hv: vbsctl status --json: vbs_status 2, VTL1 running, vtl1 among the running services" \
		[ "$(json_eval "$T/hv.out" 'd["vbs_status"] == 2 and d["secure_kernel"]["running"] and "vtl1" in d["security_services_running"]')" = True ]
	check "hv: vbsctl status: VirtualizationBasedSecurityStatus 2, vtl1 running" \
		bash -c "grep -q '^VBS: running (VirtualizationBasedSecurityStatus 2)$' '$T/hv.out' &&
			grep -q '^security services running: .*vtl1' '$T/hv.out'"
	check "hv: vbsctl vault list exits 0" [ "$(val hv list-rc)" = 0 ]
	check "hv: vbsctl log exits 0 and prints 'N entries lost'" \
		bash -c "[ '$(val hv log-rc)' = 0 ] && grep -qE '^log-lost=[0-9]+ entries lost$' '$T/hv.out'"
fi
check "hv: sysfs vtl1 and vbsctl status agree" \
	bash -c "{ [ '$sysvtl1' = running ] && [ '$status_rc' = 0 ]; } || { [ '$sysvtl1' = absent ] && [ '$status_rc' = 1 ]; }"
check "hv: a malformed secret id is a usage error (exit 2)" [ "$(val hv badid-rc)" = 2 ]
check "hv: rmmod removes /dev/vbs" grep -q '^rmmod-rc=0 dev-after-rmmod=0$' "$T/hv.out"
check "hv: a second insmod works (vtl1: $(val hv reinsmod-rc | sed 's/.*=//'))" \
	grep -q "^reinsmod-rc=0 sys-vtl1-again=$sysvtl1\$" "$T/hv.out"
check "hv: no oops, BUG or warning in the kernel log" \
	bash -c "! grep -Eq 'Oops|BUG:|WARNING:|Call Trace' '$T/hv/console.log'"
check "hv: no fatal exit, panic or exception in the hypervisor log" \
	bash -c "grep -q virtualized '$T/hv/hv.log' && ! grep -Eq 'FATAL|PANIC|EXCEPTION' '$T/hv/hv.log'"

# 2. without the hypervisor
CMD='echo "init-loaded=$(grep -c "^vbs " /proc/modules)"
insmod /usr/bin/vbs.ko 2>/root/insmod.err; echo "insmod-rc=$?"
echo "insmod-err=$(cat /root/insmod.err)"
echo "dev=$(ls /dev/vbs 2>/dev/null | wc -l) sys=$(ls -d /sys/kernel/vbs 2>/dev/null | wc -l)"
vbsctl status; echo "status-rc=$?"
vbsctl vault list 2>/root/list.err; echo "list-rc=$?"; echo "list-err=$(cat /root/list.err)"
dmesg | sed -n "s/^.*\] vbs: /dmesg: /p"
echo guest-alive'
boot nohv --no-hv
check "no-hv: the guest command ran to the end" grep -q '^guest-alive$' "$T/nohv.out"
check "no-hv: /init did not load vbs.ko" [ "$(val nohv init-loaded)" = 0 ]
check "no-hv: insmod fails with 'No such device' ($(val nohv insmod-err))" \
	bash -c "[ '$(val nohv insmod-rc)' != 0 ] && grep -q '^insmod-err=.*No such device' '$T/nohv.out'"
check "no-hv: dmesg says why" \
	grep -q '^dmesg: OpenVBS hypervisor not present (no "OpenVBSHyper" at CPUID 0x40000000); not loading$' "$T/nohv.out"
check "no-hv: no /dev/vbs, no /sys/kernel/vbs" grep -q '^dev=0 sys=0$' "$T/nohv.out"
check "no-hv: vbsctl status: VBS off, exit 1" \
	bash -c "[ '$(val nohv status-rc)' = 1 ] && grep -q '^VBS: off (VirtualizationBasedSecurityStatus 0)$' '$T/nohv.out' &&
		grep -q '^secure kernel: not running (no OpenVBS hypervisor)$' '$T/nohv.out'"
check "no-hv: vbsctl vault list exits 3 and names the missing driver" \
	bash -c "[ '$(val nohv list-rc)' = 3 ] && grep -q '^list-err=vbsctl: vault list: /dev/vbs absent: vbs.ko is not loaded' '$T/nohv.out'"

keep_logs_on_failure vbs-ko-logs
exit $((failures != 0))
