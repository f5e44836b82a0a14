#!/usr/bin/env bash
# A secure intercept that happens while the CPU delivers an event
# (docs/hypervisor.md "Secure intercepts", docs/abi.md), end to end through
# scripts/testbed: VTL0 asks VTL1 to deny writes to a page of the test
# module (guest/prot-target-kmod), then the module, interrupts off, puts
# RSP at the top of that page and executes ud2. The CPU's push of the #UD
# frame is denied: the hypervisor raises #GP(0) instead (#UD is benign, so
# not kept); the #GP frame's push is denied too: #GP during #GP delivery is
# a #DF(0) (SDM3 Table 6-5), which Linux takes on its IST stack and reports
# before it panics. Checked:
#   - the console shows Linux's double-fault report, soon after the ud2
#     (guest clock), and the guest died (the test bed's exit 125, not the
#     timeout's 124): no livelock of denied pushes;
#   - the hypervisor log shows both intercepts as event deliveries, the
#     #UD answered with #GP(0), the #GP with #DF(0);
#   - before that, a plain denied write still got its #GP (EFAULT).
# A second boot does the same with interrupts on and a spin instead of
# ud2: the next external interrupt's frame push is denied; the hypervisor
# log shows #GP(0) injected and that interrupt kept (delivered once the
# guest can take it, which here it never can: its #GP push is denied too,
# #DF, and the console shows the double-fault report).
# TAP lines "ok - ..." / "not ok - ..."; non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

B=${B:-build}
. tests/integration/lib/tap.sh
. tests/integration/lib/boot.sh
tap_begin openvbs-vtl1-event

build_for_test "hv.bin, sk.bin, vbsctl, vbs.ko, the target module" \
	"$B/hv/hv.bin" "$B/sk/sk.bin" "$B/guest/bin/vbsctl" "$B/guest/bin/vbs.ko" \
	"$B/guest/bin/prot_target_kmod.ko"

CMD='T=/sys/kernel/prot_target
insmod /usr/bin/prot_target_kmod.ko pages=1 || echo insmod-failed
vbsctl protect set $(sed -n "s/^0 //p" $T/phys) 1 --mask r --label t-event; echo "set $?"
echo "w 0 8 99" > $T/op; echo "deny-w $(cat $T/result)"
echo armed
echo "x 0" > $T/op
echo survived'

TIMEOUT=300
boot_logged event "$TIMEOUT" --smp 1 -- sh -c "$CMD"
rc=$?
O=$T/event.out
C=$T/event/console.log
H=$T/event/hv.log
val() { sed -n "s/^$1 //p" "$O" | head -1; }

check "protect set (deny) succeeds (set: $(val set))" [ "$(val set)" = 0 ]
check "a plain denied write still faults (#GP → EFAULT) ($(val deny-w))" \
	[ "$(val deny-w)" = "fault -14" ]
check "the guest reached the ud2 on the denied stack" grep -qx armed "$O"
check "the guest did not survive it" bash -c "! grep -qx survived '$O'"
check "the guest died, no timeout (test bed exit $rc: 125, not 124)" [ "$rc" = 125 ]
check "the console shows Linux's double-fault report" \
	grep -aq "PANIC: double fault, error_code: 0x0" "$C"
check "the console shows the panic that follows it" \
	grep -aq "Kernel panic - not syncing" "$C"

# Guest clock: from the module's "#UD with RSP" line to the report.
ud_t=$(tr -d '\r' <"$C" | sed -n 's/^\[ *\([0-9.]*\)\] prot_target: #UD with RSP.*/\1/p' | head -1)
df_t=$(tr -d '\r' <"$C" | sed -n 's/^\[ *\([0-9.]*\)\] .*PANIC: double fault.*/\1/p' | head -1)
check "the double fault follows the ud2 within 5 s of guest time (${ud_t:-?} → ${df_t:-?})" \
	awk -v a="${ud_t:-x}" -v b="${df_t:-x}" \
	'BEGIN { exit !(a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b - a >= 0 && b - a < 5) }'

# EXITINTINFO/EVENTINJ (APM2 §15.20): #UD 0x80000306; #GP(0) 0x80000b0d;
# #DF(0) 0x80000b08.
check "hv.log: the #UD frame push, an event delivery, was answered with #GP(0)" \
	grep -aq "during event delivery denied: event 80000306 .*inject 80000b0d, keep 0" "$H"
check "hv.log: the #GP frame push, an event delivery, was answered with #DF(0)" \
	grep -aq "during event delivery denied: event 80000b0d .*inject 80000b08, keep 0" "$H"
n=$(grep -ac "during event delivery denied" "$H")
check "hv.log: exactly those two event-delivery intercepts (got ${n:-0})" [ "${n:-0}" = 2 ]
check "hv.log: no triple fault, no fatal exit" bash -c "! grep -aq 'SHUTDOWN\|FATAL' '$H'"

boot_logged irq "$TIMEOUT" --smp 1 -- sh -c "${CMD/x 0/i 0}"
rc=$?
O=$T/irq.out
C2=$T/irq/console.log
H2=$T/irq/hv.log
check "interrupts on: the guest reached the spin on the denied stack" grep -qx armed "$O"
check "interrupts on: the guest died, no timeout (test bed exit $rc: 125)" [ "$rc" = 125 ]
check "interrupts on: the console shows Linux's double-fault report" \
	grep -aq "PANIC: double fault, error_code: 0x0" "$C2"
# An external interrupt (type 0) being delivered: #GP(0) now, itself kept.
check "interrupts on: hv.log: an interrupt's frame push was answered with #GP(0), the interrupt kept" \
	grep -aq "during event delivery denied: event 800000\([0-9a-f][0-9a-f]\) .*inject 80000b0d, keep 800000\1\$" "$H2"
check "interrupts on: hv.log: then the #GP frame push with #DF(0)" \
	grep -aq "during event delivery denied: event 80000b0d .*inject 80000b08, keep 0" "$H2"

if [ "$failures" -ne 0 ]; then
	for n in event irq; do
		echo "# --- $T/$n.out"; tail -n 20 "$T/$n.out" | sed 's/^/# /'
		echo "# --- $T/$n.err"; tail -n 20 "$T/$n.err" | sed 's/^/# /'
		echo "# --- console"; tr -d '\r' <"$T/$n/console.log" | grep -a -A3 "prot_target\|double fault\|panic" | tail -n 30 | sed 's/^/# /'
		echo "# --- hv.log"; grep -ai "intercept\|FATAL\|SHUTDOWN" "$T/$n/hv.log" | tail -n 20 | sed 's/^/# /'
	done
fi
keep_logs_on_failure vtl1-event-logs
exit $((failures != 0))
